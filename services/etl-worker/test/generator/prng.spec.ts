import { hash3, Rng, WeightedTable } from '../../tools/generator/prng';

describe('Rng', () => {
  it('replays the same sequence for the same (seed, stream, index) and differs otherwise', () => {
    const draw = (seed: number, stream: number, index: number): number[] => {
      const rng = new Rng().reset(seed, stream, index);
      return Array.from({ length: 8 }, () => rng.nextU32());
    };
    expect(draw(1, 2, 3)).toEqual(draw(1, 2, 3));
    expect(draw(1, 2, 3)).not.toEqual(draw(1, 2, 4));
    expect(draw(1, 2, 3)).not.toEqual(draw(1, 3, 3));
    expect(draw(1, 2, 3)).not.toEqual(draw(2, 2, 3));
    expect(hash3(1, 2, 3)).not.toBe(hash3(3, 2, 1));
  });

  it('draws uniform floats in [0, 1) and integers in [0, n) with the right mean', () => {
    const rng = new Rng(42);
    let sum = 0;
    const buckets = new Array<number>(10).fill(0);
    const n = 100_000;
    let outside = 0;
    for (let k = 0; k < n; k++) {
      const u = rng.float();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      const b = rng.int(10);
      buckets[b] = (buckets[b] as number) + 1;
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0.5, 2);
    for (const count of buckets) expect(Math.abs(count - n / 10)).toBeLessThan(n / 100);
  });

  it('draws normals with mean 0 and sd 1, and counts with the requested mean', () => {
    const rng = new Rng(7);
    const n = 100_000;
    let s = 0;
    let s2 = 0;
    let c = 0;
    for (let k = 0; k < n; k++) {
      const x = rng.normal();
      s += x;
      s2 += x * x;
      c += rng.count(4.5);
    }
    expect(s / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(s2 / n)).toBeCloseTo(1, 1);
    expect(c / n).toBeCloseTo(4.5, 1);
  });
});

describe('WeightedTable', () => {
  it('draws items in proportion to their weights', () => {
    const table = WeightedTable.of([['a', 1], ['b', 3], ['c', 0], ['d', 6]] as const);
    const rng = new Rng(3);
    const seen: Record<string, number> = { a: 0, b: 0, c: 0, d: 0 };
    for (let k = 0; k < 50_000; k++) {
      const item = table.draw(rng);
      seen[item] = (seen[item] ?? 0) + 1;
    }
    expect(seen.c).toBe(0);
    expect((seen.b as number) / (seen.a as number)).toBeCloseTo(3, 0);
    expect(table.share(3)).toBeCloseTo(0.6);
  });

  it('rejects empty or negative weights', () => {
    expect(() => new WeightedTable([], [])).toThrow();
    expect(() => WeightedTable.of([['x', -1]])).toThrow();
    expect(() => WeightedTable.of([['x', 0]])).toThrow();
  });
});
