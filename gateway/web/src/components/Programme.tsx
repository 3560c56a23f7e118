import type { ComponentChildren } from 'preact';
import type { FilmMatch, Screening, ScreeningsResponse } from '@cine/common/contracts';
import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiFailure, isAbort } from '../api';
import { addDays, frenchDate, frenchDayTime, frenchDayTimeLong, localDate, weekStartOf } from '../programme/cinema-dates';
import { ACCESS, LABELS, VERSIONS } from '../programme/labels';
import type { Chosen } from './Chips';
import { Poster } from './Poster';
import { ErrorState, LoadingState } from './States';

/*
 * "À l'affiche", as the page's tab and the widget show it: this week and next by film, French
 * times in Europe/Paris, large badges, agenda links, and the films that fit the visit's taste
 * first. Written in French whatever the page's language: the cinema's own words.
 */

type State = { kind: 'loading' } | { kind: 'error'; unavailable: boolean } | { kind: 'done'; data: ScreeningsResponse };

interface FilmGroup {
  film: Screening['film'];
  screenings: Screening[];
}
interface WeekGroup {
  weekStart: string;
  films: FilmGroup[];
}

/** This week's and next week's séances (published, not past), by week then by film, in the order the films first play. */
function groupByWeekAndFilm(items: readonly Screening[], weeks: readonly string[]): WeekGroup[] {
  return weeks.map((weekStart) => {
    const films = new Map<string, FilmGroup>();
    for (const s of items) {
      if (weekStartOf(localDate(new Date(s.startsAt))) !== weekStart) continue;
      const group = films.get(s.film.tconst) ?? { film: s.film, screenings: [] };
      group.screenings.push(s);
      films.set(s.film.tconst, group);
    }
    return { weekStart, films: [...films.values()] };
  });
}

type Ranking = Map<string, { rank: number; match: FilmMatch }>;

/**
 * The programmed films ranked for the visit's taste (POST /api/v1/screenings/matches, once per
 * taste); null while nothing is liked, or when the ranking cannot be had: the programme is then
 * in start order.
 */
function useRanking(api: Api, liked: Chosen[], disliked: Chosen[], from: string, to: string): Ranking | null {
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const key = JSON.stringify([liked.map((c) => c.tconst), disliked.map((c) => c.tconst)]);
  useEffect(() => {
    setRanking(null);
    if (liked.length === 0) return;
    const ctrl = new AbortController();
    const body = { liked: liked.map((c) => c.tconst), ...(disliked.length > 0 ? { disliked: disliked.map((c) => c.tconst) } : {}), from, to };
    api
      .screeningMatches(body, ctrl.signal)
      .then((answer) => setRanking(new Map(answer.items.map((match, rank) => [match.film.tconst, { rank, match }]))))
      .catch(() => undefined);
    return () => ctrl.abort();
  }, [key, from, to]);
  return ranking;
}

/**
 * The view below its heading. `changeTaste`: what follows "vous avez aimé …" (the page's link
 * back to the suggestions; the widget has its search right above).
 */
export function ProgrammeView(props: { api: Api; liked: Chosen[]; disliked: Chosen[]; changeTaste?: ComponentChildren }) {
  const { api } = props;
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const today = localDate(new Date());
  const thisWeek = weekStartOf(today);
  const nextWeek = addDays(thisWeek, 7);
  const last = addDays(nextWeek, 6);

  useEffect(() => {
    const ctrl = new AbortController();
    setState({ kind: 'loading' });
    api
      .screenings(today, last, ctrl.signal)
      .then((data) => setState({ kind: 'done', data }))
      .catch((err) => {
        if (isAbort(err)) return;
        setState({ kind: 'error', unavailable: !(err instanceof ApiFailure) || err.unavailable });
      });
    return () => ctrl.abort();
  }, [attempt]);

  const ranking = useRanking(api, props.liked, props.disliked, today, last);
  const weeks = state.kind === 'done' ? groupByWeekAndFilm(state.data.items, [thisWeek, nextWeek]) : [];
  if (ranking) {
    const rank = (g: FilmGroup) => ranking.get(g.film.tconst)?.rank ?? Number.MAX_SAFE_INTEGER;
    for (const week of weeks) week.films.sort((a, b) => rank(a) - rank(b));
  }
  return (
    <>
      <p class="programme__intro">Les séances de cette semaine et de la semaine prochaine, aux heures de Paris.</p>
      <p class="programme__feed">
        <a class="btn btn--quiet" href={api.url('/programme.ics')}>
          Tout le programme dans mon agenda
        </a>
      </p>
      {props.liked.length > 0 && (
        <p class="programme__taste notice">
          {ranking ? 'Classés selon vos goûts' : 'Selon vos goûts'} : vous avez aimé {props.liked.map((c) => c.title).join(', ')}.{props.changeTaste && <> {props.changeTaste}</>}
        </p>
      )}
      <details class="programme__legend more">
        <summary class="more__summary">Que veulent dire VF, VOST, SME, AD ?</summary>
        <dl class="more__body legend">
          {[...Object.entries(VERSIONS), [ACCESS.sme.short, ACCESS.sme.long], [ACCESS.ad.short, ACCESS.ad.long]].map(([code, text]) => (
            <div key={code} class="legend__row">
              <dt>{code}</dt>
              <dd>{text}</dd>
            </div>
          ))}
        </dl>
      </details>

      {state.kind === 'loading' && <LoadingState text="Chargement du programme…" />}
      {state.kind === 'error' && (
        <ErrorState
          title="Le programme est momentanément indisponible"
          text={state.unavailable ? 'Ce n’est pas de votre faute. Patientez un instant, puis réessayez.' : 'Le programme n’a pas pu être lu.'}
          retryLabel="Réessayer"
          onRetry={() => setAttempt((a) => a + 1)}
        />
      )}
      {state.kind === 'done' &&
        weeks.map((week, i) => (
          <section key={week.weekStart} class="programme__week" aria-labelledby={`week-${week.weekStart}`}>
            <h3 id={`week-${week.weekStart}`} class="programme__week-title">
              {i === 0 ? 'Cette semaine' : 'La semaine prochaine'}
              <span class="programme__week-dates">
                {' '}
                du {frenchDate(week.weekStart)} au {frenchDate(addDays(week.weekStart, 6))}
              </span>
            </h3>
            {week.films.length === 0 ? (
              <p class="notice">{i === 0 ? 'Plus de séance cette semaine.' : 'Le programme de cette semaine n’est pas encore publié.'}</p>
            ) : (
              <ul class="showing">
                {week.films.map((g) => (
                  <FilmShowing key={g.film.tconst} api={api} group={g} match={ranking?.get(g.film.tconst)?.match ?? null} />
                ))}
              </ul>
            )}
          </section>
        ))}
    </>
  );
}

