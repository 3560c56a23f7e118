import type { ConsentWording, SubscribedFilm, SubscriptionPreferences, SubscriptionView } from '@cine/common/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, ApiFailure, isAbort } from '../api';
import type { Chosen } from '../components/Chips';
import { LoadingState } from '../components/States';
import type { Lang } from '../i18n';
import { type FilmChoice, FilmLists } from './FilmLists';
import { PreferencesFields } from './PreferencesFields';
import { SUBSCRIPTION_STRINGS } from './strings';

type Load = { kind: 'loading' } | { kind: 'stale' } | { kind: 'failed' } | { kind: 'ready'; view: SubscriptionView } | { kind: 'erased' };

const chosen = (f: SubscribedFilm): Chosen => ({ tconst: f.tconst, title: f.title, primaryTitle: f.title, year: f.year });

/**
 * `/abonnement#<token>`: the subscription of any email's manage link, without a password. The
 * liked films, preferences and the optional learning consent (its box, with the gateway's exact
 * wording) change and are saved; pause and resume; the data downloaded as
 * JSON; unsubscribing erases everything (after a second, explicit yes).
 */
export function ManagePage(props: { api: Api; lang: Lang; token: string | null; justConfirmed: boolean }) {
  const { api, token } = props;
  const s = SUBSCRIPTION_STRINGS[props.lang];
  const [load, setLoad] = useState<Load>(token ? { kind: 'loading' } : { kind: 'stale' });
  const [films, setFilms] = useState<FilmChoice>({ liked: [], disliked: [] });
  const [preferences, setPreferences] = useState<SubscriptionPreferences>({ alerts: true, digest: true });
  const [learning, setLearning] = useState(false);
  const [wording, setWording] = useState<ConsentWording | null>(null);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState(props.justConfirmed ? s.confirmed : '');
  const [asking, setAsking] = useState(false);
  const questionRef = useRef<HTMLParagraphElement>(null);
  const erasedRef = useRef<HTMLParagraphElement>(null);

  const show = (view: SubscriptionView) => {
    setLoad({ kind: 'ready', view });
    setFilms({ liked: view.liked.map(chosen), disliked: view.disliked.map(chosen) });
    setPreferences(view.preferences);
    setLearning(view.learning);
  };

  useEffect(() => {
    if (!token) return;
    const ctrl = new AbortController();
    api.subscription(token, ctrl.signal).then(show, (err) => {
      if (isAbort(err)) return;
      setLoad(err instanceof ApiFailure && !err.unavailable ? { kind: 'stale' } : { kind: 'failed' });
    });
    return () => ctrl.abort();
  }, [token]);

  // The learning box's exact words; while they are not there (or cannot be read) a short sentence stands in.
  useEffect(() => {
    const ctrl = new AbortController();
    api.consent(ctrl.signal).then(setWording, () => {});
    return () => ctrl.abort();
  }, []);

  useEffect(() => {
    // The question is read first; focus stays off the button that erases.
    if (asking) questionRef.current?.focus();
  }, [asking]);
  useEffect(() => {
    if (load.kind === 'erased') erasedRef.current?.focus();
  }, [load.kind]);

  /** One change at a time; what it did is said in the status line, a failure too. */
  const act = async (work: () => Promise<string>) => {
    if (busy || !token) return;
    setBusy(true);
    setSaid('');
    try {
      setSaid(await work());
    } catch (err) {
      if (err instanceof ApiFailure && (err.status === 401 || err.status === 404)) setLoad({ kind: 'stale' });
      else setSaid(err instanceof ApiFailure && !err.unavailable ? `${s.failed} (${err.message})` : s.failed);
    } finally {
      setBusy(false);
    }
  };

  const save = (e: Event) => {
    e.preventDefault();
    return act(async () => {
      show(await api.updateSubscription(token!, { liked: films.liked.map((c) => c.tconst), disliked: films.disliked.map((c) => c.tconst), preferences, learning }));
      return s.saved;
    });
  };

  const setPaused = (paused: boolean) =>
    act(async () => {
      if (load.kind !== 'ready') return '';
      const view = await api.updateSubscription(token!, { preferences: { ...load.view.preferences, paused } });
      setLoad({ kind: 'ready', view });
      setPreferences((p) => ({ ...p, paused }));
      return paused ? s.paused : s.resumed;
    });

  const download = () =>
    act(async () => {
      const data = await api.exportSubscription(token!);
      const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = 'mes-donnees.json';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return s.exported;
    });

  const erase = () =>
    act(async () => {
      await api.eraseSubscription(token!);
      setAsking(false);
      setLoad({ kind: 'erased' });
      return '';
    });

  return (
    <section class="panel sub sub--page" aria-labelledby="manage-title">
      <h2 id="manage-title" class="page-title">
        {s.manageTitle}
      </h2>
      {load.kind === 'loading' && <LoadingState text={s.manageLoading} />}
      {load.kind === 'stale' && <p class="notice">{token ? s.manageStale : s.manageNoToken}</p>}
      {load.kind === 'failed' && (
        <p class="notice" role="alert">
          {s.failed}
        </p>
      )}
      {load.kind === 'erased' && (
        <p class="notice" role="status" tabIndex={-1} ref={erasedRef}>
          {s.erased}
        </p>
      )}
      <p class="sub-said" role="status" aria-live="polite">
        {said}
      </p>
      {load.kind === 'ready' && (
        <>
          <p class="sub-address">{s.manageAddress(load.view.email)}</p>
          <p>{load.view.status === 'paused' ? s.statusPaused : load.view.status === 'pending' ? s.statusPending : s.statusActive}</p>
          <p>
            <button type="button" class="btn" disabled={busy} onClick={() => setPaused(load.view.status !== 'paused')}>
              {load.view.status === 'paused' ? s.resume : s.pause}
            </button>
          </p>

          <form onSubmit={save} aria-busy={busy}>
            <FilmLists id="manage" api={api} lang={props.lang} s={s} value={films} onChange={setFilms} />
            <PreferencesFields id="manage" value={preferences} onChange={setPreferences} s={s} />
            <fieldset class="sub-group sub-consent">
              <legend>{s.learningLegend}</legend>
              <label class="sub-check" for="manage-learning">
                <input id="manage-learning" type="checkbox" checked={learning} onChange={(e) => setLearning((e.currentTarget as HTMLInputElement).checked)} />
                <span lang={wording ? 'fr' : undefined}>{wording?.learning.text ?? s.learningFallback}</span>
              </label>
            </fieldset>
            <p>
              <button type="submit" class="btn btn--primary" disabled={busy || films.liked.length === 0}>
                {busy ? s.saving : s.save}
              </button>
            </p>
          </form>

          <h3 class="sub-privacy__title">{s.exportTitle}</h3>
          <p>{s.exportText}</p>
          <p>
            <button type="button" class="btn" disabled={busy} onClick={download}>
              {s.exportButton}
            </button>
          </p>

          <h3 class="sub-privacy__title">{s.eraseTitle}</h3>
          <p>{s.eraseText}</p>
          {!asking ? (
            <p>
              <button type="button" class="btn sub-danger" disabled={busy} onClick={() => setAsking(true)}>
                {s.eraseButton}
              </button>
            </p>
          ) : (
            <div class="sub-ask" role="group" aria-labelledby="erase-question">
              <p id="erase-question" class="sub-ask__question" tabIndex={-1} ref={questionRef}>
                {s.eraseConfirm}
              </p>
              <p class="sub-ask__buttons">
                <button type="button" class="btn btn--primary sub-danger" disabled={busy} onClick={erase}>
                  {s.eraseYes}
                </button>
                <button type="button" class="btn" disabled={busy} onClick={() => setAsking(false)}>
                  {s.eraseNo}
                </button>
              </p>
            </div>
          )}
        </>
      )}
    </section>
  );
}
