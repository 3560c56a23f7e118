import type { MatchedFilm, SubscriptionPreferences } from '@cine/common';
import { CINEMA_TIME_ZONE, localClock } from './cinema-time';
import type { FilmScore, ProgrammedFilm, ProgrammedScreening, SubscriberTaste, TasteScores } from './matching.contract';

/**
 * The matching rules, pure: which séances a subscriber can go to, which films deserve an alert,
 * what the week's digest lists. The jobs read the programme and the subscribers, score them
 * through the recommender (BatchScorer), call these, then claim the ledger keys and send.
 */

/** An afternoon séance starts before this local hour (PRODUCT.md: "afternoon séances only"). */
export const AFTERNOON_ENDS_AT_HOUR = 18;

/** An alert's film must be among the subscriber's this-many best films of the period. */
export const DEFAULT_ALERT_BEST_OF = 3;

/** The ledger key of the one alert a subscriber may get for a film, ever. */
export function alertKey(subscriberId: string, tconst: string): string {
  return `alert:${subscriberId}:${tconst}`;
}

/** The ledger key of a subscriber's digest for a programme week (the ISO date of its Wednesday). */
export function digestKey(subscriberId: string, week: string): string {
  return `digest:${subscriberId}:${week}`;
}

/**
 * A séance the subscriber could go to: scheduled (not cancelled), not started yet, and within
 * their preferences: one of their versions, the accessibility they asked for (subtitles for the
 * deaf and hard of hearing, audio description), before 18:00 cinema time when they want afternoons.
 */
export function isEligible(screening: ProgrammedScreening, preferences: SubscriptionPreferences, now: Date, timeZone = CINEMA_TIME_ZONE): boolean {
  if (screening.status !== 'scheduled') return false;
  const starts = new Date(screening.startsAt);
  if (!(starts.getTime() > now.getTime())) return false;
  if (preferences.versions && preferences.versions.length > 0 && !preferences.versions.includes(screening.version)) return false;
  if (preferences.accessibility?.sme && !screening.accessibility.sme) return false;
  if (preferences.accessibility?.ad && !screening.accessibility.ad) return false;
  if (preferences.afternoonOnly && localClock(starts, timeZone).hour >= AFTERNOON_ENDS_AT_HOUR) return false;
  return true;
}

