/**
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { gaussian } from '../embedding/svd';
import { exactTopK } from '../recommend/exact-scan';
import { candidatesFor, OnnxIndex } from './onnx-index';
import * as ort from 'onnxruntime-node';
import { buildTopKModel, ITEM_CODE_MAX, QUERY_ZERO_POINT, quantiseItems, quantiseQuery } from './topk-model';

function unitVectors(n: number, dims: number, seed: number): Float32Array {
  const normal = gaussian(seed);
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    const row = out.subarray(i * dims, (i + 1) * dims);
    for (let k = 0; k < dims; k++) row[k] = normal();
    const norm = Math.hypot(...row);
    for (let k = 0; k < dims; k++) row[k]! /= norm;
  }
  return out;
}

const DIMS = 64;

describe('ONNX index on int8 codes, re-ranked exactly', () => {
  const n = 20_000;
  const vectors = unitVectors(n, DIMS, 11);
  const normal = gaussian(12);
  const prior = Float32Array.from({ length: n }, () => Math.min(1, Math.abs(normal()) / 3));
  let index: OnnxIndex;

  beforeAll(async () => {
    index = await OnnxIndex.create(DIMS, vectors, prior);
  });
  afterAll(async () => {
    await index?.close();
  });

  const row = (i: number) => vectors.slice(i * DIMS, (i + 1) * DIMS);

  it('the top k equals the exact TypeScript scan, scores and order included', async () => {
    const queries = [row(0), row(4_321), unitVectors(1, DIMS, 99)];
    for (const query of queries) {
      for (const alpha of [0, 0.2, 0.8]) {
        for (const k of [1, 10, 100]) {
          const [top] = await index.topK(query, k, alpha);
          expect(top).toEqual(exactTopK(vectors, DIMS, prior, query, alpha, k));
        }
      }
    }
  });

  it('a batch answers each row as a single query would', async () => {
    const batch = new Float32Array(3 * DIMS);
    [7, 70, 700].forEach((r, b) => batch.set(row(r), b * DIMS));
    const answers = await index.topK(batch, 10, 0.2);
    expect(answers).toHaveLength(3);
    [7, 70, 700].forEach((r, b) => expect(answers[b]).toEqual(exactTopK(vectors, DIMS, prior, row(r), 0.2, 10)));
  });

  it('the integer scores ONNX ranks are the codes’ dot products, within the bound of the exact scores', async () => {
    const items = quantiseItems(DIMS, vectors, prior);
    const query = row(123);
    const alpha = 0.2;
    const codes = new Uint8Array(DIMS + 1);
    const { scale, bound } = quantiseQuery(items, query, alpha, codes);
    const integer = new Float64Array(n);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let k = 0; k <= DIMS; k++) dot += (codes[k]! - QUERY_ZERO_POINT) * items.codes[k * n + i]!;
      integer[i] = dot;
      let exact = alpha * prior[i]!;
      for (let k = 0; k < DIMS; k++) exact += vectors[i * DIMS + k]! * query[k]!;
      worst = Math.max(worst, Math.abs(exact - scale * dot));
    }
    expect(worst).toBeLessThanOrEqual(bound);
    // The bound is a worst case but not a useless one: well under the spread of the top scores.
    expect(bound).toBeLessThan(0.05);
    // ONNX's candidates are the best integer scores (ties may be cut either way at the last one).
    const count = candidatesFor(10);
    const [candidates] = await index.candidates(query, alpha, count);
    const byInteger = Array.from(integer.keys()).sort((a, b) => integer[b]! - integer[a]! || a - b);
    const cut = integer[byInteger[count - 1]!]!;
    expect(candidates).toHaveLength(count);
    for (const c of candidates!) expect(integer[c]).toBeGreaterThanOrEqual(cut);
    for (const i of byInteger.slice(0, count)) if (integer[i]! > cut) expect(candidates).toContain(i);
  });

  it('a catalogue smaller than the candidate count is ranked whole', async () => {
    const small = await OnnxIndex.create(DIMS, vectors.slice(0, 50 * DIMS), prior.slice(0, 50));
    try {
      const [top] = await small.topK(row(3), 10, 0.2);
      expect(top).toEqual(exactTopK(vectors.slice(0, 50 * DIMS), DIMS, prior.slice(0, 50), row(3), 0.2, 10));
      expect(small.stats.widened).toBe(0);
    } finally {
      await small.close();
    }
  });
});

describe('ONNX index where int8 cannot tell the best films apart', () => {
  // 400 near-copies of one direction u, each turned away from it by a slightly different angle
  // (the later, the closer), among 5 000 random films. Their exact scores against u differ by
  // ~1e-5 from one to the next, far below what int8 codes resolve, so the approximate ranking
  // of the near-copies is mostly noise.
  const others = 5_000;
  const copies = 400;
  const n = others + copies;
  const vectors = new Float32Array(n * DIMS);
  vectors.set(unitVectors(others, DIMS, 21));
  const [u, w] = [unitVectors(1, DIMS, 22), unitVectors(1, DIMS, 23)];
  let uw = 0;
  for (let k = 0; k < DIMS; k++) uw += u[k]! * w[k]!;
  for (let k = 0; k < DIMS; k++) w[k]! -= uw * u[k]!;
  const wNorm = Math.hypot(...w);
  for (let j = 0; j < copies; j++) {
    const angle = 0.02 + (0.04 * (copies - j)) / copies;
    for (let k = 0; k < DIMS; k++) vectors[(others + j) * DIMS + k] = Math.cos(angle) * u[k]! + (Math.sin(angle) * w[k]!) / wNorm;
  }
  const prior = new Float32Array(n).fill(0.5);
  let index: OnnxIndex;

  beforeAll(async () => {
    index = await OnnxIndex.create(DIMS, vectors, prior);
  });
  afterAll(async () => {
    await index?.close();
  });

  it('the approximate candidates miss true neighbours, and the answer is still the exact top k', async () => {
    const k = 10;
    const exact = exactTopK(vectors, DIMS, prior, u, 0.2, k);
    expect(exact.map((e) => e.index)).toEqual(Array.from({ length: k }, (_, j) => n - 1 - j));
    // Without the exact re-ranking and its proof, ONNX alone would get the top k wrong.
    const [candidates] = await index.candidates(u, 0.2, candidatesFor(k));
    const recall = exact.filter((e) => candidates!.includes(e.index)).length / k;
    expect(recall).toBeLessThan(1);
    expect(candidates!.slice(0, k)).not.toEqual(exact.map((e) => e.index));

    const widenedBefore = index.stats.widened;
    const [top] = await index.topK(u, k, 0.2);
    expect(top).toEqual(exact);
    // The proof failed on the first candidates, so the search was widened.
    expect(index.stats.widened).toBeGreaterThan(widenedBefore);
  });
});

describe('the integer product is exact on every CPU kernel, at the largest codes', () => {
  // Films whose every component is its dimension's largest |value| (codes ±ITEM_CODE_MAX), a
  // query along the first (uint8 codes 255 everywhere): the sums onnxruntime's uint8 × int8 kernel
  // forms two products at a time. With 8-bit item codes, an AVX2 CPU without VNNI saturated them
  // in int16 (24 289 for 1 048 385): the approximate ranking was wrong beyond the proof's bound.
  const films = 64;
  const vectors = new Float32Array(films * DIMS);
  const normal = gaussian(31);
  for (let i = 0; i < films; i++) {
    const sign = i === 0 ? 1 : i === 1 ? -1 : 0;
    for (let k = 0; k < DIMS; k++) vectors[i * DIMS + k] = sign !== 0 ? sign / Math.sqrt(DIMS) : normal() / (8 * Math.sqrt(DIMS));
  }
  const prior = Float32Array.from({ length: films }, (_, i) => (i === 0 ? 1 : i / (2 * films)));

  it('codes stay within 7 bits and ONNX’s integer scores are the codes’ dot products', async () => {
    const items = quantiseItems(DIMS, vectors, prior);
    expect(Math.max(...Array.from(items.codes, Math.abs))).toBe(ITEM_CODE_MAX);
    const query = new Uint8Array(DIMS + 1);
    // alpha · the prior's scale equals each dimension's query part: every code at the peak.
    quantiseQuery(items, vectors.subarray(0, DIMS), 1 / DIMS, query);
    expect(Math.min(...query)).toBe(255);
    const session = await ort.InferenceSession.create(buildTopKModel(items));
    try {
      const out = await session.run({ query: new ort.Tensor('uint8', query, [1, DIMS + 1]), candidates: new ort.Tensor('int64', BigInt64Array.from([BigInt(films)]), [1]) });
      const approx = out.approx!.data as Int32Array;
      const indices = out.indices!.data as BigInt64Array;
      for (let j = 0; j < films; j++) {
        const i = Number(indices[j]!);
        let dot = 0;
        for (let k = 0; k <= DIMS; k++) dot += (query[k]! - QUERY_ZERO_POINT) * items.codes[k * films + i]!;
        expect(approx[j]).toBe(dot);
      }
      expect(Number(indices[0]!)).toBe(0);
      expect(Number(indices[films - 1]!)).toBe(1);
    } finally {
      await session.release();
    }
  });
});
