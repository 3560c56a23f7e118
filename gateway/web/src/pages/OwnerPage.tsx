import type { ScreeningFormatCode, ScreeningLabelCode, ScreeningVersionCode } from '@cine/common/contracts';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api';
import { type FilmSearchSource, SearchBox } from '../components/SearchBox';
import { genreName, STRINGS } from '../i18n';
import { addDays, frenchDate, frenchDayTime, localDate, localTime, offsetAt, weekStartOf } from '../programme/cinema-dates';
import { HttpFailure } from '../programme/http';
import { ACCESS, LABEL_CODES, LABELS, VERSIONS } from '../programme/labels';
import { type AdminScreening, type AdminWeek, type FilmAudience, type FilmIndexHit, login, logout, me, OwnerApi, type OwnerSession, type Room, type ScreeningInput } from '../programme/owner-api';
import { type FrenchProblem, frenchProblem } from '../programme/problems';

/** What went wrong, in plain French; a refusal names the field (the API's English is translated, see problems.ts). */
function problemOf(err: unknown): FrenchProblem {
  const plain = (text: string): FrenchProblem => ({ field: null, text });
  if (!(err instanceof HttpFailure)) return plain('Une erreur inattendue est survenue. Rechargez la page.');
  if (err.status === 0) return plain('Le serveur ne répond pas. Vérifiez la connexion, puis réessayez.');
  if (err.status === 403) return plain('Action refusée : rechargez la page, puis recommencez.');
  if (err.status === 413) return plain('Le fichier est trop gros : envoyez-le en plusieurs parties.');
  if (err.status === 429) return plain('Trop de demandes à la suite : attendez une minute, puis réessayez.');
  if (err.status >= 500) return plain('Le serveur a un problème ; réessayez dans un instant.');
  return frenchProblem(err.message);
}
const problem = (err: unknown) => problemOf(err).text;

function loginProblem(err: unknown): string {
  if (err instanceof HttpFailure && err.status === 401) return 'Adresse e-mail ou mot de passe incorrect.';
  if (err instanceof HttpFailure && err.status === 429) {
    const minutes = err.retryAfterSeconds ? Math.ceil(err.retryAfterSeconds / 60) : null;
    return `Trop d’essais manqués : la connexion est bloquée${minutes ? ` pendant ${minutes} minute${minutes > 1 ? 's' : ''}` : ' un moment'}.`;
  }
  return problem(err);
}

/** `/gestion`: the owner's login, then the week's editor. */
export function OwnerPage({ api }: { api: Api }) {
  const [session, setSession] = useState<OwnerSession | null | 'checking'>('checking');
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    me().then(setSession, () => setSession(null));
  }, []);
  if (session === 'checking') return <p class="state">Chargement…</p>;
  if (session === null) return <LoginForm ended={ended} onLogin={setSession} />;
  return (
    <WeekEditor
      api={api}
      session={session}
      onLogout={(expired) => {
        setEnded(expired);
        setSession(null);
      }}
    />
  );
}

