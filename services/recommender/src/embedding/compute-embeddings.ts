import { type BlockWeights, DEFAULT_BLOCK_WEIGHTS, GENRE_BLOCK_DIMS, writeExplicitBlocks, YEAR_BLOCK_DIMS } from './explicit-blocks';
import { type EncoderData, encodeEncoder, learnEncoder } from './encoder';
import { buildFeatureMatrix, DEFAULT_GROUP_WEIGHTS, type GroupWeights } from './features';
import type { FilmRow, PersonLink } from './film-row';
import { randomizedSvd } from './svd';
import { encodeItems, encodeVectors, type ItemMeta, itemOf, versionChecksum } from './version';

/*
 * The embedding build's compute, with no I/O: the service runs it in a worker thread
 * (embedding.thread.ts), the quality harness and the specs call it directly.
 */

export interface EmbeddingOptions {
  /** Size of the learned (SVD) block; the explicit year and genre blocks come after it. */
  dims?: number;
  /** Weights of the explicit year and genre blocks (explicit-blocks.ts); null = the SVD block alone. */
  blocks?: BlockWeights | null;
  weights?: Partial<GroupWeights>;
  /** Singular values raised to this power scale the axes before normalising (0 = whitened, 1 = LSA). */
  singularPower?: number;
  powerIterations?: number;
  seed?: number;
  /** Versions kept in the database after a build. */
  keepVersions?: number;
  /** Vocabulary of the encoder (embedding/encoder.ts): the most frequent tokens kept. */
  encoderMaxFeatures?: number;
}

export const DEFAULT_DIMS = 64;
export const DEFAULT_SINGULAR_POWER = 0.5;

export interface Embeddings {
  /** Length of a film's vector: the SVD block plus the explicit blocks. */
  dims: number;
  items: ItemMeta[];
  vectors: Float32Array;
  /** Features → SVD block, for titles outside the index; null when nothing was factorised. */
  encoder: EncoderData | null;
  stats: Record<string, unknown>;
}

/** Films + people → L2-normalised embeddings. Pure: the quality harness calls it for ablations. */
export function computeEmbeddings(films: readonly FilmRow[], people: readonly PersonLink[], opts: EmbeddingOptions = {}): Embeddings {
  const started = performance.now();
  const svdDims = opts.dims ?? DEFAULT_DIMS;
  if (!Number.isInteger(svdDims) || svdDims < 2 || svdDims > 256) throw new Error(`dims must be an integer in 2..256, got ${svdDims}`);
  const blockWeights = opts.blocks === undefined ? DEFAULT_BLOCK_WEIGHTS : opts.blocks;
  const blocks = blockWeights ? [svdDims, YEAR_BLOCK_DIMS, GENRE_BLOCK_DIMS] : [svdDims];
  const dims = blocks.reduce((a, b) => a + b, 0);
  const weights = { ...DEFAULT_GROUP_WEIGHTS, ...opts.weights };
  const byFilm = new Map<string, PersonLink[]>();
  for (const p of people) {
    let list = byFilm.get(p.tconst);
    if (!list) byFilm.set(p.tconst, (list = []));
    list.push(p);
  }
  const features = buildFeatureMatrix(films, byFilm, weights);
  const { matrix } = features;
  const featuresMs = Math.round(performance.now() - started);
  const n = films.length;
  const vectors = new Float32Array(n * dims);
  let rank = 0;
  let singular: number[] = [];
  let encoder: EncoderData | null = null;
  if (n > 0 && matrix.cols > 0) {
    const svd = randomizedSvd(matrix, { rank: svdDims, powerIterations: opts.powerIterations ?? 2, seed: opts.seed ?? 42 });
    rank = svd.rank;
    singular = Array.from(svd.singular);
    const power = opts.singularPower ?? DEFAULT_SINGULAR_POWER;
    encoder = learnEncoder(features, weights, svd, power, opts.encoderMaxFeatures);
    const scale = svd.singular.map((s) => (s > 0 ? s ** power : 0));
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let k = 0; k < rank; k++) {
        const v = svd.u[i * rank + k]! * scale[k]!;
        vectors[i * dims + k] = v;
        norm += v * v;
      }
      // A film with no shared feature keeps a zero vector: it is ranked by its priors alone.
      if (norm > 0) {
        const inv = 1 / Math.sqrt(norm);
        for (let k = 0; k < rank; k++) vectors[i * dims + k]! *= inv;
      }
    }
  }
  const items = films.map(itemOf);
  if (blockWeights) {
    items.forEach((item, i) => {
      writeExplicitBlocks(item, blockWeights, vectors, i * dims + svdDims);
    });
  }
  return {
    dims,
    items,
    vectors,
    encoder,
    stats: {
      blocks,
      blockWeights,
      features: matrix.cols,
      nonZeros: matrix.colIdx.length,
      rank,
      singularValues: singular.slice(0, 8).map((s) => Number(s.toFixed(4))),
      weights,
      encoderFeatures: encoder?.tokens.length ?? 0,
      featuresMs,
      computeMs: Math.round(performance.now() - started),
    },
  };
}

/** A build encoded as EmbeddingRepository stores it: the version's blobs and their checksum. */
export interface EncodedEmbeddings {
  dims: number;
  films: number;
  items: Buffer;
  vectors: Buffer;
  /** Null when the build factorised nothing (no shared feature). */
  encoder: Buffer | null;
  checksum: string;
  stats: Record<string, unknown>;
}

/** Films + people → the version's blobs: computeEmbeddings, then the encoding, timed apart. */
export function computeEncodedEmbeddings(films: readonly FilmRow[], people: readonly PersonLink[], opts: EmbeddingOptions = {}): EncodedEmbeddings {
  const built = computeEmbeddings(films, people, opts);
  const t0 = performance.now();
  const items = encodeItems(built.items);
  const vectors = encodeVectors(built.vectors);
  const encoder = built.encoder ? encodeEncoder(built.encoder) : null;
  const checksum = versionChecksum(items, vectors, encoder);
  const stats = { ...built.stats, encodeMs: Math.round(performance.now() - t0) };
  return { dims: built.dims, films: built.items.length, items, vectors, encoder, checksum, stats };
}
