import type { RecommendedFilm, RecommendFilters, RecommendResponse } from '@cine/common';
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
  ) {
    this.facts = new FactsCache(reasons);
  }

  async recommend(input: RecommendInput): Promise<RecommendResponse> {
    const version = this.holder.version;
    if (!version) throw new NoVersionError();
    const result = await rank(
      version,
      { liked: input.liked, disliked: input.disliked ?? [], k: input.k ?? 10, filters: input.filters ?? {}, diversity: input.diversity ?? 0 },
      this.ranking,
    );
    const liked = result.likedRows.map((r) => version.items[r]!.tconst);
    const picked = result.picks.map((p) => version.items[p.row]!.tconst);
    const facts = await this.facts.facts(version.id, [...liked, ...picked]);
    const likedFacts = liked.map((t) => facts.get(t)).filter((f): f is FilmFacts => f !== undefined);

    const items: RecommendedFilm[] = result.picks.map((pick) => {
      const item = version.items[pick.row]!;
      const rec = facts.get(item.tconst);
      let parts = rec && likedFacts.length > 0 ? reasonParts(rec, likedFacts) : [];
      if (result.coldStart) parts = [popularPart(item.rating, item.votes)];
      else if (parts.length === 0) {
        const closest = closestLiked(version, pick.row, result.likedRows);
        const closestFacts = closest === null ? undefined : facts.get(version.items[closest]!.tconst);
        if (closestFacts) parts = [similarPart(closestFacts)];
      }
      return { tconst: item.tconst, score: Number(pick.score.toFixed(6)), reason: reasonLine(parts), reasons: parts };
    });
    return { version: version.id, coldStart: result.coldStart, unknown: result.unknown, items };
  }
}

function closestLiked(version: NonNullable<VersionHolder['version']>, row: number, liked: number[]): number | null {
  let best: number | null = null;
  let bestSim = -Infinity;
  const v = version.vector(row);
  for (const l of liked) {
    const w = version.vector(l);
    let dot = 0;
    for (let k = 0; k < v.length; k++) dot += v[k]! * w[k]!;
    if (dot > bestSim) {
      bestSim = dot;
      best = l;
    }
  }
  return best;
}
