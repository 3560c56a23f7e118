import * as ort from 'onnxruntime-node';
import { blendedScore, exactTopK } from '../recommend/exact-scan';
import type { Neighbour } from '../recommend/neighbour';
import { buildTopKModel, type QuantisedItems, type QueryRow, quantiseItems, quantiseQuery } from './topk-model';

/** Held once: a global looked up in a hot loop is slow where the global object is not the realm's own (jest's vm context). */
const { imul } = Math;

/**
 * How many approximate candidates are asked for the top k. Re-ranking them costs d
 * multiplications each in TypeScript, and TopK grows with them (k + max(2k, 192) cost 0.13 ms
 * more per query at 100 000 films); too few and the proof below fails more often, which costs a
 * wider search. Measured on synthetic and sample-catalogue queries (docs/recommender.md).
 */
export function candidatesFor(k: number): number {
  return k + Math.max(k, 64);
}

/**
 * When the proof fails, the search is repeated this much wider, at most `WIDER_SEARCHES` times,
 * before the full TypeScript scan. On the sample catalogue a few hundred near-identical films
 * (sparse metadata) can score within the bound of each other: 8 × 8 × 74 candidates hold them.
 */
const WIDEN = 8;
const WIDER_SEARCHES = 2;

/**
 * Films with bit-identical vectors and priors, grouped: they always score the same, so ONNX ranks
 * one row per group. On the sample catalogue a quarter of the films are such copies (films with
 * the same sparse metadata, e.g. only a genre and a year); besides the smaller product, a group
 * is what lets the proof work when hundreds of films tie at the k-th score.
 */
export interface FilmGroups {
  /** The first (lowest) film of each group, ascending: the rows ONNX ranks. */
  first: Int32Array;
  /** Group g's films, ascending, are members[start[g]] … members[start[g + 1] − 1]. */
  start: Int32Array;
  members: Int32Array;
}

export function groupIdentical(dims: number, vectors: Float32Array, prior: Float32Array): FilmGroups {
  const films = prior.length;
  const vBits = new Uint32Array(vectors.buffer, vectors.byteOffset, vectors.length);
  const pBits = new Uint32Array(prior.buffer, prior.byteOffset, prior.length);
  const same = (a: number, b: number) => {
    if (pBits[a] !== pBits[b]) return false;
    for (let k = 0; k < dims; k++) if (vBits[a * dims + k] !== vBits[b * dims + k]) return false;
    return true;
  };
  const groupOf = new Int32Array(films);
  const firsts: number[] = [];
  // hash → first group with it; further groups with the same hash are chained through `next`.
  const byHash = new Map<number, number>();
  const next: number[] = [];
  for (let i = 0; i < films; i++) {
    // FNV-1a over the 32-bit words; collisions are resolved by comparing the bits.
    let h = (0x811c9dc5 ^ pBits[i]!) >>> 0;
    const o = i * dims;
    for (let k = 0; k < dims; k++) h = imul(h ^ vBits[o + k]!, 0x01000193);
    h >>>= 0;
    let g = byHash.get(h) ?? -1;
    let last = -1;
    while (g >= 0 && !same(firsts[g]!, i)) {
      last = g;
      g = next[g]!;
    }
    if (g >= 0) {
      groupOf[i] = g;
      continue;
    }
    g = firsts.length;
    groupOf[i] = g;
    firsts.push(i);
    next.push(-1);
    if (last >= 0) next[last] = g;
    else byHash.set(h, g);
  }
  const start = new Int32Array(firsts.length + 1);
  for (let i = 0; i < films; i++) start[groupOf[i]! + 1]!++;
  for (let g = 0; g < firsts.length; g++) start[g + 1]! += start[g]!;
  const fill = start.slice(0, firsts.length);
  const members = new Int32Array(films);
  for (let i = 0; i < films; i++) members[fill[groupOf[i]!]!++] = i;
  return { first: Int32Array.from(firsts), start, members };
}

/**
 * One version's item matrix as a live onnxruntime session, answering exact top-k queries.
 *
 * ONNX ranks int8 codes (topk-model.ts), one row per group of identical films, and returns
 * `candidatesFor(k)` groups; their films are re-scored exactly here, with the same function as
 * the full TypeScript scan. The answer is then proven: every group ONNX left out scores at most
 * `scale · smallest candidate's integer score + bound`, so if the k-th exact score is above that,
 * no film outside can enter the top k. When the proof fails (near-ties around the candidate
 * boundary), the search is repeated 8× wider, then 64×, then the full TypeScript scan answers;
 * `stats` counts them. The result is therefore always the exact top k, in the order of
 * `exactTopK` (score, then lower index).
 *
 * Single-threaded intra-op: the service answers many small queries, and on two cores a thread
 * pool per query costs more than it saves.
 */
