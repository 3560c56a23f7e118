import type { ItemMeta } from '../embedding/version';

/**
 * How similarity and the priors are blended. Content similarity alone recommends obscure
 * look-alikes; MovieLens users (like cinema audiences) mostly like films many people liked, so
 * the score adds a prior of popularity (log votes) and quality (weighted rating). Values tuned on
 * the tuning half of MovieLens users by the quality harness (docs/recommender.md).
 */
export interface RankingParams {
  /** Weight of the prior added to the cosine similarity. */
  alpha: number;
  /** Share of quality (weighted rating) in the prior; the rest is popularity (log votes). */
  quality: number;
  /** How hard disliked films push the profile away (0 = ignored). */
  dislike: number;
  /**
   * How much the prior follows the customer: alpha is multiplied by (mean prior of the liked
   * films / mean prior of the catalogue) to this power, so someone who names blockbusters gets
   * the popular films pushed, someone who names rarities gets more of their own kind.
   * 0 = one alpha for everyone.
   */
  adaptive: number;
  /**
   * Recency weighting of the liked films: the i-th from the end of the list weighs recency^i in
   * the profile (1 = a plain mean). The list's order is the order the customer named them in.
   */
  recency: number;
}

export const DEFAULT_RANKING: RankingParams = { alpha: 0.6, quality: 0.5, dislike: 0.5, adaptive: 3, recency: 0.7 };

/** The adaptive factor is kept within these bounds, so one odd film cannot silence or swamp the prior. */
export const ADAPTIVE_BOUNDS = [0.25, 4] as const;

/** IMDb's weighted rating: a film's mean pulled toward the catalogue mean until votes pile up. */
export function weightedRatings(items: readonly ItemMeta[]): Float32Array {
  const rated = items.filter((i) => i.rating !== null && i.votes > 0);
  const mean = rated.reduce((s, i) => s + i.rating!, 0) / Math.max(1, rated.length);
  const votes = rated.map((i) => i.votes).sort((a, b) => a - b);
  // The votes of the 90th-percentile film: below that, a film's own mean counts less than half,
  // so a 9.9 from a few hundred fans does not outrank a 9.2 from a million.
  const m = Math.max(1, votes[Math.floor(votes.length * 0.9)] ?? 1);
  return Float32Array.from(items, (i) => {
    if (i.rating === null || i.votes <= 0) return mean * 0.9;
    return (i.votes / (i.votes + m)) * i.rating + (m / (i.votes + m)) * mean;
  });
}

function minMax(values: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const span = hi - lo || 1;
  return values.map((v) => (v - lo) / span);
}

/** The prior of each film in [0, 1]. */
export function priors(items: readonly ItemMeta[], quality: number): Float32Array {
  const pop = minMax(Float32Array.from(items, (i) => Math.log1p(Math.max(0, i.votes))));
  const qual = minMax(weightedRatings(items));
  return pop.map((p, i) => (1 - quality) * p + quality * qual[i]!);
}
