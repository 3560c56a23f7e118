import type { RecommendedFilm, RecommendFilters, RecommendResponse } from '@cine/common';
import type { FeatureRepository } from '../embedding/features.repository';
import type { CoLikeHolder } from '../serving/co-like-holder';
import type { VersionHolder } from '../serving/version-holder';
import type { CoLikeParams } from './co-likes';
import { rankCandidates } from './candidate-ranker';
import { rank } from './ranker';
import type { RankingParams } from './ranking';
import { FactsCache } from './facts-cache';
import { coLikePart, popularPart, reasonLine, reasonParts, similarPart } from './reasons';
import type { FilmFacts, ReasonsRepository } from './reasons.repository';
import { closestOf } from './vector-math';

export interface RecommendInput {
  liked: string[];
  disliked?: string[];
  k?: number;
  filters?: RecommendFilters;
  diversity?: number;
  candidates?: string[];
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
    /** The collaborative block learned from the taste store; absent, content only. */
    private readonly coLikes?: { holder: CoLikeHolder; params: CoLikeParams },
  ) {
    this.facts = new FactsCache(reasons);
  }

  async recommend(input: RecommendInput): Promise<RecommendResponse> {
    const version = this.holder.version;
    if (!version) throw new NoVersionError();
    const disliked = input.disliked ?? [];
    if (input.candidates) return this.scoreCandidates(version, { ...input, disliked, candidates: input.candidates });
    // Titles the index does not hold (a series, a film newer than the version): embedded from
    // their features when the catalogue has them and the version has an encoder.
    const outsideIds = [...input.liked, ...disliked].filter((t) => !version.rowOf.has(t));
    const outside = outsideIds.length > 0 && version.canEncode ? await version.embedOutside(await this.features.titlesWithPeople(outsideIds)) : new Map<string, Float32Array>();
    const result = await rank(
      version,
      {
        liked: input.liked,
        disliked,
        k: input.k ?? 10,
        filters: input.filters ?? {},
        diversity: input.diversity ?? 0,
        outside,
        ...(this.coLikes ? { coLikes: { model: this.coLikes.holder.model(version), params: this.coLikes.params } } : {}),
      },
      this.ranking,
    );
    const coModel = this.coLikes && result.carried && result.carried.size > 0 ? this.coLikes.holder.model(version) : null;
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
      // Raised by the taste store: first, the liked film it was most often liked with, and how often.
      const partner = coModel && result.carried?.has(pick.row) ? strongestPartner(coModel, pick.row, result.likedRows) : null;
      const partnerFacts = partner ? facts.get(version.items[partner.row]!.tconst) : undefined;
      if (partner && partnerFacts) parts = [coLikePart(partnerFacts, partner.visits), ...parts];
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

  /**
   * The given films only, all of them (or the k best), best first, each with its reason: the
   * programme's films for one taste. Separate from recommend() so that its requests keep their path.
   */
  private async scoreCandidates(
    version: NonNullable<VersionHolder['version']>,
    input: RecommendInput & { disliked: string[]; candidates: string[] },
  ): Promise<RecommendResponse> {
    const outsideIds = [...new Set([...input.liked, ...input.disliked, ...input.candidates])].filter((t) => !version.rowOf.has(t));
    const outside = outsideIds.length > 0 && version.canEncode ? await version.embedOutside(await this.features.titlesWithPeople(outsideIds)) : new Map<string, Float32Array>();
    const result = await rankCandidates(
      version,
      { liked: input.liked, disliked: input.disliked, filters: input.filters ?? {}, outside, candidates: input.candidates, candidatesOutside: outside },
      this.ranking,
    );
    const picks = input.k === undefined ? result.picks : result.picks.slice(0, input.k);
    const facts = await this.facts.facts(version.id, [...result.liked.map((l) => l.tconst), ...picks.map((p) => p.tconst)]);
    const likedFacts = result.liked.map((l) => facts.get(l.tconst)).filter((f): f is FilmFacts => f !== undefined);
    const items: RecommendedFilm[] = picks.map((pick) => {
      const rec = facts.get(pick.tconst);
      const row = version.rowOf.get(pick.tconst);
      let parts = rec && likedFacts.length > 0 ? reasonParts(rec, likedFacts) : [];
      if (result.coldStart) parts = row === undefined ? [] : [popularPart(version.items[row]!.rating, version.items[row]!.votes)];
      else if (parts.length === 0) {
        const closest = closestOf(pick.vector, result.liked);
        const closestFacts = closest === null ? undefined : facts.get(closest);
        if (closestFacts) parts = [similarPart(closestFacts)];
      }
      return { tconst: pick.tconst, score: Number(pick.score.toFixed(6)), reason: reasonLine(parts), reasons: parts };
    });
    // Inputs outside the index are reported as rank() does; encoded candidates are not inputs.
    const inputs = new Set([...input.liked, ...input.disliked]);
    return {
      version: version.id,
      coldStart: result.coldStart,
      unknown: result.unknown,
      encoded: result.encoded.filter((t) => inputs.has(t)),
      ...(result.fitScore === null ? {} : { fitScore: Number(result.fitScore.toFixed(6)) }),
      items,
    };
  }
}

/** The liked film the store saw most often liked with this one (ties: the one named last). */
function strongestPartner(model: { likedWith(a: number, b: number): number }, row: number, likedRows: readonly number[]): { row: number; visits: number } | null {
  let best: { row: number; visits: number } | null = null;
  for (const liked of likedRows) {
    const visits = model.likedWith(liked, row);
    if (visits > 0 && (!best || visits >= best.visits)) best = { row: liked, visits };
  }
  return best;
}

/** The liked title whose vector is closest to the recommended film's (its tconst). */
function closestLiked(version: NonNullable<VersionHolder['version']>, row: number, liked: { tconst: string; vector: Float32Array }[]): string | null {
  return closestOf(version.vector(row), liked);
}

