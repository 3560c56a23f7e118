/** Small vector steps the single route, the batch route and the ranker share, so their scores stay equal to the last float. */

/** The liked title whose vector is closest (largest dot product) to `v`: its tconst. */
export function closestOf(v: Float32Array, liked: readonly { tconst: string; vector: Float32Array }[]): string | null {
  let best: string | null = null;
  let bestSim = -Infinity;
  for (const l of liked) {
    const w = l.vector;
    let dot = 0;
    for (let k = 0; k < v.length; k++) dot += v[k]! * w[k]!;
    if (dot > bestSim) {
      bestSim = dot;
      best = l.tconst;
    }
  }
  return best;
}

/** Scales each block of `v` (its sizes in order) to length `scale`, in place; false when every block is zero. */
export function normaliseBlocks(blocks: readonly number[], v: Float32Array, scale: number): boolean {
  let any = false;
  let start = 0;
  for (const size of blocks) {
    let norm = 0;
    for (let k = start; k < start + size; k++) norm += v[k]! * v[k]!;
    if (norm > 0) {
      any = true;
      const s = scale / Math.sqrt(norm);
      for (let k = start; k < start + size; k++) v[k]! *= s;
    }
    start += size;
  }
  return any;
}
