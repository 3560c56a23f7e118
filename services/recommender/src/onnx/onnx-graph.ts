import type { onnx } from 'onnx-proto';

/** Helpers shared by the ONNX graphs written from TypeScript (topk-model.ts, onnx-encoder.ts). */

/** A graph input or output: element type and shape, symbolic dimensions by name. */
export function valueInfo(name: string, elemType: number, shape: (number | string)[]): onnx.IValueInfoProto {
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

/** A tensor's raw_data: exactly the view's bytes (little-endian), copied out of a possibly larger buffer. */
export function bytesOf(data: ArrayBufferView): Uint8Array {
  const raw = new Uint8Array(data.byteLength);
  raw.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return raw;
}
