import { onnx } from 'onnx-proto';
import { bytesOf, valueInfo } from './onnx-graph';

/**
 * The candidate search as an ONNX graph, written from TypeScript, on int8 items:
 *
 *   approx  = MatMulInteger(query_u8 [B, d+1] − 128, codes [d+1, N])   (int32)
 *   values, indices = TopK(approx, candidates)
 *
 * At 100 000 films × 64 floats the float product read 25.6 MB per query and was bound by memory
 * bandwidth (1.08 ms p50); int8 codes read a quarter of that. The codes are the items stored
 * pre-transposed with one symmetric scale per dimension, plus one extra row: the prior, with its
 * own scale. The items' codes use 7 bits (−63…63, `ITEM_CODE_MAX`): on x86 CPUs without VNNI
 * (AVX2 only, e.g. AMD Zen 3) onnxruntime's uint8 × int8 kernel adds each pair of products in a
 * saturating int16 (vpmaddubsw), so 255 · 127 · 2 overflows and the integer scores come out wrong
 * — measured on such a machine: MatMulInteger of 255s by 127s over 65 terms gave 24 289 for
 * 1 048 385. With |code| ≤ 63 a pair is at most 255 · 63 · 2 = 32 130, exact on every kernel (the
 * same "reduce range" onnxruntime's own quantiser offers for this). The query side (done in
 * TypeScript, see `quantiseQuery`) multiplies each component by its dimension's scale and
 * appends `alpha · prior scale`, so one integer product gives the whole
 * blended score up to one positive factor per query row, which TopK ignores: no float pass over
 * the N scores, no Cast, no Mul, no Add. uint8 × int8 is the pair onnxruntime's CPU provider runs
 * on its fast (VNNI) integer kernels; int8 × int8 measured 8× slower.
 *
 * The scores are approximate: the index (onnx-index.ts) re-ranks the candidates exactly and
 * proves with `QuantisedItems`' error bounds that no film outside them could enter the top k.
 */
export interface QuantisedItems {
  dims: number;
  films: number;
  /** (dims + 1) × films, row-major: dimension k of film i at k · films + i; the last row is the prior. */
  codes: Int8Array;
  /** dims + 1 scales: value ≈ scale[k] · code. */
  scales: Float64Array;
  /** Largest Euclidean norm of a film's code vector (dims + 1 codes). */
  maxCodeNorm: number;
  /** Largest Euclidean norm of a film's rounding residual (value − scale · code over dims + 1). */
  maxResidualNorm: number;
}

/** Largest |code| of an item: 7 bits, so that no kernel's int16 pair sum saturates (see above). */
export const ITEM_CODE_MAX = 63;

/**
 * Symmetric 7-bit codes per dimension: scale = largest |value| of the dimension / ITEM_CODE_MAX,
 * so no value is clipped and each rounding error is at most scale / 2. `rows` picks the films
 * coded (column i is film rows[i]); all films by default.
 */
export function quantiseItems(dims: number, vectors: Float32Array, prior: Float32Array, rows?: Int32Array): QuantisedItems {
  if (vectors.length !== prior.length * dims) throw new Error(`vectors hold ${vectors.length} values, expected ${prior.length} × ${dims}`);
  const films = rows ? rows.length : prior.length;
  const film = rows ?? Int32Array.from({ length: films }, (_, i) => i);
  const width = dims + 1;
  const scales = new Float64Array(width);
  for (let i = 0; i < films; i++) {
    const o = film[i]! * dims;
    for (let k = 0; k < dims; k++) {
      const a = Math.abs(vectors[o + k]!);
      if (a > scales[k]!) scales[k] = a;
    }
    const p = Math.abs(prior[film[i]!]!);
    if (p > scales[dims]!) scales[dims] = p;
  }
  for (let k = 0; k < width; k++) scales[k] = scales[k]! > 0 ? scales[k]! / ITEM_CODE_MAX : 1;
  const codes = new Int8Array(width * films);
  const code2 = new Float64Array(films);
  const residual2 = new Float64Array(films);
  // Films in blocks, dimension by dimension inside a block: the transposed writes stay
  // sequential and the block's rows stay in cache. |value| ≤ ITEM_CODE_MAX · scale, so no clipping.
  const BLOCK = 256;
  const offsets = new Int32Array(BLOCK);
  for (let start = 0; start < films; start += BLOCK) {
    const end = Math.min(films, start + BLOCK);
    for (let i = start; i < end; i++) offsets[i - start] = film[i]! * dims;
    for (let k = 0; k <= dims; k++) {
      const scale = scales[k]!;
      const inverse = 1 / scale;
      const row = k * films;
      for (let i = start; i < end; i++) {
        const x = k < dims ? vectors[offsets[i - start]! + k]! : prior[film[i]!]!;
        const c = Math.round(x * inverse);
        codes[row + i] = c;
        const r = x - c * scale;
        code2[i]! += c * c;
        residual2[i]! += r * r;
      }
    }
  }
  let maxCode2 = 0;
  let maxResidual2 = 0;
  for (let i = 0; i < films; i++) {
    if (code2[i]! > maxCode2) maxCode2 = code2[i]!;
    if (residual2[i]! > maxResidual2) maxResidual2 = residual2[i]!;
  }
  return { dims, films, codes, scales, maxCodeNorm: Math.sqrt(maxCode2), maxResidualNorm: Math.sqrt(maxResidual2) };
}

