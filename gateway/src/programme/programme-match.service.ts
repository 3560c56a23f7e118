import { type FilmMatch, type FilmScreening, RECOMMEND_CANDIDATES_MAX, type ResolvedEntry, type ScreeningMatchesRequest, type ScreeningMatchesResponse, type ScreeningsResponse } from '@cine/common';
import type { RecommenderClient } from '../recommendations/recommender.repository';
import { fitsTaste } from '../recommendations/taste-fit';

/** What the matches need of the others: the published séances, and the customer's words as films. */
export interface PublishedSource {
  published(query: { from?: string; to?: string }): Promise<ScreeningsResponse>;
}
export interface EntryResolver {
  resolve(entries: readonly string[]): Promise<ResolvedEntry[]>;
}

/**
 * The programme's films ranked for one taste: one recommender call scores every programmed film
 * of the period (`candidates`); fitting films first, by score, then the others, still listed.
 */
export class ProgrammeMatchService {
  constructor(
    private readonly programme: PublishedSource,
    private readonly entries: EntryResolver,
    private readonly recommender: RecommenderClient,
  ) {}

  async matches(request: ScreeningMatchesRequest, requestId?: string): Promise<ScreeningMatchesResponse> {
    const [published, liked, disliked] = await Promise.all([
      this.programme.published({ ...(request.from ? { from: request.from } : {}), ...(request.to ? { to: request.to } : {}) }),
      this.entries.resolve(request.liked),
      this.entries.resolve(request.disliked ?? []),
    ]);
    const films = filmsOf(published);
    const base = { from: published.from, to: published.to, timeZone: published.timeZone, resolved: { liked, disliked } };
    const likedIds = tconstsOf(liked);
    const unscored = (f: ProgrammedFilm): FilmMatch => ({ film: f.film, score: null, forYou: false, reason: null, reasons: [], screenings: f.screenings });
    if (likedIds.length === 0 || films.length === 0) return { ...base, coldStart: true, items: films.map(unscored) };

    // A small cinema's 62 days hold far fewer films than the bound; past it, the rest come after, unscored.
    const candidates = films.slice(0, RECOMMEND_CANDIDATES_MAX).map((f) => f.film.tconst);
    const answer = await this.recommender.recommend({ liked: likedIds, disliked: tconstsOf(disliked), candidates }, requestId);
    if (answer.coldStart) return { ...base, coldStart: true, items: films.map(unscored) };
    const byTconst = new Map(films.map((f) => [f.film.tconst, f]));
    const scored = answer.items.flatMap((item): FilmMatch[] => {
      const f = byTconst.get(item.tconst);
      return f ? [{ film: f.film, score: item.score, forYou: fitsTaste(answer, item), reason: item.reason, reasons: item.reasons, screenings: f.screenings }] : [];
    });
    const seen = new Set(scored.map((m) => m.film.tconst));
    // The recommender answers best first: a stable partition keeps that order within each part.
    const items = [...scored.filter((m) => m.forYou), ...scored.filter((m) => !m.forYou), ...films.filter((f) => !seen.has(f.film.tconst)).map(unscored)];
    return { ...base, coldStart: false, items };
  }
}

interface ProgrammedFilm {
  film: FilmMatch['film'];
  screenings: FilmScreening[];
}

/** Scheduled séances grouped by film, films in the order of their first séance. */
export function filmsOf(published: ScreeningsResponse): ProgrammedFilm[] {
  const films = new Map<string, ProgrammedFilm>();
  for (const { film, ...screening } of published.items) {
    if (screening.status !== 'scheduled') continue;
    const entry = films.get(film.tconst) ?? { film, screenings: [] };
    entry.screenings.push(screening);
    films.set(film.tconst, entry);
  }
  return [...films.values()];
}

function tconstsOf(entries: readonly ResolvedEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => (e.status === 'resolved' && e.tconst ? [e.tconst] : [])))];
}
