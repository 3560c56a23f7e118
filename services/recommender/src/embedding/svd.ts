import type { SparseMatrix } from './features';

/**
 * Randomized truncated SVD (Halko, Martinsson & Tropp 2011) of a sparse film × feature matrix,
 * on typed arrays: a random projection catches the dominant row space, a few power iterations
 * sharpen it, and the small l × l problem is solved exactly by Jacobi rotations. Dense blocks
 * are row-major: row i of an l-column block is [i*l, (i+1)*l).
 */
export interface SvdOptions {
  rank: number;
  oversample?: number;
  powerIterations?: number;
  seed?: number;
}

export interface SvdResult {
  /** Left singular vectors, n × rank, row-major. */
  u: Float64Array;
  singular: Float64Array;
  rank: number;
}

/** Deterministic uniform deviates in [0, 1) (mulberry32): builds, baselines and bootstraps reproduce. */
/**
 * Held once: a global looked up in a hot loop is slow where the global object is not the
 * realm's own (jest runs each spec in a vm context: 6 M draws took 3.4 s there, not 30 ms).
 */
const { imul } = Math;

export function uniformRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic normal deviates (mulberry32 + Box–Muller), so a build is reproducible. */
export function gaussian(seed: number): () => number {
  const uniform = uniformRandom(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    const u1 = uniform() || 1e-12;
    const u2 = uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    spare = r * Math.sin(2 * Math.PI * u2);
    return r * Math.cos(2 * Math.PI * u2);
  };
}

/** A (n × m) · X (m × l) → n × l. */
function multiply(a: SparseMatrix, x: Float64Array, l: number): Float64Array {
  const { rows: n, rowPtr, colIdx, values } = a;
  const out = new Float64Array(n * l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
      const xj = colIdx[p]! * l;
      const v = values[p]!;
      for (let c = 0; c < l; c++) out[o + c]! += v * x[xj + c]!;
    }
  }
  return out;
}

/** Aᵀ (m × n) · Y (n × l) → m × l. */
export function multiplyTransposed(a: SparseMatrix, y: Float64Array, l: number): Float64Array {
  const { rows: n, cols: m, rowPtr, colIdx, values } = a;
  const out = new Float64Array(m * l);
  for (let i = 0; i < n; i++) {
    const yi = i * l;
    for (let p = rowPtr[i]!; p < rowPtr[i + 1]!; p++) {
      const o = colIdx[p]! * l;
      const v = values[p]!;
      for (let c = 0; c < l; c++) out[o + c]! += v * y[yi + c]!;
    }
  }
  return out;
}

/** Yᵀ Y of a rows × l block, row-major l × l. */
function gramOf(y: Float64Array, rows: number, l: number): Float64Array {
  const g = new Float64Array(l * l);
  for (let i = 0; i < rows; i++) {
    const o = i * l;
    for (let r = 0; r < l; r++) {
      const yr = y[o + r]!;
      if (yr === 0) continue;
      for (let c = r; c < l; c++) g[r * l + c]! += yr * y[o + c]!;
    }
  }
  for (let r = 0; r < l; r++) for (let c = 0; c < r; c++) g[r * l + c] = g[c * l + r]!;
  return g;
}

/**
 * Orthonormalise the l columns of a row-major block in place: CholeskyQR, twice (CholeskyQR2),
 * which reads the block row by row, unlike Gram–Schmidt. Inside the power iterations one pass
 * is enough (the next product re-mixes the columns anyway); the final basis gets two. A column that is (numerically) a
 * combination of the previous ones is dropped (set to zero), which only spends one of the
 * oversampled directions.
 */