const INT8 = onnx.TensorProto.DataType.INT8;
const UINT8 = onnx.TensorProto.DataType.UINT8;
const INT32 = onnx.TensorProto.DataType.INT32;
const INT64 = onnx.TensorProto.DataType.INT64;

/** The zero point of the uint8 query: codes −127…127 are sent as 1…255. */
export const QUERY_ZERO_POINT = 128;

export function buildTopKModel(items: QuantisedItems): Uint8Array {
  const width = items.dims + 1;
  const graph: onnx.IGraphProto = {
    name: 'film_candidates',
    initializer: [
      { name: 'codes', dataType: INT8, dims: [width, items.films], rawData: bytesOf(items.codes) },
      { name: 'query_zero', dataType: UINT8, dims: [], rawData: Uint8Array.from([QUERY_ZERO_POINT]) },
    ],
    input: [valueInfo('query', UINT8, ['batch', width]), valueInfo('candidates', INT64, [1])],
    output: [valueInfo('approx', INT32, ['batch', 'candidates']), valueInfo('indices', INT64, ['batch', 'candidates'])],
    node: [
      { opType: 'MatMulInteger', input: ['query', 'codes', 'query_zero'], output: ['scores'], name: 'approx_scores' },
      {
        opType: 'TopK',
        input: ['scores', 'candidates'],
        output: ['approx', 'indices'],
        name: 'topk',
        attribute: [
          { name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: -1 },
          { name: 'largest', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
          { name: 'sorted', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
        ],
      },
    ],
  };
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'cine-creuse-recommender',
    opsetImport: [{ domain: '', version: 13 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * Float32 rounding of the exact scores (≤ 1e-7 at these magnitudes) and of the bound's own
 * arithmetic, with a wide margin.
 */
const SLACK = 1e-5;

/** One quantised query row (its uint8 codes are written into the batch's buffer). */
export interface QueryRow {
  /** exact score ≈ scale · integer score. */
  scale: number;
  /** Largest possible |exact score − scale · integer score| for any film. */
  bound: number;
}

/**
 * Scales each component by its dimension's item scale, appends alpha · prior scale, and rounds
 * to int8 with one symmetric scale for the row. Returns that scale and the error bound:
 * exact − scale · (codes · film codes) = ε · film codes + Q · film residual, where ε is this
 * rounding's error (known here) and Q = [query, alpha]; so
 * |error| ≤ ‖ε‖·max‖film codes‖ + min(Σ|Q_k|·scale_k/2, ‖Q‖·max‖film residual‖).
 */
export function quantiseQuery(items: QuantisedItems, query: Float32Array, alpha: number, out: Uint8Array): QueryRow {
  const width = items.dims + 1;
  const q = (k: number) => (k < items.dims ? query[k]! : alpha);
  let peak = 0;
  for (let k = 0; k < width; k++) peak = Math.max(peak, Math.abs(q(k) * items.scales[k]!));
  const scale = peak > 0 ? peak / 127 : 1;
  let err2 = 0;
  let q2 = 0;
  let halfSteps = 0;
  for (let k = 0; k < width; k++) {
    const scaled = q(k) * items.scales[k]!;
    const code = Math.max(-127, Math.min(127, Math.round(scaled / scale)));
    out[k] = code + QUERY_ZERO_POINT;
    const e = scaled - code * scale;
    err2 += e * e;
    q2 += q(k) * q(k);
    halfSteps += (Math.abs(q(k)) * items.scales[k]!) / 2;
  }
  const bound = Math.sqrt(err2) * items.maxCodeNorm + Math.min(halfSteps, Math.sqrt(q2) * items.maxResidualNorm) + SLACK;
  return { scale, bound };
}
