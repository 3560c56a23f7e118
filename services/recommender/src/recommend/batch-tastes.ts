import type { LoadedVersion } from '../serving/loaded-version';
import { adaptiveAlpha } from './ranker';
import type { RankingParams } from './ranking';
import { normaliseBlocks } from './vector-math';

/** A liked, disliked or candidate title as the version places it: a row of the index, or the encoder's vector. */
export interface Placed {
  tconst: string;
  row: number | null;
  vector: Float32Array;
}

/** What a taste resolved by its tconsts carries besides numbers, for its JSON answer and its reasons. */
export interface TasteTitles {
  unknown: readonly string[];
  encoded: readonly string[];
  /** The liked titles as placed; [] when no reason is asked. */
  liked: readonly Placed[];
}

/**
 * The batch's titles outside the index, with the encoder's vectors: title `tconst` is reference
 * −1 − index.get(tconst), its vector at that place of `vectors`. A reference ≥ 0 is a row of the
 * index: one number type for both, so the profile's loop reads one kind of array.
 */
export class OutsideVectors {
  readonly index = new Map<string, number>();
  readonly vectors: Float32Array;

  constructor(
    private readonly dims: number,
    vectors: ReadonlyMap<string, Float32Array>,
  ) {
    this.vectors = new Float32Array(vectors.size * dims);
    for (const [tconst, vector] of vectors) {
      this.vectors.set(vector, this.index.size * dims);
      this.index.set(tconst, this.index.size);
    }
  }

  vector(tconst: string): Float32Array | undefined {
    const at = this.index.get(tconst);
    return at === undefined ? undefined : this.vectors.subarray(at * this.dims, (at + 1) * this.dims);
  }
}

const NONE: readonly string[] = Object.freeze([]);

/**
 * A version's title codes (common's tconstCode) → rows, as an open-addressing table of numbers:
 * 650 000 look-ups a 100 000-taste run, where a Map boxes every float64 code it is asked for.
 */
export class CodeRows {
  /** NaN where empty: no code equals it, a NaN code from a malformed body included. */
  private readonly keys: Float64Array;
  private readonly values: Int32Array;
  private readonly mask: number;
  private readonly shift: number;

  constructor(codes: ArrayLike<number | null>) {
    let bits = 4;
    while (1 << bits < 2 * codes.length) bits++;
    this.keys = new Float64Array(1 << bits).fill(Number.NaN);
    this.values = new Int32Array(1 << bits);
    this.mask = (1 << bits) - 1;
    this.shift = 32 - bits;
    for (let row = 0; row < codes.length; row++) {
      const code = codes[row];
      if (code === null || code === undefined) continue;
      let i = this.slot(code);
      // A code met twice keeps its last row, as the version's rowOf does.
      while (this.keys[i] === this.keys[i] && this.keys[i] !== code) i = (i + 1) & this.mask;
      this.keys[i] = code;
      this.values[i] = row;
    }
  }

  /** The row of the title with this code; −1 when the version has none. */
  get(code: number): number {
    for (let i = this.slot(code); ; i = (i + 1) & this.mask) {
      const key = this.keys[i]!;
      if (key === code) return this.values[i]!;
      if (key !== key) return -1;
    }
  }

  /** Codes reach 4·10¹⁰: both 32-bit halves mixed. */
  private slot(code: number): number {
    return Math.imul((code >>> 0) ^ Math.imul(Math.floor(code / 4294967296), 0x85ebca6b), 0x9e3779b1) >>> this.shift;
  }
}

/**
 * The tastes of one batch request on one version, as numbers: a profile row and a prior weight per
 * taste (the single route's, see `profileInto`), its inputs in the index as rows. 100 000 tastes
 * were 100 000 objects, each with its arrays, its Set and its own typed array: their allocation
 * and collection cost the recommender more than the product. Filled in request order by `addRows`
 * (a taste whose titles are all rows of the index: the binary request's common case) or
 * `addTitles` (by tconst: the JSON request, or a title outside the index).
 */
