import type { Recommendation, RecommendationsRequest, RecommendationsResponse, ResolvedEntry } from '@cine/common';
import type { FilmService } from '../films/film.service';
import type { TasteLearningService } from '../taste/taste-learning.service';
import type { RecommendationCache } from './recommendation.cache';
import type { RecommenderClient } from './recommender.repository';

const TCONST = /^tt[0-9]{7,10}$/;
/** Films per answer when the request does not say. */
export const DEFAULT_K = 10;

/**
 * A customer's request in their own words ("le parrain", "amelie", "tt0110912") → films the
 * recommender knows → its answer, enriched with everything the page shows.
 */
export class RecommendationService {
  constructor(
    private readonly films: FilmService,
    private readonly recommender: RecommenderClient,
    private readonly cache: RecommendationCache,
    /** Learning from visits (issue 17); absent, nothing is learned. */
    private readonly learning?: TasteLearningService,
  ) {}

  /**
   * The same request under the same embedding version and catalogue gets the same answer ("films
   * like X" asked again and again by the cinema's site): kept, a repeat costs a lookup instead of
   * a search per title and a call to the recommender. A kept answer is returned as it was kept,
   * the same object each time (the route keeps its bytes by it): never change one.
   */
  async recommend(request: RecommendationsRequest, requestId?: string, client?: { address: string }): Promise<RecommendationsResponse> {
    const answer = await this.answer(request, requestId);
    // Learned from the answer's resolution, so a kept answer teaches as a fresh one would. The
    // visit id never reaches the key, the recommender or a log.
    if (request.visitId !== undefined && client && this.learning) {
      await this.learning.learn({ visitId: request.visitId, address: client.address }, answer.resolved);
    }
    return answer;
  }

  private async answer(request: RecommendationsRequest, requestId?: string): Promise<RecommendationsResponse> {
    const { hit, ticket } = await this.cache.lookup(requestKey(request));
    if (hit) return hit;
    const answer = await this.compute(request, requestId);
    this.cache.set(ticket, answer);
    return answer;
  }

  private async compute(request: RecommendationsRequest, requestId?: string): Promise<RecommendationsResponse> {
    const [liked, disliked] = await Promise.all([this.resolve(request.liked), this.resolve(request.disliked ?? [])]);
    const answer = await this.recommender.recommend(
      {
        liked: unique(liked),
        disliked: unique(disliked),
        k: request.k ?? DEFAULT_K,
        ...(request.filters ? { filters: request.filters } : {}),
        ...(request.diversity !== undefined ? { diversity: request.diversity } : {}),
      },
      requestId,
    );
    // A film the catalogue holds but the recommender's index does not (no embedding yet).
    const unknown = new Set(answer.unknown);
    for (const entry of [...liked, ...disliked]) if (entry.tconst && unknown.has(entry.tconst)) entry.status = 'not_found';

    const inputs = new Set([...liked, ...disliked].flatMap((e) => (e.tconst ? [e.tconst] : [])));
    const chosen = answer.items.filter((item) => !inputs.has(item.tconst));
    const details = await this.films.details(chosen.map((i) => i.tconst));
    const items = chosen.flatMap((item): Recommendation[] => {
      const detail = details.get(item.tconst);
      return detail ? [{ ...detail, score: item.score, reason: item.reason, reasons: item.reasons }] : [];
    });
    return { version: answer.version, coldStart: answer.coldStart, resolved: { liked, disliked }, items };
  }

  /** Each entry to a title: a tconst is looked up, a title goes through the search (films, then series). */
  async resolve(entries: readonly string[]): Promise<ResolvedEntry[]> {
    const ids = entries.map((e) => e.trim()).filter((e) => TCONST.test(e));
    // Through the details, which stay in memory while the catalogue is unchanged.
    const known = await this.films.details(ids);
    return Promise.all(
      entries.map(async (input): Promise<ResolvedEntry> => {
        const text = input.trim();
        if (TCONST.test(text)) {
          const row = known.get(text);
          // A series (or any title outside the recommender's index of films) goes through too: the
          // recommender embeds it from its features, or reports it unknown (then not_found below).
          if (!row) return { input, status: 'not_found', tconst: null, title: null, year: null };
          return { input, status: 'resolved', tconst: row.tconst, title: row.title, year: row.year };
        }
        // Films first; a series only when no film matches ("kaamelott").
        const hit = text.length > 0 ? ((await this.films.bestTitle(text, 'movie')) ?? (await this.films.bestTitle(text, 'series'))) : null;
        if (!hit) return { input, status: 'not_found', tconst: null, title: null, year: null };
        return { input, status: 'resolved', tconst: hit.tconst, title: hit.title, year: hit.year };
      }),
    );
  }
}

/**
 * Two requests with the same key get the same answer. Entries keep their order and spelling
 * (order weighs the liked films; `resolved` echoes each entry as typed); only what this service
 * defaults itself is normalised: no `disliked` is `[]`, no `k` is DEFAULT_K, filter fields in a
 * fixed order. The visit id is not part of it: it changes nothing in the answer. Anything else that differs makes another key: at worst a second entry, never
 * a wrong answer.
 */
export function requestKey(request: RecommendationsRequest): string {
  const f = request.filters;
  return JSON.stringify([
    request.liked,
    request.disliked ?? [],
    request.k ?? DEFAULT_K,
    f ? [f.genres ?? null, f.decades ?? null, f.maxRuntime ?? null, f.frenchOnly ?? null] : null,
    request.diversity ?? null,
  ]);
}

function unique(entries: readonly ResolvedEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => (e.status === 'resolved' && e.tconst ? [e.tconst] : [])))];
}
