import { DenseIdSet, IntMap, IntSet } from './int-set';

describe('IntSet', () => {
  it('agrees with a JS Set over many random inserts and lookups, through resizes', () => {
    let seed = 42;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 5_000_000) + 1;
    const ours = new IntSet(4);
    const reference = new Set<number>();
    let disagreements = 0;
    for (let i = 0; i < 200_000; i++) {
      const k = random();
      if (ours.add(k) === reference.has(k)) disagreements++;
      reference.add(k);
    }
    expect(disagreements).toBe(0);
    expect(ours.size).toBe(reference.size);
    for (let i = 0; i < 50_000; i++) {
      const k = random();
      if (ours.has(k) !== reference.has(k)) disagreements++;
    }
    expect(disagreements).toBe(0);
    expect(new Set(ours.values())).toEqual(reference);
  });

  it('refuses keys that cannot be stored', () => {
    expect(() => new IntSet().add(0)).toThrow(RangeError);
  });
});

describe('IntMap', () => {
  it('keeps values through resizes and supports increment and max', () => {
    const map = new IntMap(2, 2);
    for (let k = 1; k <= 10_000; k++) map.set(k, k * 2, -k);
    map.increment(7, 0, 5);
    map.max(8, 1, 100);
    map.max(9, 1, -1000);
    expect(map.get(7, 0)).toBe(19);
    expect(map.get(8, 1)).toBe(100);
    expect(map.get(9, 1)).toBe(-9);
    expect(map.get(10_001, 0, -7)).toBe(-7);
    expect(map.size).toBe(10_000);
    expect([...map.entries()].find(([k]) => k === 500)?.[1]).toEqual([1000, -500]);
  });
});

describe('DenseIdSet', () => {
  it('adds once, answers has, counts, and grows to the largest id', () => {
    const set = new DenseIdSet();
    expect(set.add(1)).toBe(true);
    expect(set.add(1)).toBe(false);
    expect(set.add(31)).toBe(true);
    expect(set.add(32)).toBe(true);
    expect(set.add(40_000_001)).toBe(true);
    expect([1, 31, 32, 40_000_001].every((id) => set.has(id))).toBe(true);
    expect([2, 30, 33, 40_000_000, 40_000_002, 2 ** 31 - 1].some((id) => set.has(id))).toBe(false);
    expect(set.size).toBe(4);
  });

  it('agrees with IntSet on a shuffled mix of ids', () => {
    const dense = new DenseIdSet();
    const hashed = new IntSet();
    let x = 12345;
    for (let i = 0; i < 50_000; i++) {
      x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
      const id = 1 + (x % 3_000_000);
      expect(dense.add(id)).toBe(hashed.add(id));
    }
    expect(dense.size).toBe(hashed.size);
    for (let id = 1; id < 3_000_000; id += 997) expect(dense.has(id)).toBe(hashed.has(id));
  });

  it('refuses ids outside 1..10⁹', () => {
    const set = new DenseIdSet();
    expect(() => set.add(0)).toThrow(RangeError);
    expect(() => set.add(1_000_000_001)).toThrow(/1\.\.1000000000/);
  });
});
