import type { RecommendedFilm, RecommendFilters, RecommendResponse } from '@cine/common';
import type { FeatureRepository } from '../embedding/features.repository';
import type { VersionHolder } from '../serving/version-holder';
import { rank } from './ranker';
import type { RankingParams } from './ranking';
import { FactsCache } from './facts-cache';
import { popularPart, reasonLine, reasonParts, similarPart } from './reasons';
import type { FilmFacts, ReasonsRepository } from './reasons.repository';

export interface RecommendInput {
  liked: string[];
  disliked?: string[];
  k?: number;
  filters?: RecommendFilters;
  diversity?: number;
}

export class NoVersionError extends Error {
  constructor() {
    super('no embedding version is loaded yet: run an import (the embeddings are built after it)');
    this.name = 'NoVersionError';
  }
}

export class RecommendService {
  private readonly facts: FactsCache;

  constructor(
    private readonly holder: VersionHolder,
    reasons: ReasonsRepository,
    private readonly ranking: RankingParams,
    private readonly features: FeatureRepository,
  ) {
    this.facts = new FactsCache(reasons);
  }

  async recommend(input: RecommendInput): Promise<RecommendResponse> {
    const version = this.holder.version;
    if (!version) throw new NoVersionError();
    const disliked = input.disliked ?? [];
    // Titles the index does not hold (a series, a film newer than the version): embedded from
    // their features when the catalogue has them and the version has an encoder.
    const outsideIds = [...input.liked, ...disliked].filter((t) => !version.rowOf.has(t));
    const outside = outsideIds.length > 0 && version.canEncode ? await version.embedOutside(await this.features.titlesWithPeople(outsideIds)) : new Map<string, Float32Array>();
    const result = await rank(
      version,
      { liked: input.liked, disliked, k: input.k ?? 10, filters: input.filters ?? {}, diversity: input.diversity ?? 0, outside },
      this.ranking,
    );
    const likedInput = new Set(input.liked);
    const likedEncoded = result.encoded.filter((t) => likedInput.has(t));
    const liked = [...result.likedRows.map((r) => version.items[r]!.tconst), ...likedEncoded];
    const picked = result.picks.map((p) => version.items[p.row]!.tconst);
    const facts = await this.facts.facts(version.id, [...liked, ...picked]);
    const likedFacts = liked.map((t) => facts.get(t)).filter((f): f is FilmFacts => f !== undefined);

    const items: RecommendedFilm[] = result.picks.map((pick) => {
      const item = version.items[pick.row]!;
      const rec = facts.get(item.tconst);
      let parts = rec && likedFacts.length > 0 ? reasonParts(rec, likedFacts) : [];
      if (result.coldStart) parts = [popularPart(item.rating, item.votes)];
      else if (parts.length === 0) {
        const closest = closestLiked(version, pick.row, [
          ...result.likedRows.map((r) => ({ tconst: version.items[r]!.tconst, vector: version.vector(r) })),
          ...likedEncoded.map((t) => ({ tconst: t, vector: outside.get(t)! })),
        ]);
        const closestFacts = closest === null ? undefined : facts.get(closest);
        if (closestFacts) parts = [similarPart(closestFacts)];
      }
      return { tconst: item.tconst, score: Number(pick.score.toFixed(6)), reason: reasonLine(parts), reasons: parts };
    });
    return { version: version.id, coldStart: result.coldStart, unknown: result.unknown, encoded: result.encoded, items };
  }
}

/** The liked title whose vector is closest to the recommended film's (its tconst). */
function closestLiked(version: NonNullable<VersionHolder['version']>, row: number, liked: { tconst: string; vector: Float32Array }[]): string | null {
  let best: string | null = null;
  let bestSim = -Infinity;
  const v = version.vector(row);
  for (const l of liked) {
    const w = l.vector;
    let dot = 0;
    for (let k = 0; k < v.length; k++) dot += v[k]! * w[k]!;
    if (dot > bestSim) {
      bestSim = dot;
      best = l.tconst;
    }
  }
  return best;
}
