import type { FilmRow, PersonLink } from '../embedding/film-row';
import { FeatureEncoder } from '../embedding/encoder';
import { type BlockWeights, writeExplicitBlocks } from '../embedding/explicit-blocks';
import { type EmbeddingVersion, type ItemMeta, itemOf } from '../embedding/version';
import { OnnxEncoder } from '../onnx/onnx-encoder';
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
  /** Weights of the explicit year and genre blocks, as the build baked them in (null: no such blocks). */
  private readonly blockWeights: BlockWeights | null;

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
    private readonly encoder: { features: FeatureEncoder; onnx: OnnxEncoder } | null,
    blockWeights: unknown,
  ) {
    this.blocks = validBlocks(blocks, dims);
    this.blockWeights = validBlockWeights(blockWeights);
    items.forEach((item, i) => this.rowOf.set(item.tconst, i));
    this.meanPrior = prior.reduce((sum, p) => sum + p, 0) / Math.max(1, prior.length);
    this.coldOrder = Int32Array.from(items.keys()).sort((a, b) => weighted[b]! - weighted[a]! || b - a);
  }

  static async load(version: EmbeddingVersion, ranking: RankingParams): Promise<LoadedVersion> {
    const started = performance.now();
    const prior = priors(version.items, ranking.quality);
    const index = await OnnxIndex.create(version.dims, version.vectors, prior);
    let encoder: { features: FeatureEncoder; onnx: OnnxEncoder } | null = null;
    try {
      if (version.encoder) encoder = { features: new FeatureEncoder(version.encoder), onnx: await OnnxEncoder.create(version.encoder) };
    } catch (err) {
      await index.close();
      throw err;
    }
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
      encoder,
      version.stats.blockWeights,
    );
  }

  /** Whether titles outside the index can be embedded (versions built before the encoder cannot). */
  get canEncode(): boolean {
    return this.encoder !== null;
  }

  /**
   * Vectors for titles outside the index (a series, a film imported after this version), laid
   * out as the index's: the learned block by the ONNX encoder from the title's features, the
   * year and genre blocks as the build writes them. A title the version can say nothing about
   * (no known token, no year, no genre) is left out.
   */
  async embedOutside(titles: readonly { film: FilmRow; people: readonly PersonLink[] }[]): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    if (!this.encoder || titles.length === 0) return out;
    const learned = await this.encoder.onnx.encode(titles.map((t) => this.encoder!.features.row(t.film, t.people)));
    titles.forEach((t, i) => {
      const v = new Float32Array(this.dims);
      const svd = learned[i];
      if (svd) v.set(svd.subarray(0, Math.min(svd.length, this.blocks[0]!)), 0);
      if (this.blockWeights && this.blocks.length === 3) writeExplicitBlocks(itemOf(t.film), this.blockWeights, v, this.blocks[0]!);
      if (v.some((x) => x !== 0)) out.set(t.film.tconst, v);
    });
    return out;
  }

  vector(row: number): Float32Array {
    return this.vectors.subarray(row * this.dims, (row + 1) * this.dims);
  }

  async close(): Promise<void> {
    await this.index.close();
    await this.encoder?.onnx.close();
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

function validBlockWeights(weights: unknown): BlockWeights | null {
  const w = weights as Partial<BlockWeights> | null | undefined;
  return w && typeof w.year === 'number' && typeof w.genre === 'number' ? { year: w.year, genre: w.genre } : null;
}
