/**
 * Jest runs each test file in its own vm realm, where `Float32Array` is not the Float32Array of
 * the native onnxruntime binding, so onnxruntime-common's `instanceof` checks on the output
 * tensors fail. This environment gives the test realm the host's typed-array constructors, so
 * arrays made by the tests, by the code under test and by the binding are of one kind.
 * Chosen per file with a `@jest-environment` docblock, so no other suite is affected.
 */
// Every spec's environment (it kills what the spec spawned), with the typed arrays shared.
const TestEnvironment = require('@cine/common/testing/environment').default;

const SHARED = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array',
  'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array',
];

class OnnxEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxEnvironment;