export class OnnxIndex {
  /** The `candidates` input of the last call, kept: most calls repeat it. */
  private candidatesFeed: { value: number; tensor: ort.Tensor } | null = null;
  /** Query rows answered; of them, rows that needed the wider search, and rows that needed the full scan. */
  readonly stats = { rows: 0, widened: 0, scanned: 0 };

  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly items: QuantisedItems,
    private readonly groups: FilmGroups,
    private readonly vectors: Float32Array,
    private readonly prior: Float32Array,
    readonly modelBytes: number,
  ) {}

  /** Films. */
  get size(): number {
    return this.prior.length;
  }

  /** Rows ONNX ranks: one per group of identical films. */
  get distinct(): number {
    return this.groups.first.length;
  }

  get dims(): number {
    return this.items.dims;
  }

  /** `vectors` and `prior` are kept by reference (not copied) for the exact re-ranking. */
  static async create(dims: number, vectors: Float32Array, prior: Float32Array, opts: { threads?: number } = {}): Promise<OnnxIndex> {
    const groups = groupIdentical(dims, vectors, prior);
    const items = quantiseItems(dims, vectors, prior, groups.first);
    const model = buildTopKModel(items);
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: opts.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    // The codes live on in the session; only the scales and bounds are needed here.
    const kept: QuantisedItems = { ...items, codes: new Int8Array(0) };
    return new OnnxIndex(session, kept, groups, vectors, prior, model.byteLength);
  }

  /** The exact best `k` films for each query row (query: batch × dims, row-major). */
  async topK(query: Float32Array, k: number, alpha: number): Promise<Neighbour[][]> {
    const dims = this.dims;
    const batch = query.length / dims;
    const kk = Math.max(1, Math.min(k, this.size));
    const rows = Array.from({ length: batch }, (_, b) => query.subarray(b * dims, (b + 1) * dims));
    const result: Neighbour[][] = new Array(batch);
    this.stats.rows += batch;
    let pending = rows.map((_, b) => b);
    let candidates = Math.min(this.distinct, candidatesFor(kk));
    for (let round = 0; pending.length > 0; round++) {
      if (round > WIDER_SEARCHES) {
        this.stats.scanned += pending.length;
        for (const b of pending) result[b] = exactTopK(this.vectors, dims, this.prior, rows[b]!, alpha, kk);
        break;
      }
      const answers = await this.search(
        pending.map((b) => rows[b]!),
        kk,
        alpha,
        candidates,
      );
      const unproven: number[] = [];
      pending.forEach((b, j) => {
        const answer = answers[j];
        if (answer) result[b] = answer;
        else unproven.push(b);
      });
      if (round === 0) this.stats.widened += unproven.length;
      pending = unproven;
      candidates = Math.min(this.distinct, candidates * WIDEN);
    }
    return result;
  }

  /**
   * ONNX's approximate candidates alone (`count` groups, best integer score first, each group's
   * films in order), before the exact re-ranking and the proof: what tests measure recall on.
   */
  async candidates(query: Float32Array, alpha: number, count: number): Promise<number[][]> {
    const dims = this.dims;
    const rows = Array.from({ length: query.length / dims }, (_, b) => query.subarray(b * dims, (b + 1) * dims));
    const found = await this.approximate(rows, alpha, Math.min(this.distinct, count));
    const { start, members } = this.groups;
    return rows.map((_, b) =>
      Array.from(found.indices.subarray(b * found.count, (b + 1) * found.count), Number).flatMap((g) => Array.from(members.subarray(start[g]!, start[g + 1]!))),
    );
  }

  /** One ONNX call for these rows; per row, the exact top k, or null when it cannot be proven. */
  private async search(rows: Float32Array[], k: number, alpha: number, candidates: number): Promise<(Neighbour[] | null)[]> {
    const { approx, indices, quantised } = await this.approximate(rows, alpha, candidates);
    const { first, start, members } = this.groups;
    return rows.map((row, b) => {
      const groups: { group: number; score: number }[] = [];
      for (let j = 0; j < candidates; j++) {
        const group = Number(indices[b * candidates + j]!);
        groups.push({ group, score: blendedScore(this.vectors, this.dims, this.prior, row, alpha, first[group]!) });
      }
      groups.sort((x, y) => y.score - x.score || first[x.group]! - first[y.group]!);
      // Whole groups, best first, until k films are in and the next group scores lower than
      // the last one taken (groups tying with it may hold lower film indices).
      const films: Neighbour[] = [];
      for (const { group, score } of groups) {
        if (films.length >= k && score < films[films.length - 1]!.score) break;
        for (let m = start[group]!; m < start[group + 1]!; m++) films.push({ index: members[m]!, score });
      }
      films.sort((x, y) => y.score - x.score || x.index - y.index);
      const top = films.slice(0, k);
      if (candidates >= this.distinct) return top;
      const { scale, bound } = quantised[b]!;
      const outsideBest = scale * approx[b * candidates + candidates - 1]! + bound;
      return top[k - 1]!.score > outsideBest ? top : null;
    });
  }

  private async approximate(rows: Float32Array[], alpha: number, count: number): Promise<{ approx: Int32Array; indices: BigInt64Array; quantised: QueryRow[]; count: number }> {
    const width = this.dims + 1;
    const codes = new Uint8Array(rows.length * width);
    const quantised = rows.map((row, b) => quantiseQuery(this.items, row, alpha, codes.subarray(b * width, (b + 1) * width)));
    if (this.candidatesFeed?.value !== count) {
      this.candidatesFeed = { value: count, tensor: new ort.Tensor('int64', BigInt64Array.from([BigInt(count)]), [1]) };
    }
    const out = await this.session.run({ query: new ort.Tensor('uint8', codes, [rows.length, width]), candidates: this.candidatesFeed.tensor });
    // Copied out before the native buffers are released.
    const approx = (out.approx!.data as Int32Array).slice();
    const indices = (out.indices!.data as BigInt64Array).slice();
    for (const t of Object.values(out)) t.dispose();
    return { approx, indices, quantised, count };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