function FilmShowing({ api, group, match }: { api: Api; group: FilmGroup; match: FilmMatch | null }) {
  const { film } = group;
  const facts = [film.year, film.runtimeMinutes ? `${Math.floor(film.runtimeMinutes / 60)} h ${String(film.runtimeMinutes % 60).padStart(2, '0')}` : null].filter(Boolean).join(' · ');
  return (
    <li class="showing__film" data-tconst={film.tconst}>
      <div class="showing__poster">
        <Poster poster={film.poster} title={film.title} year={film.year} tconst={film.tconst} size="card" />
      </div>
      <div class="showing__body">
        <h4 class="showing__title">{film.title}</h4>
        {facts && <p class="showing__facts">{facts}</p>}
        {match?.forYou && (
          <p class="showing__for-you">
            <span class="tag tag--for-you">Pour vous</span> {match.reason?.fr}
          </p>
        )}
        <ul class="seances">
          {group.screenings.map((s) => (
            <SeanceItem key={s.id} api={api} s={s} />
          ))}
        </ul>
      </div>
    </li>
  );
}

function SeanceItem({ api, s }: { api: Api; s: Screening }) {
  const start = new Date(s.startsAt);
  const cancelled = s.status === 'cancelled';
  return (
    <li class={`seance${cancelled ? ' seance--cancelled' : ''}`} data-screening={s.id}>
      <p class="seance__when">
        <time dateTime={s.startsAt} aria-label={frenchDayTimeLong(start)}>
          {frenchDayTime(start)}
        </time>
        {cancelled && <span class="tag tag--cancelled">Annulée</span>}
      </p>
      <p class="seance__tags">
        <span class="tag tag--version">
          {s.version}
          <span class="sr-only"> : {VERSIONS[s.version].toLowerCase()}</span>
        </span>
        {s.format === '3D' && <span class="tag">3D</span>}
        {s.accessibility.sme && (
          <span class="tag tag--access">
            {ACCESS.sme.short} <span class="tag__long">{ACCESS.sme.long}</span>
          </span>
        )}
        {s.accessibility.ad && (
          <span class="tag tag--access">
            {ACCESS.ad.short} <span class="tag__long">{ACCESS.ad.long}</span>
          </span>
        )}
        {s.labels.map((l) => (
          <span key={l} class="tag tag--label">
            {LABELS[l]}
          </span>
        ))}
      </p>
      <p class="seance__where">
        {s.room}
        {s.priceNote && <> · {s.priceNote}</>}
      </p>
      {!cancelled && (
        <p class="seance__actions">
          {s.bookingUrl && (
            <a class="btn btn--primary" href={s.bookingUrl} rel="noopener">
              Réserver<span class="sr-only"> la séance du {frenchDayTimeLong(start)}</span>
            </a>
          )}
          <a class="btn btn--quiet" href={api.url(s.icsUrl)} download>
            Ajouter à mon agenda<span class="sr-only"> : {s.film.title}, {frenchDayTimeLong(start)}</span>
          </a>
        </p>
      )}
    </li>
  );
}
