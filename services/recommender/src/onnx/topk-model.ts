import { onnx } from 'onnx-proto';

/**
 * The neighbour search as an ONNX graph, written from TypeScript:
 *
 *   scores = query · itemsᵀ + alpha · prior        (MatMul on items stored pre-transposed [d, N])
 *   values, indices = TopK(scores, k)
 *
 * query [B, d] float, k [1] int64, alpha [1] float are inputs; the item matrix and the prior are
 * initializers built from the serving version, so one model is one version. Pre-transposed
 * items with MatMul measured faster than Gemm(transB) (stack-notes).
 */
export interface TopKModelInput {
  dims: number;
  /** films × dims, row-major. */
  vectors: Float32Array;
  /** One prior per film (popularity and quality blend), added with weight `alpha`. */
  prior: Float32Array;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

function valueInfo(name: string, elemType: number, shape: (number | string)[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function floatTensor(name: string, dims: number[], data: Float32Array): onnx.ITensorProto {
  // raw_data is little-endian: copy into a fresh buffer so the bytes are exactly the floats.
  const raw = new Uint8Array(data.byteLength);
  raw.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return { name, dataType: FLOAT, dims, rawData: raw };
}

export function buildTopKModel(input: TopKModelInput): Uint8Array {
  const { dims, vectors, prior } = input;
  const n = prior.length;
  if (vectors.length !== n * dims) throw new Error(`vectors hold ${vectors.length} values, expected ${n} × ${dims}`);
  const transposed = new Float32Array(dims * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < dims; k++) transposed[k * n + i] = vectors[i * dims + k]!;

  const graph: onnx.IGraphProto = {
    name: 'film_topk',
    initializer: [floatTensor('items_t', [dims, n], transposed), floatTensor('prior', [n], prior)],
    input: [valueInfo('query', FLOAT, ['batch', dims]), valueInfo('k', INT64, [1]), valueInfo('alpha', FLOAT, [1])],
    output: [valueInfo('scores', FLOAT, ['batch', 'k']), valueInfo('indices', INT64, ['batch', 'k'])],
    node: [
      { opType: 'MatMul', input: ['query', 'items_t'], output: ['similarity'], name: 'similarity' },
      { opType: 'Mul', input: ['prior', 'alpha'], output: ['weighted_prior'], name: 'weighted_prior' },
      { opType: 'Add', input: ['similarity', 'weighted_prior'], output: ['blended'], name: 'blend' },
      {
        opType: 'TopK',
        input: ['blended', 'k'],
        output: ['scores', 'indices'],
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
