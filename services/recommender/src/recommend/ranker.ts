import type { RecommendFilters } from '@cine/common';
import type { ItemMeta } from '../embedding/version';
import type { Neighbour } from './neighbour';
import type { LoadedVersion } from '../serving/loaded-version';
import { type CoLikeModel, type CoLikeParams, withCoLikes } from './co-likes';
import { blendedScore, blendedScores, topKOf } from './exact-scan';
import { ADAPTIVE_BOUNDS, type RankingParams } from './ranking';
import { normaliseBlocks } from './vector-math';

export interface RankRequest {
  liked: string[];
  disliked: string[];
  k: number;
  filters: RecommendFilters;
  diversity: number;
  /**
   * Vectors of liked or disliked titles the index does not hold, embedded from their features
   * (LoadedVersion.embedOutside): they shape the profile like the index's films.
   */
  outside?: ReadonlyMap<string, Float32Array>;
  /** The collaborative block learned from the taste store (co-likes.ts); absent or empty: content only. */
  coLikes?: { model: CoLikeModel; params: CoLikeParams };
}

/** Films the collaborative block re-ranks at least, whatever k: room for the store's neighbours to rise. */
const CO_LIKE_POOL = 50;

export interface RankedFilm {
  row: number;
  score: number;
}

export interface RankResult {
  coldStart: boolean;
  unknown: string[];
  /** Inputs outside the index that were embedded from their features, in request order. */
  encoded: string[];
  likedRows: number[];
  picks: RankedFilm[];
  /** For each pick the collaborative block raised, how much it added (empty: content only). */
  carried?: ReadonlyMap<number, number>;
}

export function filterPredicate(filters: RecommendFilters): ((item: ItemMeta) => boolean) | null {
  const tests: ((item: ItemMeta) => boolean)[] = [];
  if (filters.genres && filters.genres.length > 0) {
    const wanted = new Set(filters.genres.map((g) => g.toLowerCase()));
    tests.push((i) => i.genres.some((g) => wanted.has(g.toLowerCase())));
  }
  if (filters.decades && filters.decades.length > 0) {
    const wanted = new Set(filters.decades);
    tests.push((i) => i.year !== null && wanted.has(Math.floor(i.year / 10) * 10));
  }
  if (filters.maxRuntime !== undefined) {
    const max = filters.maxRuntime;
    tests.push((i) => i.runtime === null || i.runtime <= max);
  }
  if (filters.frenchOnly) tests.push((i) => i.french);
  return tests.length === 0 ? null : (item) => tests.every((t) => t(item));
}

/**
 * The liked films' weighted mean, pushed away from the mean of the disliked ones, normalised block
 * by block (the learned block and the explicit year and genre blocks each count as a cosine of
 * their own; their weights are in the item vectors). Liked films are weighted by recency: the
 * i-th from the end of the list weighs `recency`^i, so the films named last count most (1 = a
 * plain mean). On MovieLens the latest liked films predict the next one far better than older
 * ones (docs/recommender.md).
 */
export function profileOf(
  version: LoadedVersion,
  liked: readonly (number | Float32Array)[],
  disliked: readonly (number | Float32Array)[],
  dislikeWeight: number,
  recency = 1,
): Float32Array {
  const q = new Float32Array(version.dims);
  const addMean = (rows: readonly (number | Float32Array)[], weight: number, decay: number) => {
    if (rows.length === 0) return;
    const mean = new Float32Array(version.dims);
    rows.forEach((r, i) => {
      const w = decay ** (rows.length - 1 - i);
      // A row of the index, or the vector of a title outside it.
      const v = typeof r === 'number' ? version.vector(r) : r;
      for (let k = 0; k < mean.length; k++) mean[k]! += w * v[k]!;
    });
    if (!normaliseBlocks(version.blocks, mean, weight)) return;
    for (let k = 0; k < q.length; k++) q[k]! += mean[k]!;
  };
  addMean(liked, 1, recency);
  addMean(disliked, -dislikeWeight, 1);
  normaliseBlocks(version.blocks, q, 1);
  return q;
}

function cosine(version: LoadedVersion, a: number, b: number): number {
  return vectorCosine(version.vector(a), version.vector(b));
}

/** Cosine of two vectors (0 when either is the zero vector). */
export function vectorCosine(va: Float32Array, vb: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < va.length; k++) {
    dot += va[k]! * vb[k]!;
    na += va[k]! * va[k]!;
    nb += vb[k]! * vb[k]!;
  }
  // Vectors with explicit blocks are not unit length (the block weights are baked in).
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * Maximal marginal relevance: each next film trades its score against its closeness to the
 * films already chosen; diversity 0 keeps the score order, 1 favours the least alike.
 */
