import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { valueInfo } from './onnx-graph';

/**
 * Many tastes against a few films in one ONNX run (the batch endpoint, recommend/batch-score.ts):
 *
 *   scores = Cast<float>(MatMul(query [T, d], films [d, C]) + alpha [T, 1] · prior [1, C])
 *
 * In double precision, then rounded to float32 once: the single route scores a candidate with
 * `blendedScore` (exact-scan.ts), a dot product summed in JavaScript doubles and rounded to float32
 * at the end. Summed in float32 instead, two candidates a few ulps apart could swap places between
 * the two routes; in doubles the only difference left is the order of the additions (~1e-16),
 * which the final rounding to float32 erases but for a value landing exactly between two floats.
 * The product is small (10 000 tastes × 64 × 200 films is 0.13 G multiplications), so doubles
 * cost nothing that matters. Every input is fed per call: the films change with every programme.
 */

const DOUBLE = onnx.TensorProto.DataType.DOUBLE;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

export function buildBatchScoreModel(): Uint8Array {
  const graph: onnx.IGraphProto = {
    name: 'batch_scores',
    input: [valueInfo('query', DOUBLE, ['tastes', 'dims']), valueInfo('alpha', DOUBLE, ['tastes', 1]), valueInfo('films', DOUBLE, ['dims', 'films']), valueInfo('prior', DOUBLE, [1, 'films'])],
    output: [valueInfo('scores', FLOAT, ['tastes', 'films'])],
    node: [
      { opType: 'MatMul', input: ['query', 'films'], output: ['similarity'], name: 'similarity' },
      { opType: 'Mul', input: ['alpha', 'prior'], output: ['weighted_prior'], name: 'weighted_prior' },
      { opType: 'Add', input: ['similarity', 'weighted_prior'], output: ['blended'], name: 'blended' },
      { opType: 'Cast', input: ['blended'], output: ['scores'], name: 'to_float', attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: FLOAT }] },
    ],
  };
  const model = onnx.ModelProto.create({ irVersion: 8, producerName: 'cine-creuse-recommender', opsetImport: [{ domain: '', version: 13 }], graph });
  return onnx.ModelProto.encode(model).finish();
}

/** The batch product as a live session, one per service (the graph holds no data). */
export class BatchScoreModel {
  private constructor(private readonly session: ort.InferenceSession) {}

  static async create(): Promise<BatchScoreModel> {
    // One thread: the service answers its single-taste requests beside a batch on two cores.
    const session = await ort.InferenceSession.create(buildBatchScoreModel(), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
    return new BatchScoreModel(session);
  }

  /**
   * query: tastes × dims, row-major; alpha: one per taste; films: dims × films (column j is film
   * j's vector); prior: one per film. Returns tastes × films float32 scores, row-major.
   */
  async scores(query: Float64Array, alpha: Float64Array, films: Float64Array, prior: Float64Array): Promise<Float32Array> {
    const tastes = alpha.length;
    const count = prior.length;
    const dims = query.length / tastes;
    const out = await this.session.run({
      query: new ort.Tensor('float64', query, [tastes, dims]),
      alpha: new ort.Tensor('float64', alpha, [tastes, 1]),
      films: new ort.Tensor('float64', films, [dims, count]),
      prior: new ort.Tensor('float64', prior, [1, count]),
    });
    // Copied out before the native buffer is released.
    const scores = (out.scores!.data as Float32Array).slice();
    for (const t of Object.values(out)) t.dispose();
    return scores;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
