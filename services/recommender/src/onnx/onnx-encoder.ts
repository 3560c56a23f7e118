import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import type { EncoderData, EncoderRow } from '../embedding/encoder';
import { bytesOf, valueInfo } from './onnx-graph';

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

/**
 * The encoder as an ONNX graph, written from TypeScript:
 *
 *   rows      = Gather(projection [features, rank], indices [m])     the projection rows of the titles' tokens
 *   raw       = MatMul(weights [titles, m], rows)                    each title's weighted sum of its rows
 *   embedding = LpNormalization(raw, p = 2, axis = 1)
 *
 * Several titles are encoded in one run: `indices` is the union of their tokens and `weights`
 * holds each title's weights over that union (zeros elsewhere).
 */
export function buildEncoderModel(data: EncoderData): Uint8Array {
  const graph: onnx.IGraphProto = {
    name: 'film_encoder',
    initializer: [{ name: 'projection', dataType: FLOAT, dims: [data.tokens.length, data.rank], rawData: bytesOf(data.projection) }],
    input: [valueInfo('indices', INT64, ['m']), valueInfo('weights', FLOAT, ['titles', 'm'])],
    output: [valueInfo('embedding', FLOAT, ['titles', data.rank])],
    node: [
      { opType: 'Gather', input: ['projection', 'indices'], output: ['rows'], name: 'token_rows', attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] },
      { opType: 'MatMul', input: ['weights', 'rows'], output: ['raw'], name: 'weighted_sum' },
      {
        opType: 'LpNormalization',
        input: ['raw'],
        output: ['embedding'],
        name: 'unit_length',
        attribute: [
          { name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
          { name: 'p', type: onnx.AttributeProto.AttributeType.INT, i: 2 },
        ],
      },
    ],
  };
  const model = onnx.ModelProto.create({ irVersion: 8, producerName: 'cine-creuse-recommender', opsetImport: [{ domain: '', version: 13 }], graph });
  return onnx.ModelProto.encode(model).finish();
}

/** The encoder's ONNX session: titles' weighted feature rows → their learned (SVD) block. */
export class OnnxEncoder {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly rank: number,
    readonly modelBytes: number,
  ) {}

  static async create(data: EncoderData): Promise<OnnxEncoder> {
    const model = buildEncoderModel(data);
    const session = await ort.InferenceSession.create(model, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new OnnxEncoder(session, data.rank, model.byteLength);
  }

  /**
   * One unit vector (length `rank`) per row, in order; null for a row without any known token
   * (no direction to normalise).
   */
  async encode(rows: readonly EncoderRow[]): Promise<(Float32Array | null)[]> {
    const out: (Float32Array | null)[] = rows.map(() => null);
    const useful = rows.flatMap((r, i) => (r.indices.length > 0 ? [i] : []));
    if (useful.length === 0) return out;
    const position = new Map<number, number>();
    for (const i of useful) for (const j of rows[i]!.indices) if (!position.has(j)) position.set(j, position.size);
    const m = position.size;
    const indices = new BigInt64Array(m);
    for (const [j, p] of position) indices[p] = BigInt(j);
    const weights = new Float32Array(useful.length * m);
    useful.forEach((i, t) => {
      const row = rows[i]!;
      row.indices.forEach((j, p) => {
        weights[t * m + position.get(j)!]! += row.values[p]!;
      });
    });
    const feeds = { indices: new ort.Tensor('int64', indices, [m]), weights: new ort.Tensor('float32', weights, [useful.length, m]) };
    const result = await this.session.run(feeds);
    const embedding = result.embedding!;
    try {
      const data = embedding.data as Float32Array;
      useful.forEach((i, t) => {
        const v = data.slice(t * this.rank, (t + 1) * this.rank);
        let norm = 0;
        for (const x of v) norm += x * x;
        // All weights of a title can cancel to a zero sum: LpNormalization then has nothing to scale.
        out[i] = Number.isFinite(norm) && norm > 0.5 ? v : null;
      });
    } finally {
      embedding.dispose();
    }
    return out;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