export class ResolvedTastes {
  /** size × dims, taste-major; zeros for a taste without a profile. */
  readonly profiles: Float32Array;
  readonly alpha: Float64Array;
  /** 1 for a taste with a profile, 0 for a cold start (nothing liked usable). */
  readonly profiled: Uint8Array;
  /** Taste t's inputs, the resolved liked then disliked rows of the index once each: `inputs` from inputStart[t] to inputStart[t + 1]. */
  readonly inputStart: Int32Array;
  private rows: Int32Array;
  /** Only for the tastes resolved by tconst. */
  private readonly titles: (TasteTitles | undefined)[];
  private count = 0;
  private readonly dims: number;
  /** recency ** i, the liked titles' weights, computed as the single route computes them. */
  private readonly powers: Float64Array;
  private readonly liked: number[] = [];
  private readonly disliked: number[] = [];
  private readonly mean: Float32Array;
  private readonly query: Float32Array;

  constructor(
    private readonly version: LoadedVersion,
    readonly size: number,
    /** Titles of every list of every taste: enough room for the inputs. */
    titles: number,
    private readonly ranking: RankingParams,
    private readonly outside: OutsideVectors,
  ) {
    this.dims = version.dims;
    this.profiles = new Float32Array(size * this.dims);
    this.alpha = new Float64Array(size);
    this.profiled = new Uint8Array(size);
    this.inputStart = new Int32Array(size + 1);
    this.rows = new Int32Array(Math.max(16, titles));
    this.titles = new Array<TasteTitles | undefined>(size);
    this.powers = Float64Array.from({ length: 101 }, (_, i) => ranking.recency ** i);
    this.mean = new Float32Array(this.dims);
    this.query = new Float32Array(this.dims);
  }

  /** Taste t's inputs in the index, as rows. */
  inputsOf(t: number): Int32Array {
    return this.rows.subarray(this.inputStart[t]!, this.inputStart[t + 1]!);
  }

  unknownOf(t: number): readonly string[] {
    return this.titles[t]?.unknown ?? NONE;
  }

  encodedOf(t: number): readonly string[] {
    return this.titles[t]?.encoded ?? NONE;
  }

  likedOf(t: number): readonly Placed[] {
    return this.titles[t]?.liked ?? [];
  }

  /** Rows rows[from, from + nLiked) liked and the nDisliked after them disliked, every one in the index. */
  addRows(rows: Int32Array, from: number, nLiked: number, nDisliked: number): void {
    const liked = this.liked;
    const disliked = this.disliked;
    liked.length = 0;
    disliked.length = 0;
    // Each list once each, first place kept (as a Set of tconsts iterates them).
    for (let i = from; i < from + nLiked; i++) if (!liked.includes(rows[i]!)) liked.push(rows[i]!);
    for (let i = from + nLiked; i < from + nLiked + nDisliked; i++) if (!disliked.includes(rows[i]!)) disliked.push(rows[i]!);
    const t = this.count;
    let at = this.reserve(liked.length + disliked.length);
    for (const row of liked) this.rows[at++] = row;
    for (const row of disliked) if (!liked.includes(row)) this.rows[at++] = row;
    this.inputStart[t + 1] = at;
    this.finishTaste(liked);
  }

  /**
   * A taste by tconst, as rankCandidates resolves it: each list in request order, once each, first
   * place kept; a title outside the index placed by the encoder (`outside`) or unknown.
   */
  addTitles(likedTitles: readonly string[], dislikedTitles: readonly string[], keepLiked: boolean): void {
    const unknown: string[] = [];
    const encoded: string[] = [];
    const placedLiked: Placed[] = [];
    const inputs: number[] = [];
    const likedRows: number[] = [];
    const take = (list: readonly string[], refs: number[], isLiked: boolean) => {
      refs.length = 0;
      for (let i = 0; i < list.length; i++) {
        const t = list[i]!;
        if (list.indexOf(t) !== i) continue;
        const row = this.version.rowOf.get(t);
        const at = row === undefined ? this.outside.index.get(t) : undefined;
        if (row === undefined && at === undefined) {
          unknown.push(t);
          continue;
        }
        refs.push(row ?? -1 - at!);
        if (row !== undefined && !inputs.includes(row)) inputs.push(row);
        if (row === undefined) encoded.push(t);
        if (isLiked) {
          if (row !== undefined) likedRows.push(row);
          if (keepLiked) placedLiked.push(row === undefined ? { tconst: t, row: null, vector: this.outside.vector(t)! } : { tconst: t, row, vector: this.version.vector(row) });
        }
      }
    };
    take(likedTitles, this.liked, true);
    take(dislikedTitles, this.disliked, false);
    const t = this.count;
    let at = this.reserve(inputs.length);
    for (const row of inputs) this.rows[at++] = row;
    this.inputStart[t + 1] = at;
    this.titles[t] = { unknown, encoded, liked: placedLiked };
    this.finishTaste(likedRows);
  }