export function mmr(version: LoadedVersion, pool: RankedFilm[], k: number, diversity: number): RankedFilm[] {
  if (diversity <= 0 || pool.length <= 1) return pool.slice(0, k);
  const lambda = 1 - diversity;
  const top = pool[0]!.score;
  const bottom = pool[pool.length - 1]!.score;
  const span = top - bottom || 1;
  const remaining = [...pool];
  const chosen: RankedFilm[] = [];
  const maxSim = new Float32Array(pool.length).fill(-1);
  const position = new Map(pool.map((p, i) => [p.row, i]));
  while (chosen.length < k && remaining.length > 0) {
    let best = 0;
    let bestValue = -Infinity;
    for (let j = 0; j < remaining.length; j++) {
      const c = remaining[j]!;
      const rel = (c.score - bottom) / span;
      const sim = chosen.length === 0 ? 0 : maxSim[position.get(c.row)!]!;
      const value = lambda * rel - (1 - lambda) * sim;
      if (value > bestValue) {
        bestValue = value;
        best = j;
      }
    }
    const pick = remaining.splice(best, 1)[0]!;
    chosen.push(pick);
    for (const c of remaining) {
      const p = position.get(c.row)!;
      const s = cosine(version, pick.row, c.row);
      if (s > maxSim[p]!) maxSim[p] = s;
    }
  }
  return chosen;
}

/** The prior's weight for this customer (see RankingParams.adaptive). */
export function adaptiveAlpha(version: LoadedVersion, likedRows: number[], params: RankingParams): number {
  if (params.adaptive === 0 || likedRows.length === 0 || version.meanPrior <= 0) return params.alpha;
  const liked = likedRows.reduce((sum, r) => sum + version.prior[r]!, 0) / likedRows.length;
  const factor = Math.min(ADAPTIVE_BOUNDS[1], Math.max(ADAPTIVE_BOUNDS[0], (liked / version.meanPrior) ** params.adaptive));
  return params.alpha * factor;
}

/** Resolves the request on one version and ranks: ONNX top-k first, an exact scan if filters starve it. */
export async function rank(version: LoadedVersion, req: RankRequest, params: RankingParams): Promise<RankResult> {
  const unknown: string[] = [];
  const encoded: string[] = [];
  // Each input in request order: its row in the index, else its vector from the encoder.
  const resolve = (tconsts: string[]) => {
    const rows: number[] = [];
    const inputs: (number | Float32Array)[] = [];
    for (const t of new Set(tconsts)) {
      const row = version.rowOf.get(t);
      const vector = row === undefined ? req.outside?.get(t) : undefined;
      if (row !== undefined) {
        rows.push(row);
        inputs.push(row);
      } else if (vector) {
        encoded.push(t);
        inputs.push(vector);
      } else unknown.push(t);
    }
    return { rows, inputs };
  };
  const { rows: likedRows, inputs: likedInputs } = resolve(req.liked);
  const { rows: dislikedRows, inputs: dislikedInputs } = resolve(req.disliked);
  const excluded = new Set([...likedRows, ...dislikedRows]);
  const predicate = filterPredicate(req.filters);
  const keep = (row: number) => !excluded.has(row) && (predicate === null || predicate(version.items[row]!));
  // MMR needs room to choose from; plain ranking needs exactly k.
  const poolSize = req.diversity > 0 ? Math.min(version.items.length, Math.max(req.k * 5, 50)) : req.k;

  if (likedInputs.length === 0) {
    const picks: RankedFilm[] = [];
    for (const row of version.coldOrder) {
      if (!keep(row)) continue;
      picks.push({ row, score: version.weighted[row]! / 10 });
      if (picks.length >= poolSize) break;
    }
    return { coldStart: true, unknown, encoded, likedRows, picks: mmr(version, picks, req.k, req.diversity) };
  }

  const query = profileOf(version, likedInputs, dislikedInputs, params.dislike, params.recency);
  const alpha = adaptiveAlpha(version, likedRows, params);
  const n = version.items.length;
  const co = req.coLikes && req.coLikes.params.gamma > 0 && !req.coLikes.model.empty ? req.coLikes : null;
  const searched = co ? Math.max(poolSize, CO_LIKE_POOL) : poolSize;
  // Ask ONNX for enough that, after removing the inputs and what filters reject, a pool remains.
  const widen = predicate === null ? 1 : 4;
  const asked = Math.min(n, (searched + excluded.size) * widen + 20);
  const [first] = await version.index.topK(query, asked, alpha);
  let pool: Neighbour[] = first!.filter((c) => keep(c.index));
  if (pool.length < searched && asked < n) {
    pool = topKOf(blendedScores(version.vectors, version.dims, version.prior, query, alpha), searched, keep);
  }
  let candidates = pool.slice(0, searched).map((c) => ({ row: c.index, score: c.score }));
  let carried: ReadonlyMap<number, number> = new Map();
  if (co) {
    const weights = likedRows.map((_, i) => params.recency ** (likedRows.length - 1 - i));
    const contentScore = (row: number) => blendedScore(version.vectors, version.dims, version.prior, query, alpha, row);
    ({ ranked: candidates, carried } = withCoLikes(candidates, likedRows, weights, co.model, co.params, contentScore, keep));
  }
  const picks = mmr(version, candidates.slice(0, poolSize), req.k, req.diversity);
  return { coldStart: false, unknown, encoded, likedRows, picks, ...(co ? { carried } : {}) };
}
