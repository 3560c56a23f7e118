import type { ConsentWording, SubscriptionPreferences } from '@cine/common/contracts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, ApiFailure, isAbort } from '../api';
import type { Chosen } from '../components/Chips';
import type { Lang } from '../i18n';
import { type FilmChoice, FilmLists } from './FilmLists';
import { DEFAULT_PREFERENCES, PreferencesFields } from './PreferencesFields';
import { SUBSCRIPTION_STRINGS } from './strings';

type Field = 'email' | 'liked' | 'consent';
type Phase = { kind: 'editing' } | { kind: 'sending' } | { kind: 'done' };

/** What the browser's own check of an email field accepts, roughly: the gateway checks it for real. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The subscription form, on the page and in the widget. It shows only when the install has
 * subscriptions (the consent wording answers); the box is unticked and its words are the
 * gateway's, sent back by version. Under it, a second box, unticked and optional: the films may
 * also teach the suggestions made to others (a consent of its own, for that purpose only). The films the customer already chose are there to start with.
 * The answer is the same whatever the address: "check your mailbox".
 */
export function SubscribeForm(props: { id: string; api: Api; lang: Lang; liked: Chosen[]; disliked: Chosen[]; source: 'page' | 'widget' }) {
  const { id, api, lang } = props;
  const s = SUBSCRIPTION_STRINGS[lang];
  const [consent, setConsent] = useState<ConsentWording | null>(null);
  const [email, setEmail] = useState('');
  const [films, setFilms] = useState<FilmChoice>({ liked: props.liked, disliked: props.disliked });
  const [touched, setTouched] = useState(false);
  const [preferences, setPreferences] = useState<SubscriptionPreferences>(DEFAULT_PREFERENCES);
  const [agreed, setAgreed] = useState(false);
  // The second, optional consent: its own box, unticked, never needed to subscribe.
  const [learning, setLearning] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'editing' });
  const summaryRef = useRef<HTMLDivElement>(null);
  const doneRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const ctrl = new AbortController();
    api.consent(ctrl.signal).then(setConsent, (err) => {
      // No notifier here (503) or none reachable: no form, rather than one that cannot work.
      if (!isAbort(err)) setConsent(null);
    });
    return () => ctrl.abort();
  }, []);

  // Until the customer changes the form's lists, they follow the films chosen on the page.
  useEffect(() => {
    if (!touched) setFilms({ liked: props.liked, disliked: props.disliked });
  }, [props.liked, props.disliked]);

  useEffect(() => {
    if (phase.kind === 'done') doneRef.current?.focus();
  }, [phase.kind]);

  if (consent === null) return null;

  const check = (): Partial<Record<Field, string>> => {
    const found: Partial<Record<Field, string>> = {};
    if (!EMAIL.test(email.trim())) found.email = s.errEmail;
    if (films.liked.length === 0) found.liked = s.errLiked;
    if (!agreed) found.consent = s.errConsent;
    return found;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (phase.kind === 'sending') return;
    const found = check();
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) {
      // The list of what is missing is read out first, then each field says its own.
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    setPhase({ kind: 'sending' });
    try {
      await api.subscribe({
        email: email.trim(),
        liked: films.liked.map((c) => c.tconst),
        disliked: films.disliked.map((c) => c.tconst),
        preferences,
        consent: { wordingVersion: consent.version, accepted: true, learning },
        source: props.source,
      });
      setPhase({ kind: 'done' });
    } catch (err) {
      setPhase({ kind: 'editing' });
      setFailure(err instanceof ApiFailure && !err.unavailable ? (err.status === 429 ? err.message : s.errRefused(err.message)) : s.errUnavailable);
      requestAnimationFrame(() => summaryRef.current?.focus());
    }
  };

  if (phase.kind === 'done') {
    return (
      <section class="panel sub sub--done" aria-labelledby={`${id}-done`}>
        <h2 id={`${id}-done`} class="panel__title" tabIndex={-1} ref={doneRef}>
          {s.doneTitle}
        </h2>
        <p role="status">{s.doneText}</p>
      </section>
    );
  }

  const described = (field: Field, help?: string) => [help, errors[field] ? `${id}-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  const problems = [...Object.values(errors), ...(failure ? [failure] : [])];

  return (
    <section class="panel sub" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} class="panel__title">
        {s.sectionTitle}
      </h2>
      <p class="sub-help">{s.sectionIntro}</p>
      <form noValidate onSubmit={submit} aria-busy={phase.kind === 'sending'}>
        <div ref={summaryRef} tabIndex={-1} class={problems.length > 0 ? 'sub-errors' : 'sr-only'} role="alert">
          {problems.length > 0 && (
            <>
              <p class="sub-errors__title">{failure && Object.keys(errors).length === 0 ? failure : s.errorsTitle}</p>
              {Object.keys(errors).length > 0 && (
                <ul>
                  {(Object.entries(errors) as Array<[Field, string]>).map(([field, message]) => (
                    <li key={field}>
                      <a href={`#${id}-${field === 'liked' ? 'liked-input' : field}`}>{message}</a>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>

        <div class="sub-field">
          <label class="sub-label" for={`${id}-email`}>
            {s.email}
          </label>
          <p id={`${id}-email-help`} class="sub-help">
            {s.emailHelp}
          </p>
          <input
            id={`${id}-email`}
            class="sub-input"
            type="email"
            name="email"
            autocomplete="email"
            inputMode="email"
            required
            aria-invalid={errors.email ? true : undefined}
            aria-describedby={described('email', `${id}-email-help`)}
            value={email}
            onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)}
          />
          {errors.email && (
            <p id={`${id}-email-error`} class="sub-error">
              {errors.email}
            </p>
          )}
        </div>

        <FilmLists
          id={id}
          api={api}
          lang={lang}
          s={s}
          value={films}
          help={s.likedHelp}
          invalid={errors.liked !== undefined}
          onChange={(v) => {
            setTouched(true);
            setFilms(v);
          }}
        />
        {errors.liked && (
          <p id={`${id}-liked-error`} class="sub-error">
            {errors.liked}
          </p>
        )}

        <PreferencesFields id={id} value={preferences} onChange={setPreferences} s={s} />

        <fieldset class="sub-group sub-consent">
          <legend>{s.consentLegend}</legend>
          <label class="sub-check" for={`${id}-consent`}>
            <input
              id={`${id}-consent`}
              type="checkbox"
              checked={agreed}
              required
              aria-invalid={errors.consent ? true : undefined}
              aria-describedby={described('consent')}
              onChange={(e) => setAgreed((e.currentTarget as HTMLInputElement).checked)}
            />
            <span lang="fr">{consent.text}</span>
          </label>
          {errors.consent && (
            <p id={`${id}-consent-error`} class="sub-error">
              {errors.consent}
            </p>
          )}
          <label class="sub-check" for={`${id}-learning`}>
            <input id={`${id}-learning`} type="checkbox" checked={learning} onChange={(e) => setLearning((e.currentTarget as HTMLInputElement).checked)} />
            <span lang="fr">{consent.learning.text}</span>
          </label>
        </fieldset>

        <div class="sub-privacy">
          <h3 class="sub-privacy__title">{s.privacyTitle}</h3>
          <ul>
            {s.privacy.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p class="sub-privacy__more">
            <a href={api.pageUrl('/confidentialite')}>{s.privacyMore}</a>
          </p>
        </div>

        <p>
          <button type="submit" class="btn btn--primary sub-submit" disabled={phase.kind === 'sending'}>
            {phase.kind === 'sending' ? s.sending : s.submit}
          </button>
        </p>
      </form>
    </section>
  );
}
