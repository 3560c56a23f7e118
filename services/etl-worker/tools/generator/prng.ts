/**
 * Seeded randomness for the IMDb-shaped generator.
 *
 * Everything is counter-based: a generator is re-seeded from (seed, stream, index) instead of
 * being carried across titles. That is what lets each output file be produced by a different
 * worker and still agree with the others about title 123 456, and it keeps a run byte-identical
 * for the same arguments. Only 32-bit integer arithmetic is used (Math.imul), which V8 keeps in
 * small integers; BigInt would be an order of magnitude slower on the hot path.
 */

/** Held once: a global looked up in a hot loop is slow where the global object is not the realm's own (jest's vm context). */
const { imul } = Math;

/** murmur3's 32-bit finaliser: a cheap bijective avalanche. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of up to three integers; distinct argument tuples give unrelated outputs. */
export function hash3(a: number, b: number, c: number): number {
  let h = mix32(a ^ 0x9e3779b9);
  h = mix32(h ^ imul(b, 0x27d4eb2f) ^ 0x165667b1);
  h = mix32(h ^ imul(c, 0x85ebca77) ^ 0x61c88647);
  return h;
}

const TWO_POW_32 = 4294967296;

/**
 * splitmix32: a Weyl sequence passed through a strong finaliser. Statistically plenty for
 * synthetic data, two multiplications per draw, and re-seeding is a single assignment.
 */
export class Rng {
  private state = 0;

  constructor(seed = 0) {
    this.state = seed >>> 0;
  }

  /** Re-seed in place; the hot loops reuse one instance rather than allocating per title. */
  reset(seed: number, stream: number, index: number): this {
    this.state = hash3(seed, stream, index);
    return this;
  }

  nextU32(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    let z = this.state;
    z = imul(z ^ (z >>> 16), 0x21f0aaad);
    z = imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Standard normal by Box-Muller; the second variate is dropped so a draw's cost is fixed. */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** Non-negative integer count with the given mean and an exponential tail. */
  count(mean: number): number {
    if (mean <= 0) return 0;
    return Math.floor(this.exponential(mean) + this.float());
  }
}

/**
 * Draws from a fixed discrete distribution in O(log n) through its cumulative weights.
 * The tables here are small (tens of entries), so this beats an alias table's setup cost.
 */
export class WeightedTable<T> {
  private readonly cumulative: Float64Array;
  private readonly total: number;

  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    if (items.length === 0 || items.length !== weights.length) {
      throw new Error('WeightedTable needs one weight per item');
    }
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => {
      if (!(w >= 0)) throw new Error(`negative or NaN weight at ${i}`);
      sum += w;
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new Error('WeightedTable needs a positive total weight');
    this.total = sum;
  }

  static of<T>(pairs: readonly (readonly [T, number])[]): WeightedTable<T> {
    return new WeightedTable(
      pairs.map((p) => p[0]),
      pairs.map((p) => p[1]),
    );
  }

  indexFor(u: number): number {
    const target = u * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  draw(rng: Rng): T {
    return this.items[this.indexFor(rng.float())] as T;
  }

  share(index: number): number {
    const prev = index === 0 ? 0 : (this.cumulative[index - 1] as number);
    return ((this.cumulative[index] as number) - prev) / this.total;
  }
}
