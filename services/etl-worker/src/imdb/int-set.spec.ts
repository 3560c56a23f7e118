import { IntMap, IntSet } from './int-set';

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
