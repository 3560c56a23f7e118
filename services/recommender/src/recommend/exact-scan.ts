import type { Neighbour } from './neighbour';

/**
 * The blended score (cosine + alpha · prior) by a plain TypeScript scan: the reference the tests
 * compare the ONNX index with, the baseline of the speed benchmark, and the exact full ranking
 * used when filters leave too few of ONNX's candidates.
 */
export function blendedScores(vectors: Float32Array, dims: number, prior: Float32Array, query: Float32Array, alpha: number): Float32Array {
  const n = prior.length;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = blendedScore(vectors, dims, prior, query, alpha, i);
  return out;
}

/**
 * One film's blended score, as a float32. The ONNX index re-ranks its candidates with this very
 * function, so its scores are bit-for-bit those of the full scan and the two rankings can be
 * compared for equality, ties included.
 */
export function blendedScore(vectors: Float32Array, dims: number, prior: Float32Array, query: Float32Array, alpha: number, i: number): number {
  let dot = 0;
  const o = i * dims;
  for (let k = 0; k < dims; k++) dot += vectors[o + k]! * query[k]!;
  return Math.fround(dot + alpha * prior[i]!);
}

/** Top k by score (ties by lower index), without sorting the whole array. */
export function topKOf(scores: Float32Array, k: number, keep?: (index: number) => boolean): Neighbour[] {
  const heap: Neighbour[] = [];
  const worse = (a: Neighbour, b: Neighbour) => a.score < b.score || (a.score === b.score && a.index > b.index);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    if (keep && !keep(i)) continue;
    const cand = { index: i, score: scores[i]! };
    if (heap.length < k) {
      heap.push(cand);
      for (let j = heap.length - 1; j > 0; ) {
        const p = (j - 1) >> 1;
        if (!worse(heap[j]!, heap[p]!)) break;
        [heap[j], heap[p]] = [heap[p]!, heap[j]!];
        j = p;
      }
    } else if (k > 0 && worse(heap[0]!, cand)) {
      heap[0] = cand;
      siftDown(0);
    }
  }
  return heap.sort((a, b) => b.score - a.score || a.index - b.index);
}

export function exactTopK(vectors: Float32Array, dims: number, prior: Float32Array, query: Float32Array, alpha: number, k: number): Neighbour[] {
  return topKOf(blendedScores(vectors, dims, prior, query, alpha), k);
}
