import type { EmbeddingVersion, ItemMeta } from '../embedding/version';
import { OnnxIndex } from '../onnx/onnx-index';
import { priors, type RankingParams, weightedRatings } from '../recommend/ranking';

/** One embedding version ready to answer: its films, its vectors and its ONNX session. */
export class LoadedVersion {
  readonly rowOf = new Map<string, number>();
  /** Rows by weighted rating, best first: the cold-start order. */
  readonly coldOrder: Int32Array;
  readonly meanPrior: number;

  private constructor(
    readonly id: number,
    readonly dims: number,
    readonly items: ItemMeta[],
    readonly vectors: Float32Array,
    readonly prior: Float32Array,
    readonly weighted: Float32Array,
    readonly index: OnnxIndex,
    readonly loadMs: number,
  ) {
    items.forEach((item, i) => this.rowOf.set(item.tconst, i));
    this.meanPrior = prior.reduce((sum, p) => sum + p, 0) / Math.max(1, prior.length);
    this.coldOrder = Int32Array.from(items.keys()).sort((a, b) => weighted[b]! - weighted[a]! || b - a);
  }

  static async load(version: EmbeddingVersion, ranking: RankingParams): Promise<LoadedVersion> {
    const started = performance.now();
    const prior = priors(version.items, ranking.quality);
    const index = await OnnxIndex.create(version.dims, version.vectors, prior);
    return new LoadedVersion(
      version.id,
      version.dims,
      version.items,
      version.vectors,
      prior,
      weightedRatings(version.items),
      index,
      Math.round(performance.now() - started),
    );
  }

  vector(row: number): Float32Array {
    return this.vectors.subarray(row * this.dims, (row + 1) * this.dims);
  }

  async close(): Promise<void> {
    await this.index.close();
  }
}
