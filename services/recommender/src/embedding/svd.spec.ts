import type { SparseMatrix } from './features';
import { gaussian, randomizedSvd, symmetricEigen } from './svd';

function sparse(dense: number[][]): SparseMatrix {
  const rowPtr = [0];
  const colIdx: number[] = [];
  const values: number[] = [];
  for (const row of dense) {
    row.forEach((v, j) => {
      if (v !== 0) {
        colIdx.push(j);
        values.push(v);
      }
    });
    rowPtr.push(colIdx.length);
  }
  return { rows: dense.length, cols: dense[0]!.length, rowPtr: Int32Array.from(rowPtr), colIdx: Int32Array.from(colIdx), values: Float32Array.from(values) };
}

describe('randomized truncated SVD', () => {
  // A low-rank matrix plus a little noise, sparse like a film × feature matrix.
  const normal = gaussian(7);
  const n = 300;
  const m = 120;
  const factors = Array.from({ length: 6 }, (_, k) => ({ u: Array.from({ length: n }, normal), v: Array.from({ length: m }, normal), s: 10 / (k + 1) }));
  const dense = Array.from({ length: n }, (_, i) =>
    Array.from({ length: m }, (_, j) => {
      if ((i * 7 + j * 13) % 3 === 0) return 0;
      return factors.reduce((sum, f) => sum + f.s * f.u[i]! * f.v[j]!, 0) / 10 + 0.01 * normal();
    }),
  );
  const a = sparse(dense);

  it('finds the leading singular values of an exact eigen-decomposition of AᵀA', () => {
    const ata = new Float64Array(m * m);
    for (const row of dense) for (let p = 0; p < m; p++) for (let q = 0; q < m; q++) ata[p * m + q]! += row[p]! * row[q]!;
    const exact = Array.from(symmetricEigen(ata, m).values).sort((x, y) => y - x).map((x) => Math.sqrt(Math.max(0, x)));
    const svd = randomizedSvd(a, { rank: 8, powerIterations: 2, seed: 1 });
    for (let k = 0; k < 8; k++) expect(svd.singular[k]).toBeCloseTo(exact[k]!, 2);
  });

  it('returns orthonormal left singular vectors with A v = σ u', () => {
    const svd = randomizedSvd(a, { rank: 5, seed: 3 });
    for (let p = 0; p < 5; p++) {
      for (let q = 0; q < 5; q++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += svd.u[i * 5 + p]! * svd.u[i * 5 + q]!;
        expect(dot).toBeCloseTo(p === q ? 1 : 0, 6);
      }
    }
    // uᵀA = σ vᵀ with |v| = 1: the norm of uᵀA is σ.
    for (let k = 0; k < 5; k++) {
      const row = new Float64Array(m);
      dense.forEach((r, i) => r.forEach((x, j) => (row[j]! += svd.u[i * 5 + k]! * x)));
      expect(Math.hypot(...row)).toBeCloseTo(svd.singular[k]!, 4);
    }
  });

  it('is deterministic for a seed', () => {
    expect(randomizedSvd(a, { rank: 4, seed: 9 }).u).toEqual(randomizedSvd(a, { rank: 4, seed: 9 }).u);
  });
});
