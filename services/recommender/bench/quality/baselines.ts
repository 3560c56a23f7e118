import { uniformRandom } from '../../src/embedding/svd';
import type { ItemMeta } from '../../src/embedding/version';
import type { Recommender } from './protocol';

function topExcluding(order: ArrayLike<number>, basket: number[], k: number): number[] {
  const skip = new Set(basket);
  const out: number[] = [];
  for (let i = 0; i < order.length && out.length < k; i++) if (!skip.has(order[i]!)) out.push(order[i]!);
  return out;
}

/** Most votes first: what a list of blockbusters would do. */
export function popularity(items: readonly ItemMeta[]): Recommender {
  const order = Int32Array.from(items.keys()).sort((a, b) => items[b]!.votes - items[a]!.votes || a - b);
  return (basket, k) => topExcluding(order, basket, k);
}

/** Uniformly random films, seeded per user so a run is reproducible. */
export function random(items: readonly ItemMeta[]): Recommender {
  return (basket, k, user) => {
    const draw = uniformRandom((user.userId * 2654435761) >>> 0);
    const skip = new Set(basket);
    const out = new Set<number>();
    while (out.size < Math.min(k, items.length - skip.size)) {
      const row = Math.floor(draw() * items.length);
      if (!skip.has(row)) out.add(row);
    }
    return [...out];
  };
}

/**
 * The student-project KNN: year, runtime, rating and log votes standard-scaled, plus one-hot
 * genres; the basket's mean vector; cosine to every film.
 */
export function studentKnn(items: readonly ItemMeta[]): Recommender {
  const genres = [...new Set(items.flatMap((i) => i.genres))].sort();
  const numeric = (i: ItemMeta) => [i.year, i.runtime, i.rating, i.votes > 0 ? Math.log(i.votes) : null];
  const cols = 4;
  const mean = new Array<number>(cols).fill(0);
  const sd = new Array<number>(cols).fill(0);
  const count = new Array<number>(cols).fill(0);
  for (const i of items) numeric(i).forEach((v, c) => { if (v !== null) { mean[c]! += v; count[c]!++; } });
  for (let c = 0; c < cols; c++) mean[c]! /= Math.max(1, count[c]!);
  for (const i of items) numeric(i).forEach((v, c) => { if (v !== null) sd[c]! += (v - mean[c]!) ** 2; });
  for (let c = 0; c < cols; c++) sd[c] = Math.sqrt(sd[c]! / Math.max(1, count[c]!)) || 1;
  const dims = cols + genres.length;
  const x = new Float64Array(items.length * dims);
  items.forEach((item, r) => {
    numeric(item).forEach((v, c) => { x[r * dims + c] = v === null ? 0 : (v - mean[c]!) / sd[c]!; });
    for (const g of item.genres) x[r * dims + cols + genres.indexOf(g)] = 1;
  });
  const norms = Float64Array.from(items, (_, r) => Math.hypot(...x.subarray(r * dims, (r + 1) * dims)) || 1);
  return (basket, k) => {
    const profile = new Float64Array(dims);
    for (const r of basket) for (let d = 0; d < dims; d++) profile[d]! += x[r * dims + d]! / basket.length;
    const pn = Math.hypot(...profile) || 1;
    const scores = Float64Array.from(items, (_, r) => {
      let dot = 0;
      for (let d = 0; d < dims; d++) dot += x[r * dims + d]! * profile[d]!;
      return dot / (norms[r]! * pn);
    });
    const order = Int32Array.from(items.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
    return topExcluding(order, basket, k);
  };
}
