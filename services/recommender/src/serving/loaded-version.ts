import type { EmbeddingVersion, ItemMeta } from '../embedding/version';
import { OnnxIndex } from '../onnx/onnx-index';
import { priors, type RankingParams, weightedRatings } from '../recommend/ranking';

/** One embedding version ready to answer: its films, its vectors and its ONNX session. */
export class LoadedVersion {
  readonly rowOf = new Map<string, number>();
  /** Rows by weighted rating, best first: the cold-start order. */
  readonly coldOrder: Int32Array;
  readonly meanPrior: number;
  /**
   * Lengths of the vector's blocks (the learned SVD block, then the explicit year and genre blocks,
   * embedding/explicit-blocks.ts); the profile is normalised block by block. One block for versions
   * built before the explicit blocks existed.
   */
  readonly blocks: readonly number[];

  private constructor(
    readonly id: number,
    readonly dims: number,
    readonly items: ItemMeta[],
    readonly vectors: Float32Array,
    readonly prior: Float32Array,
    readonly weighted: Float32Array,
    readonly index: OnnxIndex,
    readonly loadMs: number,
    blocks: unknown,
  ) {
    this.blocks = validBlocks(blocks, dims);
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
      version.stats.blocks,
    );
  }

  vector(row: number): Float32Array {
    return this.vectors.subarray(row * this.dims, (row + 1) * this.dims);
  }

  async close(): Promise<void> {
    await this.index.close();
  }
}

/** The block layout a version's stats record, or one block when absent or inconsistent with dims. */
function validBlocks(blocks: unknown, dims: number): readonly number[] {
  if (Array.isArray(blocks) && blocks.length > 0 && blocks.every((b) => Number.isInteger(b) && b > 0)) {
    const sizes = blocks as number[];
    if (sizes.reduce((a, b) => a + b, 0) === dims) return sizes;
  }
  return [dims];
}