  /** The profile and prior weight of the taste whose references are in `liked` and `disliked`. */
  private finishTaste(likedRows: number[]): void {
    const t = this.count++;
    if (this.liked.length === 0) return;
    profileInto(this.version, this.outside.vectors, this.liked, this.disliked, this.ranking, this.powers, this.mean, this.query);
    this.profiles.set(this.query, t * this.dims);
    this.alpha[t] = adaptiveAlpha(this.version, likedRows, this.ranking);
    this.profiled[t] = 1;
  }

  /** Room for n more inputs; where they start. */
  private reserve(n: number): number {
    const at = this.inputStart[this.count]!;
    if (at + n > this.rows.length) {
      const grown = new Int32Array(Math.max(at + n, 2 * this.rows.length));
      grown.set(this.rows.subarray(0, at));
      this.rows = grown;
    }
    return at;
  }
}

/**
 * ranker.ts's profileOf, operation for operation, so that the float32 profile is the same bit for
 * bit and the scores equal the single route's: the recency-weighted mean of the liked titles,
 * normalised block by block; the disliked titles' mean, normalised to −dislikeWeight, added; the
 * sum normalised. Written for 100 000 calls: references as numbers (a row of the index, or −1 − i
 * for the i-th vector of `outside`), the weights from a table, the scratch `mean` and the result
 * `q` the caller's.
 */
export function profileInto(
  version: Pick<LoadedVersion, 'dims' | 'blocks' | 'vectors'>,
  outside: Float32Array,
  liked: readonly number[],
  disliked: readonly number[],
  params: Pick<RankingParams, 'dislike' | 'recency'>,
  /** recency ** i for the first i, as a table (the same numbers). */
  powers: Float64Array,
  mean: Float32Array,
  q: Float32Array,
): void {
  q.fill(0);
  addMean(version, outside, liked, 1, params.recency, powers, mean, q);
  addMean(version, outside, disliked, -params.dislike, 1, null, mean, q);
  normaliseBlocks(version.blocks, q, 1);
}

/** One list's mean into q, the i-th of n weighted decay ** (n − 1 − i). */
function addMean(version: Pick<LoadedVersion, 'dims' | 'blocks' | 'vectors'>, outside: Float32Array, refs: readonly number[], weight: number, decay: number, powers: Float64Array | null, mean: Float32Array, q: Float32Array): void {
  const n = refs.length;
  if (n === 0) return;
  const dims = version.dims;
  mean.fill(0);
  for (let i = 0; i < n; i++) {
    const e = n - 1 - i;
    const w = powers !== null && e < powers.length ? powers[e]! : decay ** e;
    const r = refs[i]!;
    const v = r >= 0 ? version.vectors : outside;
    const o = (r >= 0 ? r : -1 - r) * dims;
    // Four at a time: V8 does not unroll, and this loop is most of a batch's profiles (half the time).
    let k = 0;
    for (; k + 4 <= dims; k += 4) {
      mean[k]! += w * v[o + k]!;
      mean[k + 1]! += w * v[o + k + 1]!;
      mean[k + 2]! += w * v[o + k + 2]!;
      mean[k + 3]! += w * v[o + k + 3]!;
    }
    for (; k < dims; k++) mean[k]! += w * v[o + k]!;
  }
  if (!normaliseBlocks(version.blocks, mean, weight)) return;
  for (let k = 0; k < dims; k++) q[k]! += mean[k]!;
}
