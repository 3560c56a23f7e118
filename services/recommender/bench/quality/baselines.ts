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

/**
 * A reference, not a product method: item-to-item collaborative filtering learned from the other
 * MovieLens users' liked films, the customer history the product does not have (cold start). It
 * measures how far the behaviour of this very population takes a recommender on this catalogue,
 * so the content method's hit rate can be read against it rather than against a target alone.
 *
 * score(b) = Σ over basket films a of co(a, b) / (√(n_a + 1) · (n_b + 1)^β), where co(a, b) is
 * how many users liked both and n how many liked a film. The user being ranked is left out of
 * every count, so their own held-out film cannot vote for itself. β trades hit rate for coverage:
 * 0 favours what co-occurs most (the popular films), 1 divides popularity out. Films no basket
 * film co-occurs with follow, most liked first.
 */
export class CoLikes {
  private constructor(
    private readonly liked: ReadonlyMap<number, ReadonlySet<number>>,
    private readonly count: Int32Array,
    private readonly rowPtr: Int32Array,
    private readonly cols: Int32Array,
    private readonly pairs: Int32Array,
  ) {}

  /**
   * Counts the co-likes of every pair of films; null when there are more than `maxPairs` (the
   * sum over users of their liked films squared): the counts of a ratings file as large as
   * ml-25m would not fit, and the reference is then left out of the table.
   */
  static build(likedByUser: ReadonlyMap<number, readonly number[]>, size: number, maxPairs = 2e8): CoLikes | null {
    let work = 0;
    for (const rows of likedByUser.values()) work += rows.length * rows.length;
    if (work > maxPairs) return null;
    const liked = new Map<number, ReadonlySet<number>>();
    const count = new Int32Array(size);
    const co: Map<number, number>[] = Array.from({ length: size }, () => new Map());
    for (const [userId, rows] of likedByUser) {
      const set = new Set(rows);
      liked.set(userId, set);
      for (const a of set) {
        count[a]!++;
        const row = co[a]!;
        for (const b of set) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1);
      }
    }
    const rowPtr = new Int32Array(size + 1);
    co.forEach((row, a) => (rowPtr[a + 1] = rowPtr[a]! + row.size));
    const cols = new Int32Array(rowPtr[size]!);
    const pairs = new Int32Array(rowPtr[size]!);
    co.forEach((row, a) => {
      let j = rowPtr[a]!;
      for (const [b, c] of row) {
        cols[j] = b;
        pairs[j++] = c;
      }
    });
    return new CoLikes(liked, count, rowPtr, cols, pairs);
  }

  recommender(beta: number): Recommender {
    const size = this.count.length;
    return (basket, k, user) => {
      const own = this.liked.get(user.userId) ?? new Set<number>();
      const mine = (row: number) => (own.has(row) ? 1 : 0);
      const score = new Float64Array(size);
      for (const a of basket) {
        const ownA = mine(a);
        const na = this.count[a]! - ownA;
        for (let j = this.rowPtr[a]!; j < this.rowPtr[a + 1]!; j++) {
          const b = this.cols[j]!;
          const c = this.pairs[j]! - (ownA && own.has(b) ? 1 : 0);
          if (c > 0) score[b]! += c / (Math.sqrt(na + 1) * (this.count[b]! - mine(b) + 1) ** beta);
        }
      }
      const others = Int32Array.from(this.count, (n, row) => n - mine(row));
      const order = Int32Array.from(score.keys()).sort((x, y) => score[y]! - score[x]! || others[y]! - others[x]! || x - y);
      return topExcluding(order, basket, k);
    };
  }
}

/**
 * Weights of EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019), a
 * strong collaborative model on MovieLens: B = I − P · diag(1 / diag P), P = (XᵀX + λI)⁻¹, with a
 * zero diagonal; a basket's scores are the sum of its films' rows of B. Dense: size² doubles and
 * about 2·size³ operations, so callers keep it to catalogues of a few thousand films.
 */
export function easeWeights(users: Iterable<readonly number[]>, size: number, lambda: number): Float64Array {
  const p = new Float64Array(size * size);
  for (const rows of users) {
    const set = [...new Set(rows)];
    for (const a of set) for (const b of set) p[a * size + b]! += 1;
  }
  for (let i = 0; i < size; i++) p[i * size + i]! += lambda;
  // Gauss–Jordan on the symmetric positive definite Gram matrix: no pivoting needed.
  const inv = new Float64Array(size * size);
  for (let i = 0; i < size; i++) inv[i * size + i] = 1;
  for (let c = 0; c < size; c++) {
    const pc = p.subarray(c * size, (c + 1) * size);
    const ic = inv.subarray(c * size, (c + 1) * size);
    const pivot = pc[c]!;
    for (let j = 0; j < size; j++) {
      pc[j]! /= pivot;
      ic[j]! /= pivot;
    }
    for (let r = 0; r < size; r++) {
      const f = p[r * size + c]!;
      if (r === c || f === 0) continue;
      const pr = p.subarray(r * size, (r + 1) * size);
      const ir = inv.subarray(r * size, (r + 1) * size);
      for (let j = 0; j < size; j++) {
        pr[j]! -= f * pc[j]!;
        ir[j]! -= f * ic[j]!;
      }
    }
  }
  const b = new Float64Array(size * size);
  for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) if (i !== j) b[i * size + j] = -inv[i * size + j]! / inv[j * size + j]!;
  return b;
}

/** Films beyond which the EASE reference is left out (its weights would be ≥ 128 MB, its fit minutes long). */
export const EASE_MAX_FILMS = 4000;

/**
 * The EASE reference, ranking the users `ranked` accepts with models that never saw them: those
 * users are split in two folds by id, and each fold is ranked by EASE fitted on every other
 * user's liked films (both halves, all of their likes). A reference like CoLikes: the history the
 * product does not have.
 */
export function ease(likedByUser: ReadonlyMap<number, readonly number[]>, size: number, lambda: number, ranked: (userId: number) => boolean): Recommender {
  const fold = (userId: number) => (userId >> 1) & 1;
  const models = new Map<number, Float64Array>();
  const model = (f: number) => {
    let b = models.get(f);
    if (!b) {
      const training = [...likedByUser].filter(([userId]) => !(ranked(userId) && fold(userId) === f)).map(([, rows]) => rows);
      models.set(f, (b = easeWeights(training, size, lambda)));
    }
    return b;
  };
  return (basket, k, user) => {
    if (!ranked(user.userId)) throw new Error(`EASE reference: user ${user.userId} is not among the users it was set up to rank`);
    const b = model(fold(user.userId));
    const score = new Float64Array(size);
    for (const a of basket) {
      const row = b.subarray(a * size, (a + 1) * size);
      for (let j = 0; j < size; j++) score[j]! += row[j]!;
    }
    const order = Int32Array.from(score.keys()).sort((x, y) => score[y]! - score[x]! || x - y);
    return topExcluding(order, basket, k);
  };
}
