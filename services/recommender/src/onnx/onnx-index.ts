import * as ort from 'onnxruntime-node';
import { buildTopKModel } from './topk-model';

export interface Neighbour {
  index: number;
  score: number;
}

/**
 * One version's item matrix as a live onnxruntime session. Single-threaded intra-op: the
 * service answers many small queries, and on two cores a thread pool per query costs more
 * than it saves.
 */
export class OnnxIndex {
  /** The scalar inputs of the last call, kept: most calls repeat the same k and alpha. */
  private kFeed: { value: number; tensor: ort.Tensor } | null = null;
  private alphaFeed: { value: number; tensor: ort.Tensor } | null = null;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly size: number,
    readonly dims: number,
    readonly modelBytes: number,
  ) {}

  static async create(dims: number, vectors: Float32Array, prior: Float32Array, opts: { threads?: number } = {}): Promise<OnnxIndex> {
    const model = buildTopKModel({ dims, vectors, prior });
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: opts.threads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new OnnxIndex(session, prior.length, dims, model.byteLength);
  }

  /** The best `k` films for each query row (query: batch × dims, row-major). */
  async topK(query: Float32Array, k: number, alpha: number): Promise<Neighbour[][]> {
    const batch = query.length / this.dims;
    const kk = Math.max(1, Math.min(k, this.size));
    if (this.kFeed?.value !== kk) this.kFeed = { value: kk, tensor: new ort.Tensor('int64', BigInt64Array.from([BigInt(kk)]), [1]) };
    if (this.alphaFeed?.value !== alpha) this.alphaFeed = { value: alpha, tensor: new ort.Tensor('float32', Float32Array.from([alpha]), [1]) };
    const feeds = { query: new ort.Tensor('float32', query, [batch, this.dims]), k: this.kFeed.tensor, alpha: this.alphaFeed.tensor };
    const out = await this.session.run(feeds);
    const scores = out.scores!.data as Float32Array;
    const indices = out.indices!.data as BigInt64Array;
    const result: Neighbour[][] = [];
    for (let b = 0; b < batch; b++) {
      const row: Neighbour[] = [];
      for (let j = 0; j < kk; j++) row.push({ index: Number(indices[b * kk + j]!), score: scores[b * kk + j]! });
      result.push(row);
    }
    for (const t of Object.values(out)) t.dispose();
    return result;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