function LoginForm(props: { ended: boolean; onLogin: (s: OwnerSession) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(null);
    try {
      props.onLogin(await login(String(form.get('email')), String(form.get('password'))));
    } catch (err) {
      setError(loginProblem(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="panel owner-login" aria-labelledby="login-heading">
      <h2 id="login-heading" class="page-title">
        Gestion du programme
      </h2>
      {props.ended && <p class="notice">Vous êtes déconnecté.</p>}
      <p class="panel__help">Réservé au cinéma. Connectez-vous avec l’adresse e-mail et le mot de passe du compte du gérant.</p>
      <form class="form" onSubmit={submit}>
        <div class="field">
          <label class="field__label" for="f-email">Adresse e-mail</label>
          <input id="f-email" class="field__input" type="email" name="email" autoComplete="username" required />
        </div>
        <div class="field">
          <label class="field__label" for="f-password">Mot de passe</label>
          <input id="f-password" class="field__input" type="password" name="password" autoComplete="current-password" required />
        </div>
        {error && (
          <p class="form__error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="btn btn--primary" disabled={busy}>
          Se connecter
        </button>
      </form>
    </section>
  );
}

type Note = { kind: 'ok' | 'error'; text: string } | null;

/** How a write ended: done, or refused with the field it names (null: none). */
type Outcome = { ok: true } | { ok: false; problem: FrenchProblem };
/**
 * Runs a write. Done: its sentence goes in the note at the top and the week reloads. Refused: a
 * form says it beside itself (`inForm`), where the owner is looking; the week's buttons in the note.
 */
type Act = (run: () => Promise<string>, inForm?: boolean) => Promise<Outcome>;

function WeekEditor(props: { api: Api; session: OwnerSession; onLogout: (expired: boolean) => void }) {
  const owner = useRef(new OwnerApi(props.session.csrfToken)).current;
  const [weekStart, setWeekStart] = useState(() => weekStartOf(localDate(new Date())));
  const [week, setWeek] = useState<AdminWeek | null>(null);
  const [rooms, setRooms] = useState<Room[]>([]);
  const [note, setNote] = useState<Note>(null);
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  /** The séance whose "Modifier" button takes the focus back once its form has closed. */
  const [focusBack, setFocusBack] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const reload = () => setVersion((v) => v + 1);

  const act: Act = async (run, inForm = false) => {
    try {
      setNote({ kind: 'ok', text: await run() });
      reload();
      return { ok: true };
    } catch (err) {
      if (err instanceof HttpFailure && err.status === 401) props.onLogout(true);
      const problem = problemOf(err);
      setNote(inForm ? null : { kind: 'error', text: problem.text });
      return { ok: false, problem };
    }
  };

  useEffect(() => {
    let live = true;
    Promise.all([owner.week(weekStart), owner.rooms()]).then(
      ([w, r]) => {
        if (!live) return;
        setWeek(w);
        setRooms(r.items);
      },
      (err) => {
        if (!live) return;
        if (err instanceof HttpFailure && err.status === 401) props.onLogout(true);
        else setNote({ kind: 'error', text: problem(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [weekStart, version]);
  useEffect(() => setEditing(null), [weekStart]);

  useEffect(() => {
    if (focusBack === null) return;
    const button = listRef.current?.querySelector<HTMLButtonElement>(`[data-screening="${focusBack}"] .owner-seance__edit`);
    if (button) {
      button.focus();
      setFocusBack(null);
    }
  }, [focusBack, week, editing]);

  const closeEditor = (id: string) => {
    setEditing(null);
    setFocusBack(id);
  };

  const next = addDays(weekStart, 7);
  const scheduled = week?.items.filter((s) => s.status === 'scheduled').length ?? 0;
  return (
    <>
      <div class="owner-bar">
        <h2 class="page-title">Gestion du programme</h2>
        <p class="owner-bar__who">
          Connecté : {props.session.email}{' '}
          <button
            type="button"
            class="btn btn--quiet"
            onClick={() =>
              logout()
                .catch(() => undefined)
                .then(() => props.onLogout(false))
            }
          >
            Se déconnecter
          </button>
        </p>
      </div>

      <p class={`owner-note${note ? ` owner-note--${note.kind}` : ''}`} role={note?.kind === 'error' ? 'alert' : 'status'}>
        {note?.text}
      </p>

      <section class="panel" aria-labelledby="week-heading">
        <h3 id="week-heading" class="panel__title">
          Semaine du {frenchDate(weekStart)} au {frenchDate(addDays(weekStart, 6))}
        </h3>
        <p class="week-nav">
          <button type="button" class="btn btn--quiet" onClick={() => setWeekStart(addDays(weekStart, -7))}>
            ← Semaine précédente
          </button>
          <button type="button" class="btn btn--quiet" onClick={() => setWeekStart(next)}>
            Semaine suivante →
          </button>
        </p>
        {week && (
          <p class={`week-state${week.publishedAt ? ' week-state--published' : ''}`}>
            {week.publishedAt ? `Publiée le ${frenchDayTime(new Date(week.publishedAt))} : les spectateurs la voient.` : 'Brouillon : les spectateurs ne la voient pas encore.'}
          </p>
        )}
        <p class="week-actions">
          <button type="button" class="btn btn--primary" onClick={() => act(async () => `Semaine publiée (${(await owner.publish(weekStart)).screenings} séances).`)}>
            Publier la semaine
          </button>
          <button type="button" class="btn" disabled={scheduled === 0} onClick={() => act(async () => `${(await owner.duplicate(weekStart, next)).created} séances copiées sur la semaine du ${frenchDate(next)} : visibles dès que cette semaine est publiée (tout de suite si elle l’est déjà).`)}>
            Copier sur la semaine suivante
          </button>
        </p>
        <div ref={listRef}>
          {week && (
            <WeekList
              week={week}
              editing={editing}
              onEdit={setEditing}
              onCancel={(id, what) => confirm(`Annuler la séance ${what} ?`) && act(async () => (await owner.cancel(id), `Séance ${what} annulée.`))}
              editor={(s) => (
                <ScreeningForm
                  key={s.id}
                  api={props.api}
                  owner={owner}
                  rooms={rooms}
                  weekStart={weekStart}
                  editing={s}
                  act={act}
                  onDone={() => closeEditor(s.id)}
                />
              )}
            />
          )}
        </div>
      </section>

      {week && <WeekAudience key={weekStart} week={week} owner={owner} />}
      <ScreeningForm api={props.api} owner={owner} rooms={rooms} weekStart={weekStart} act={act} />
      <ImportCsv owner={owner} act={act} />
      <Rooms rooms={rooms} owner={owner} act={act} />
      <EraseRequest owner={owner} act={act} />
    </>
  );
}

function WeekList(props: {
  week: AdminWeek;
  editing: string | null;
  onEdit: (id: string) => void;
  onCancel: (id: string, what: string) => void;
  editor: (s: AdminScreening) => ComponentChildren;
}) {
  if (props.week.items.length === 0) return <p class="notice">Aucune séance cette semaine.</p>;
  return (
    <ul class="owner-seances">
      {props.week.items.map((s) => {
        const when = frenchDayTime(new Date(s.startsAt));
        const title = s.title ?? s.tconst;
        const what = `de ${title} du ${when}`;
        const open = props.editing === s.id;
        return (
          <li key={s.id} class={`owner-seance${s.status === 'cancelled' ? ' seance--cancelled' : ''}${open ? ' owner-seance--editing' : ''}`} data-screening={s.id}>
            <p class="owner-seance__main">
              <strong class="owner-seance__when">{when}</strong> <span class="owner-seance__title">{title}</span>
            </p>
            <p class="seance__tags">
              <span class="tag tag--version">{s.version}</span>
              {s.format === '3D' && <span class="tag">3D</span>}
              {s.accessibility.sme && <span class="tag tag--access">SME</span>}
              {s.accessibility.ad && <span class="tag tag--access">AD</span>}
              {s.labels.map((l) => (
                <span key={l} class="tag tag--label">
                  {LABELS[l]}
                </span>
              ))}
              <span>{s.room}</span>
              {s.status === 'cancelled' && <span class="tag tag--cancelled">Annulée</span>}
            </p>
            {s.status === 'scheduled' && !open && (
              <p class="seance__actions">
                <button type="button" class="btn owner-seance__edit" onClick={() => props.onEdit(s.id)}>
                  Modifier<span class="sr-only"> la séance {what}</span>
                </button>
                <button type="button" class="btn btn--quiet" onClick={() => props.onCancel(s.id, what)}>
                  Annuler la séance<span class="sr-only"> {what}</span>
                </button>
              </p>
            )}
            {open && props.editor(s)}
          </li>
        );
      })}
    </ul>
  );
}

/** One reason of an audience, in the owner's words: « Genre : Drame », « Années 1990 », a name. */
function audienceReason(r: FilmAudience['reasons'][number]): string {
  if (r.kind === 'genres') return `Genre : ${genreName(r.value, 'fr')}`;
  if (r.kind === 'decade') return `Années ${r.value}`;
  return r.value;
}

/**
 * « Qui sera prévenu ? »: for each film of the week, how many of the alert subscribers' tastes it
 * fits (the rule that sends an alert), and the reasons most given — counts only, never who. Asked
 * film by film: each answer scores every subscriber once.
 */
function WeekAudience(props: { week: AdminWeek; owner: OwnerApi }) {
  const films = [...new Map(props.week.items.filter((s) => s.status === 'scheduled').map((s) => [s.tconst, s.title ?? s.tconst])).entries()];
  const [answers, setAnswers] = useState<Record<string, FilmAudience | 'loading' | 'failed'>>({});
  if (films.length === 0) return null;
  const ask = async (tconst: string) => {
    setAnswers((a) => ({ ...a, [tconst]: 'loading' }));
    try {
      const answer = await props.owner.audience(tconst);
      setAnswers((a) => ({ ...a, [tconst]: answer }));
    } catch {
      setAnswers((a) => ({ ...a, [tconst]: 'failed' }));
    }
  };
  return (
    <section class="panel" aria-labelledby="audience-heading">
      <h3 id="audience-heading" class="panel__title">
        Qui sera prévenu ?
      </h3>
      <p class="panel__help">Pour chaque film, à combien d’abonnés aux alertes il correspond : une estimation de qui sera prévenu quand la semaine sera publiée (chacun reçoit au plus quelques alertes par semaine, pour les films qui lui vont le mieux et des séances qui respectent ses préférences). Seulement des nombres, jamais qui.</p>
      <ul class="owner-audience">
        {films.map(([tconst, title]) => {
          const answer = answers[tconst];
          return (
            <li key={tconst} class="owner-audience__film">
              <span class="owner-audience__title">{title}</span>{' '}
              {answer === undefined && (
                <button type="button" class="btn btn--quiet" onClick={() => void ask(tconst)}>
                  Compter<span class="sr-only"> les abonnés pour {title}</span>
                </button>
              )}
              <span role="status" class="owner-audience__answer">
                {answer === 'loading'
                  ? 'Calcul en cours…'
                  : answer === 'failed'
                    ? 'Le calcul n’a pas abouti ; réessayez dans un moment.'
                    : answer === undefined
                      ? ''
                      : answer.message ??
                        `${answer.fits} abonné${answer.fits > 1 ? 's' : ''} sur ${answer.tastes}${answer.reasons.length > 0 ? ` — ${answer.reasons.slice(0, 3).map((r) => `${audienceReason(r)} (${r.count})`).join(', ')}` : ''}`}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** A film as the form holds it: the one searched, or the séance's own when editing. */
interface ChosenFilm {
  tconst: string;
  title: string;
  year: number | null;
  inCatalogue: boolean | null;
}

const filmWords = (f: ChosenFilm) => `${f.title}${f.year ? ` (${f.year})` : ''}`;

/** The admin search of every IMDb film; each suggestion says its year, kind and whether customers will see its page. */
function filmIndexSource(owner: OwnerApi): FilmSearchSource<FilmIndexHit> {
  return {
    search: (q, limit, signal) => owner.searchFilms(q, limit, signal),
    option: (hit) => {
      const shown = hit.frenchTitle ?? hit.title;
      const other = [hit.title, hit.originalTitle].find((t) => t !== shown);
      const facts = [hit.year ?? 'année inconnue', hit.titleType === 'tvMovie' ? 'téléfilm' : null, hit.runtimeMinutes ? `${hit.runtimeMinutes} min` : null].filter(Boolean).join(' · ');
      return (
        <span class="search__text">
          <span class="search__title">{shown}</span>
          <span class="search__meta">
            {facts}
            {other && <span>{` · ${other}`}</span>}
          </span>
          <span class={`search__meta owner-film__catalogue${hit.inCatalogue ? '' : ' owner-film__catalogue--out'}`}>
            {hit.inCatalogue ? 'Dans le catalogue' : 'Hors catalogue : sa fiche viendra au prochain import'}
          </span>
        </span>
      );
    },
  };
}

/** The input a field named by the API lives in, to point at it (the film: its search box). */
const INPUT_OF: Record<string, string> = {
  tconst: 'film-input',
  startsAt: 'time',
  room: 'room',
  version: 'version',
  format: 'format',
  priceNote: 'priceNote',
  bookingUrl: 'bookingUrl',
};

/**
 * Adds a séance, or changes one (`editing`): the same fields, prefilled from the séance. A
 * refusal is said under the form, the field it names marked and focused; an edit's form takes
 * the focus when it opens and gives it back to the séance's "Modifier" when it closes.
 */
function ScreeningForm(props: { api: Api; owner: OwnerApi; rooms: Room[]; weekStart: string; act: Act; editing?: AdminScreening; onDone?: () => void }) {
  const s = props.editing;
  const p = s ? `e${s.id}` : 'f';
  const initialFilm: ChosenFilm | null = s ? { tconst: s.tconst, title: s.title ?? s.tconst, year: null, inCatalogue: null } : null;
  const [film, setFilm] = useState<ChosenFilm | null>(initialFilm);
  const [date, setDate] = useState(s ? localDate(new Date(s.startsAt)) : props.weekStart);
  const [refusal, setRefusal] = useState<FrenchProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const source = useRef(filmIndexSource(props.owner)).current;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!s) setDate(props.weekStart);
  }, [props.weekStart]);
  useEffect(() => {
    if (s) headingRef.current?.focus();
  }, []);
  useEffect(() => {
    const input = refusal?.field ? INPUT_OF[refusal.field] : undefined;
    if (input) document.getElementById(`${p}-${input}`)?.focus();
  }, [refusal]);

  const invalid = (field: string) => (refusal?.field === field ? { 'aria-invalid': true, 'aria-describedby': `${p}-error` } : {});
  const heading = s ? `Modifier la séance de ${s.title ?? s.tconst} du ${frenchDayTime(new Date(s.startsAt))}` : 'Ajouter une séance';

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!film) return;
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const time = String(f.get('time'));
    const day = String(f.get('date'));
    const text = (name: string) => String(f.get(name) ?? '').trim() || null;
    const input: ScreeningInput = {
      tconst: film.tconst,
      startsAt: `${day}T${time}:00${offsetAt(day, time)}`,
      room: String(f.get('room')),
      version: String(f.get('version')) as ScreeningVersionCode,
      format: String(f.get('format')) as ScreeningFormatCode,
      accessibility: { sme: f.get('sme') !== null, ad: f.get('ad') !== null },
      labels: f.getAll('labels').map(String) as ScreeningLabelCode[],
      priceNote: text('priceNote'),
      bookingUrl: text('bookingUrl'),
    };
    setBusy(true);
    setRefusal(null);
    const outcome = await props.act(async () => {
      if (s) {
        await props.owner.updateScreening(s.id, input);
        return `Séance modifiée : ${film.title}, ${frenchDate(day)} ${time}.`;
      }
      await props.owner.addScreening(input);
      return `Séance ajoutée : ${film.title}, ${frenchDate(day)} ${time}.`;
    }, true);
    setBusy(false);
    if (!outcome.ok) setRefusal(outcome.problem);
    else if (s) props.onDone?.();
    else setFilm(null);
  };

  // Escape leaves the edit form unsaved, as "Revenir à la liste sans enregistrer" does; the film
  // search's own Escape (closing its suggestions, then clearing the box) comes first.
  const escape = (e: KeyboardEvent) => {
    if (e.key !== 'Escape' || e.defaultPrevented || !s || busy) return;
    e.preventDefault();
    props.onDone?.();
  };

  return (
    <section class={s ? 'owner-edit' : 'panel'} aria-labelledby={`${p}-heading`} onKeyDown={s ? escape : undefined}>
      {s ? (
        <h4 id={`${p}-heading`} class="panel__title" tabIndex={-1} ref={headingRef}>
          {heading}
        </h4>
      ) : (
        <h3 id={`${p}-heading`} class="panel__title">
          {heading}
        </h3>
      )}
      <SearchBox
        id={`${p}-film`}
        api={props.api}
        lang="fr"
        t={STRINGS.fr}
        label={s ? 'Changer de film (tapez le titre)' : 'Film (tapez le titre)'}
        placeholder="Par exemple : Le Parrain"
        exclude={[]}
        source={source}
        onPick={(hit) => setFilm({ tconst: hit.tconst, title: hit.frenchTitle ?? hit.title, year: hit.year, inCatalogue: hit.inCatalogue })}
      />
      <p class="owner-film" aria-live="polite">
        {film ? `Film choisi : ${filmWords(film)}` : 'Aucun film choisi.'}
        {film?.inCatalogue === false && <span class="owner-film__catalogue owner-film__catalogue--out"> Hors catalogue : les spectateurs verront la séance, et la fiche du film après le prochain import.</span>}
      </p>
      <form class="form form--grid" onSubmit={submit} aria-describedby={refusal ? `${p}-error` : undefined}>
        <div class="field">
          <label class="field__label" for={`${p}-room`}>Salle</label>
          <select id={`${p}-room`} class="field__input" name="room" required {...invalid('room')}>
            {props.rooms.map((r) => (
              <option key={r.id} value={r.name} selected={s ? r.name === s.room : undefined}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label class="field__label" for={`${p}-date`}>Date</label>
          <input id={`${p}-date`} class="field__input" type="date" name="date" required value={date} min={props.weekStart} max={addDays(props.weekStart, 6)} onInput={(e) => setDate(e.currentTarget.value)} {...invalid('startsAt')} />
        </div>
        <div class="field">
          <label class="field__label" for={`${p}-time`}>Heure</label>
          <input id={`${p}-time`} class="field__input" type="time" name="time" required defaultValue={s ? localTime(new Date(s.startsAt)) : '20:30'} {...invalid('startsAt')} />
        </div>
        <div class="field">
          <label class="field__label" for={`${p}-version`}>Version</label>
          <select id={`${p}-version`} class="field__input" name="version" {...invalid('version')}>
            {Object.entries(VERSIONS).map(([code, text]) => (
              <option key={code} value={code} selected={s ? code === s.version : undefined}>
                {code} — {text}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label class="field__label" for={`${p}-format`}>Format</label>
          <select id={`${p}-format`} class="field__input" name="format" {...invalid('format')}>
            {(['2D', '3D'] as const).map((code) => (
              <option key={code} value={code} selected={s ? code === s.format : undefined}>
                {code}
              </option>
            ))}
          </select>
        </div>
        <fieldset class="field field--choices">
          <legend class="field__label">Accessibilité</legend>
          <label class="check">
            <input type="checkbox" name="sme" defaultChecked={s?.accessibility.sme} /> {ACCESS.sme.short} — {ACCESS.sme.long}
          </label>
          <label class="check">
            <input type="checkbox" name="ad" defaultChecked={s?.accessibility.ad} /> {ACCESS.ad.short} — {ACCESS.ad.long}
          </label>
        </fieldset>
        <fieldset class="field field--choices">
          <legend class="field__label">Labels</legend>
          {LABEL_CODES.map((code) => (
            <label key={code} class="check">
              <input type="checkbox" name="labels" value={code} defaultChecked={s?.labels.includes(code)} /> {LABELS[code]}
            </label>
          ))}
        </fieldset>
        <div class="field">
          <label class="field__label" for={`${p}-priceNote`}>Note de tarif (facultatif)</label>
          <input id={`${p}-priceNote`} class="field__input" type="text" name="priceNote" maxLength={200} defaultValue={s?.priceNote ?? ''} {...invalid('priceNote')} />
        </div>
        <div class="field">
          <label class="field__label" for={`${p}-bookingUrl`}>Lien de réservation (facultatif, https://…)</label>
          <input id={`${p}-bookingUrl`} class="field__input" type="url" name="bookingUrl" pattern="https://.+" defaultValue={s?.bookingUrl ?? ''} {...invalid('bookingUrl')} />
        </div>
        <FormRefusal id={`${p}-error`} lead={s ? 'Modification refusée.' : 'Séance refusée.'} refusal={refusal} wide />
        <p class="form__actions">
          <button type="submit" class="btn btn--primary" disabled={!film || props.rooms.length === 0 || busy}>
            {s ? 'Enregistrer les modifications' : 'Ajouter la séance'}
          </button>
          {s && (
            <button type="button" class="btn btn--quiet" onClick={() => props.onDone?.()}>
              Revenir à la liste sans enregistrer
            </button>
          )}
        </p>
      </form>
    </section>
  );
}

/** A form's refusal under it, announced (role alert), named by the fields' aria-describedby; nothing when there is none. */
function FormRefusal(props: { id: string; lead: string; refusal: FrenchProblem | null; wide?: boolean }) {
  if (!props.refusal) return null;
  return (
    <p id={props.id} class={props.wide ? 'form__error form__error--wide' : 'form__error'} role="alert">
      {props.lead} {props.refusal.text}
    </p>
  );
}

/**
 * A panel's own form: its refusal is said under it (not in the page's note), and the form is
 * emptied once the action succeeded.
 */
function usePanelForm(act: Act): { refusal: FrenchProblem | null; send: (form: HTMLFormElement, run: () => Promise<string>) => Promise<void> } {
  const [refusal, setRefusal] = useState<FrenchProblem | null>(null);
  const send = async (form: HTMLFormElement, run: () => Promise<string>) => {
    setRefusal(null);
    const outcome = await act(run, true);
    if (outcome.ok) form.reset();
    else setRefusal(outcome.problem);
  };
  return { refusal, send };
}

function ImportCsv(props: { owner: OwnerApi; act: Act }) {
  const { refusal, send } = usePanelForm(props.act);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const file = (form.elements.namedItem('csv') as HTMLInputElement).files?.[0];
    if (!file) return;
    const csv = await file.text();
    await send(form, async () => {
      const r = await props.owner.importCsv(csv);
      return `Fichier importé : ${r.created} séances (semaines du ${r.weeks.map(frenchDate).join(', du ')}) : visibles dès que leur semaine est publiée (tout de suite si elle l’est déjà).`;
    });
  };
  return (
    <section class="panel" aria-labelledby="import-heading">
      <h3 id="import-heading" class="panel__title">
        Importer un tableau (CSV)
      </h3>
      <p class="panel__help">Colonnes : date, time, tconst, room, version, et au choix format, sme, ad, labels, price_note, booking_url. Tout le fichier est refusé à la première erreur, qui est expliquée ici.</p>
      <form class="form" onSubmit={submit}>
        <div class="field">
          <label class="field__label" for="f-csv">Fichier CSV</label>
          <input id="f-csv" class="field__input" type="file" name="csv" accept=".csv,text/csv" required aria-describedby={refusal ? 'f-csv-error' : undefined} aria-invalid={refusal ? true : undefined} />
        </div>
        <FormRefusal id="f-csv-error" lead="Fichier refusé." refusal={refusal} />
        <button type="submit" class="btn btn--primary">
          Importer le fichier
        </button>
      </form>
    </section>
  );
}

function Rooms(props: { rooms: Room[]; owner: OwnerApi; act: Act }) {
  const { refusal, send } = usePanelForm(props.act);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const name = String(f.get('name')).trim();
    await send(form, async () => (await props.owner.addRoom({ name, seats: Number(f.get('seats')), wheelchair: f.get('wheelchair') !== null }), `Salle « ${name} » ajoutée.`));
  };
  return (
    <section class="panel" aria-labelledby="rooms-heading">
      <h3 id="rooms-heading" class="panel__title">
        Les salles
      </h3>
      {props.rooms.length === 0 ? (
        <p class="notice">Aucune salle : ajoutez-en une avant les séances.</p>
      ) : (
        <ul class="owner-rooms">
          {props.rooms.map((r) => (
            <li key={r.id}>
              {r.name} : {r.seats} places{r.wheelchair ? ', accessible en fauteuil' : ''}
            </li>
          ))}
        </ul>
      )}
      <form class="form form--grid" onSubmit={submit}>
        <div class="field">
          <label class="field__label" for="f-name">Nom de la salle</label>
          <input id="f-name" class="field__input" type="text" name="name" required maxLength={60} aria-invalid={refusal ? true : undefined} aria-describedby={refusal ? 'f-room-error' : undefined} />
        </div>
        <div class="field">
          <label class="field__label" for="f-seats">Places</label>
          <input id="f-seats" class="field__input" type="number" name="seats" required min={1} max={5000} />
        </div>
        <label class="check">
          <input type="checkbox" name="wheelchair" /> Accessible en fauteuil
        </label>
        <FormRefusal id="f-room-error" lead="Salle refusée." refusal={refusal} wide />
        <button type="submit" class="btn">
          Ajouter la salle
        </button>
      </form>
    </section>
  );
}

/**
 * A customer asks the cinema, by letter or at the desk, to be erased: the owner types the address,
 * confirms, and the same erasure as the manage page's is done. The address is sent once, in the
 * body, and kept nowhere (only its hash, so that nothing is ever sent to it again).
 */
function EraseRequest(props: { owner: OwnerApi; act: Act }) {
  const { refusal, send } = usePanelForm(props.act);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const email = String(new FormData(form).get('email') ?? '').trim();
    if (!email || !confirm(`Effacer l’abonné ${email} et tout ce que le service garde sur lui ? On ne peut pas revenir en arrière.`)) return;
    await send(form, async () => {
      const { erased } = await props.owner.eraseSubscriber(email);
      return erased ? 'C’est fait : cet abonné est effacé, il ne recevra plus rien.' : 'Aucun abonné n’a cette adresse (jamais inscrit, ou déjà parti) : il n’y avait rien à effacer.';
    });
  };
  return (
    <section class="panel" aria-labelledby="erase-heading">
      <h3 id="erase-heading" class="panel__title">
        Un client demande à être effacé
      </h3>
      <p class="panel__help">
        Chaque client peut tout effacer lui-même par le lien de ses e-mails. S’il vous le demande par courrier ou au guichet, tapez son adresse ici : l’abonné et tout ce
        qui le concerne sont effacés, comme s’il l’avait fait lui-même.
      </p>
      <form class="form form--grid" onSubmit={submit}>
        <div class="field">
          <label class="field__label" for="f-erase-email">Son adresse e-mail</label>
          <input id="f-erase-email" class="field__input" type="email" name="email" required maxLength={254} autocomplete="off" aria-invalid={refusal ? true : undefined} aria-describedby={refusal ? 'f-erase-error' : undefined} />
        </div>
        <FormRefusal id="f-erase-error" lead="Effacement refusé." refusal={refusal} wide />
        <button type="submit" class="btn">
          Effacer cet abonné
        </button>
      </form>
    </section>
  );
}
