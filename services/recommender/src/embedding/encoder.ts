import type { FilmRow, PersonLink } from './film-row';
import { type FeatureMatrix, filmTokens, type GroupWeights, weightedRow } from './features';
import { multiplyTransposed, type SvdResult } from './svd';

/**
 * The encoder: a title's features → its learned embedding, for titles outside the index (a
 * series a customer liked, a film imported after the version was built).
 *
 * The build's film vectors are normalise(U_i · Σ^p) (compute-embeddings.ts). For a weighted
 * feature row x, U_i = x · V · Σ⁻¹ with V = Xᵀ · U · Σ⁻¹ (the SVD's right singular vectors), so
 * a film's vector is normalise(x · P) with the projection P = Xᵀ · U · Σ^(p−2), features × rank:
 * folding a title in is one sparse row times P. On the sample catalogue the build's own films
 * folded in give back their stored vectors (mean cosine 0.99999, worst 0.979: the randomized SVD
 * is not exact), which the encoder's spec checks.
 *
 * The vocabulary is capped to the `maxFeatures` most frequent tokens: on a full IMDb catalogue
 * people with two films run into the millions and P would weigh hundreds of megabytes per version.
 * A token left out simply does not count for a folded-in title (its group is normalised over the
 * tokens kept).
 */
export interface EncoderData {
  /** Films of the build: the idf's N. */
  films: number;
  weights: GroupWeights;
  /** Columns of P: the SVD's rank. */
  rank: number;
  tokens: string[];
  /** Document frequency of each token in the build. */
  df: Int32Array;
  /** tokens × rank, row-major. */
  projection: Float32Array;
}

export const ENCODER_MAX_FEATURES = 200_000;

/** P = Xᵀ · U · Σ^(power−2) restricted to the `maxFeatures` most frequent columns. */
export function learnEncoder(features: FeatureMatrix, weights: GroupWeights, svd: SvdResult, power: number, maxFeatures = ENCODER_MAX_FEATURES): EncoderData {
  const { rank } = svd;
  const n = features.matrix.rows;
  const scaled = new Float64Array(n * rank);
  // A null singular value carries no direction: the build gives it scale 0, so does P.
  const factor = Array.from(svd.singular, (s) => (s > 0 ? s ** (power - 2) : 0));
  for (let i = 0; i < n; i++) for (let k = 0; k < rank; k++) scaled[i * rank + k] = svd.u[i * rank + k]! * factor[k]!;
  const full = multiplyTransposed(features.matrix, scaled, rank);
  const cols = features.tokens.length;
  let keep = Int32Array.from({ length: cols }, (_, j) => j);
  if (cols > maxFeatures) {
    keep = keep.sort((a, b) => features.df[b]! - features.df[a]! || a - b).subarray(0, maxFeatures).sort();
  }
  const projection = new Float32Array(keep.length * rank);
  keep.forEach((j, row) => {
    for (let k = 0; k < rank; k++) projection[row * rank + k] = full[j * rank + k]!;
  });
  return {
    films: n,
    weights,
    rank,
    tokens: Array.from(keep, (j) => features.tokens[j]!),
    df: Int32Array.from(keep, (j) => features.df[j]!),
    projection,
  };
}

/** A title's sparse weighted row over the encoder's vocabulary. */
export interface EncoderRow {
  indices: Int32Array;
  values: Float32Array;
}

/** The encoder's vocabulary, indexed once per loaded version. */
export class FeatureEncoder {
  private readonly columnOf = new Map<string, number>();

  constructor(readonly data: EncoderData) {
    data.tokens.forEach((t, j) => this.columnOf.set(t, j));
  }

  /** The title's row, weighted exactly as the build weighs its films (features.ts `weightedRow`). */
  row(film: FilmRow, people: readonly PersonLink[]): EncoderRow {
    const lookup = (key: string) => {
      const col = this.columnOf.get(key);
      return col === undefined ? undefined : { col, df: this.data.df[col]! };
    };
    const { cols, values } = weightedRow(filmTokens(film, people), lookup, this.data.films, this.data.weights);
    return { indices: Int32Array.from(cols), values: Float32Array.from(values) };
  }

  /**
   * normalise(x · P) in plain TypeScript: the reference the ONNX encoder is tested against.
   * Null when no token of the title is known (nothing to say about it).
   */
  embed(row: EncoderRow): Float32Array | null {
    const { rank, projection } = this.data;
    const out = new Float64Array(rank);
    row.indices.forEach((j, p) => {
      for (let k = 0; k < rank; k++) out[k]! += row.values[p]! * projection[j * rank + k]!;
    });
    const norm = Math.hypot(...out);
    return norm > 0 ? Float32Array.from(out, (v) => v / norm) : null;
  }
}

/** Blob layout: uint32 LE header length, UTF-8 JSON header, zero padding to 4 bytes, float32 LE projection. */
export function encodeEncoder(data: EncoderData): Buffer {
  const header = Buffer.from(
    JSON.stringify({ films: data.films, weights: data.weights, rank: data.rank, tokens: data.tokens, df: Array.from(data.df) }),
    'utf8',
  );
  const start = 4 + header.length + ((4 - ((4 + header.length) % 4)) % 4);
  const out = Buffer.alloc(start + data.projection.length * 4);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  for (let i = 0; i < data.projection.length; i++) out.writeFloatLE(data.projection[i]!, start + i * 4);
  return out;
}

/** The stored encoder, checked for shape and finite values; throws with what is wrong. */
export function decodeEncoder(bytes: Uint8Array): EncoderData {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 4) throw new Error('encoder blob shorter than its header length');
  const length = buf.readUInt32LE(0);
  if (4 + length > buf.length) throw new Error(`encoder header of ${length} bytes overruns the ${buf.length}-byte blob`);
  const header = JSON.parse(buf.subarray(4, 4 + length).toString('utf8')) as {
    films: number;
    weights: GroupWeights;
    rank: number;
    tokens: string[];
    df: number[];
  };
  if (!Number.isInteger(header.rank) || header.rank < 1) throw new Error(`encoder rank ${header.rank} is not a positive integer`);
  if (!Array.isArray(header.tokens) || !Array.isArray(header.df) || header.tokens.length !== header.df.length) {
    throw new Error('encoder tokens and document frequencies differ in length');
  }
  const start = 4 + length + ((4 - ((4 + length) % 4)) % 4);
  const expected = header.tokens.length * header.rank * 4;
  if (buf.length - start !== expected) throw new Error(`encoder projection holds ${buf.length - start} bytes, expected ${header.tokens.length} × ${header.rank} floats`);
  const projection = new Float32Array(header.tokens.length * header.rank);
  for (let i = 0; i < projection.length; i++) {
    const v = buf.readFloatLE(start + i * 4);
    if (!Number.isFinite(v)) throw new Error('non-finite value in the encoder projection');
    projection[i] = v;
  }
  return { films: header.films, weights: header.weights, rank: header.rank, tokens: header.tokens, df: Int32Array.from(header.df), projection };
}