function orthonormalise(y: Float64Array, rows: number, l: number, passes = 2): void {
  for (let pass = 0; pass < passes; pass++) {
    const g = gramOf(y, rows, l);
    let trace = 0;
    for (let i = 0; i < l; i++) trace += g[i * l + i]!;
    const floor = Math.max(trace, 1e-300) * 1e-11;
    const dead = new Uint8Array(l);
    // Cholesky G = Rᵀ R, R upper triangular (row-major).
    const r = new Float64Array(l * l);
    for (let i = 0; i < l; i++) {
      let d = g[i * l + i]!;
      for (let k = 0; k < i; k++) d -= r[k * l + i]! ** 2;
      if (d <= floor) {
        dead[i] = 1;
        r[i * l + i] = 1;
        continue;
      }
      const rii = Math.sqrt(d);
      r[i * l + i] = rii;
      for (let j = i + 1; j < l; j++) {
        let s = g[i * l + j]!;
        for (let k = 0; k < i; k++) s -= r[k * l + i]! * r[k * l + j]!;
        r[i * l + j] = s / rii;
      }
    }
    // Each row y ← y R⁻¹, with R⁻¹ formed once (upper triangular) and read row by row.
    const inv = new Float64Array(l * l);
    for (let j = 0; j < l; j++) {
      if (dead[j]) continue;
      inv[j * l + j] = 1 / r[j * l + j]!;
      for (let i = j - 1; i >= 0; i--) {
        if (dead[i]) continue;
        let s = 0;
        for (let k = i + 1; k <= j; k++) s += r[i * l + k]! * inv[k * l + j]!;
        inv[i * l + j] = -s / r[i * l + i]!;
      }
    }
    const row = new Float64Array(l);
    for (let i = 0; i < rows; i++) {
      const o = i * l;
      row.fill(0);
      for (let k = 0; k < l; k++) {
        const yk = y[o + k]!;
        if (yk === 0 || dead[k]) continue;
        const ik = k * l;
        for (let j = k; j < l; j++) row[j]! += yk * inv[ik + j]!;
      }
      y.set(row, o);
    }
  }
}

/** Eigen-decomposition of a symmetric l × l matrix (row-major) by cyclic Jacobi rotations. */
export function symmetricEigen(matrix: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(l);
  for (let i = 0; i < l; i++) values[i] = a[i * l + i]!;
  return { values, vectors: v };
}

export function randomizedSvd(a: SparseMatrix, opts: SvdOptions): SvdResult {
  const n = a.rows;
  const m = a.cols;
  const rank = Math.max(1, Math.min(opts.rank, n, m));
  const l = Math.min(rank + (opts.oversample ?? 12), n, m);
  const normal = gaussian(opts.seed ?? 42);
  const omega = new Float64Array(m * l);
  for (let i = 0; i < omega.length; i++) omega[i] = normal();

  const iterations = opts.powerIterations ?? 2;
  let q = multiply(a, omega, l);
  orthonormalise(q, n, l, iterations === 0 ? 2 : 1);
  for (let it = 0; it < iterations; it++) {
    const z = multiplyTransposed(a, q, l);
    orthonormalise(z, m, l, 1);
    q = multiply(a, z, l);
    orthonormalise(q, n, l, it === iterations - 1 ? 2 : 1);
  }

  // B = Qᵀ A (l × m); B Bᵀ = W Λ Wᵀ gives U = Q W and σ = √λ without forming B's SVD.
  const gram = gramOf(multiplyTransposed(a, q, l), m, l);
  const { values, vectors } = symmetricEigen(gram, l);
  const order = Array.from({ length: l }, (_, i) => i).sort((x, y) => values[y]! - values[x]!);

  const u = new Float64Array(n * rank);
  const singular = new Float64Array(rank);
  for (let k = 0; k < rank; k++) singular[k] = Math.sqrt(Math.max(0, values[order[k]!]!));
  const w = new Float64Array(l * rank);
  for (let c = 0; c < l; c++) for (let k = 0; k < rank; k++) w[c * rank + k] = vectors[c * l + order[k]!]!;
  for (let i = 0; i < n; i++) {
    const o = i * rank;
    for (let c = 0; c < l; c++) {
      const qic = q[i * l + c]!;
      if (qic === 0) continue;
      const wc = c * rank;
      for (let k = 0; k < rank; k++) u[o + k]! += qic * w[wc + k]!;
    }
  }
  return { u, singular, rank };
}