/** The film's séances the subscriber could go to, in start order. */
export function eligibleScreenings(film: ProgrammedFilm, preferences: SubscriptionPreferences, now: Date, timeZone = CINEMA_TIME_ZONE): ProgrammedScreening[] {
  return film.screenings.filter((s) => isEligible(s, preferences, now, timeZone)).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

function matched(film: ProgrammedFilm, scored: Pick<FilmScore, 'score' | 'reason' | 'reasons'>, screenings: ProgrammedScreening[]): MatchedFilm {
  return {
    tconst: film.tconst,
    title: film.title,
    year: film.year,
    score: scored.score,
    reason: scored.reason,
    reasons: scored.reasons,
    posterUrl: film.posterUrl,
    screenings: screenings.map((s) => ({ id: s.id, startsAt: s.startsAt, room: s.room, version: s.version, accessibility: { ...s.accessibility }, icsUrl: s.icsUrl, bookingUrl: s.bookingUrl })),
  };
}

export interface AlertInput {
  taste: SubscriberTaste;
  /** The recommender's answer for this taste against the period's films (BatchScorer, with fit). */
  scores: TasteScores;
  /** The period's programmed films. */
  films: readonly ProgrammedFilm[];
  /** Emails already sent to this subscriber this week (alerts and digests alike). */
  sentThisWeek: number;
  /** Films this subscriber was already alerted to (their ledger keys exist): never twice. */
  alreadyAlerted?: ReadonlySet<string>;
}

export interface AlertRules {
  now: Date;
  /** NOTIFY_MAX_PER_WEEK. */
  maxPerWeek: number;
  /** Top n of the programmed films (default 3). */
  bestOf?: number;
  timeZone?: string;
}

/**
 * The alerts that may go out now to one subscriber, best first, one email each. A film fits when
 * it is among the subscriber's `bestOf` best films of the period's programme, scores at least
 * the taste's fitScore (the recommender would propose it on its own: a programme's best match is
 * not always a good one), has a séance they can go to, and is neither liked nor disliked by them
 * (a liked film is one they know). Films already alerted are skipped, then the week's budget
 * (maxPerWeek − sent) cuts. No threshold (nothing liked usable), alerts off or paused: none.
 * The caller still claims `alertKey` for each before sending: two runs may race.
 */
export function planAlerts(input: AlertInput, rules: AlertRules): MatchedFilm[] {
  const { taste, scores } = input;
  const prefs = taste.preferences;
  if (!prefs.alerts || prefs.paused || scores.fitScore === null) return [];
  const budget = Math.max(0, rules.maxPerWeek - input.sentThisWeek);
  if (budget === 0) return [];
  const fit = scores.fitScore;
  const own = new Set([...taste.liked, ...taste.disliked]);
  const programmed = new Map(input.films.map((f) => [f.tconst, f]));
  const best = bestFirst(scores.films)
    .filter((s) => programmed.has(s.tconst) && !own.has(s.tconst))
    .slice(0, rules.bestOf ?? DEFAULT_ALERT_BEST_OF);
  const out: MatchedFilm[] = [];
  for (const scored of best) {
    if (scored.score < fit || input.alreadyAlerted?.has(scored.tconst)) continue;
    const film = programmed.get(scored.tconst)!;
    const screenings = eligibleScreenings(film, prefs, rules.now, rules.timeZone);
    if (screenings.length === 0) continue;
    out.push(matched(film, scored, screenings));
    if (out.length >= budget) break;
  }
  return out;
}

export interface DigestInput {
  taste: SubscriberTaste;
  /** The recommender's answer for this taste against the week's films (fit not needed). */
  scores: TasteScores;
  /** The week's programmed films. */
  films: readonly ProgrammedFilm[];
}

export interface DigestRules {
  now: Date;
  /** At most this many films (default: all the week's). */
  maxFilms?: number;
  timeZone?: string;
}

const NO_REASON = { fr: '', en: '' };

/**
 * The week's films for one subscriber: every programmed film with a séance they can go to,
 * ranked by the recommender for their taste, each with its reason and its séances. Films the
 * recommender could not score (not in the catalogue yet: a new release) follow, in the
 * programme's order, without a reason; films they liked or disliked are left out. Digest off or
 * paused: none (and an empty list means no digest is sent).
 */
export function buildDigest(input: DigestInput, rules: DigestRules): MatchedFilm[] {
  const { taste, scores } = input;
  const prefs = taste.preferences;
  if (!prefs.digest || prefs.paused) return [];
  const own = new Set([...taste.liked, ...taste.disliked]);
  const programmed = new Map(input.films.filter((f) => !own.has(f.tconst)).map((f) => [f.tconst, f]));
  const out: MatchedFilm[] = [];
  const add = (film: ProgrammedFilm, scored: Pick<FilmScore, 'score' | 'reason' | 'reasons'>) => {
    const screenings = eligibleScreenings(film, prefs, rules.now, rules.timeZone);
    if (screenings.length > 0) out.push(matched(film, scored, screenings));
  };
  for (const scored of bestFirst(scores.films)) {
    const film = programmed.get(scored.tconst);
    if (!film) continue;
    programmed.delete(scored.tconst);
    add(film, scored);
  }
  for (const film of programmed.values()) add(film, { score: 0, reason: NO_REASON, reasons: [] });
  return rules.maxFilms === undefined ? out : out.slice(0, rules.maxFilms);
}

/** The recommender answers best first; sorted again so that the rules never depend on it. */
function bestFirst(films: readonly FilmScore[]): FilmScore[] {
  return [...films].sort((a, b) => b.score - a.score || (a.tconst < b.tconst ? -1 : a.tconst > b.tconst ? 1 : 0));
}
