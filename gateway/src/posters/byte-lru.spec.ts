import { ByteLru } from './byte-lru';

describe('ByteLru', () => {
  it('drops the least recently used keys once past the byte bound', () => {
    const lru = new ByteLru<string>(100);
    expect(lru.add('a', 40)).toEqual([]);
    expect(lru.add('b', 40)).toEqual([]);
    expect(lru.touch('a')).toBe(true);
    // b is now the oldest: adding c (40) makes 120 > 100, b goes.
    expect(lru.add('c', 40)).toEqual(['b']);
    expect([lru.has('a'), lru.has('b'), lru.has('c')]).toEqual([true, false, true]);
    expect(lru.bytes).toBe(80);
  });

  it('drops as many as needed, oldest first', () => {
    const lru = new ByteLru<string>(100);
    lru.add('a', 30);
    lru.add('b', 30);
    lru.add('c', 30);
    expect(lru.add('d', 80)).toEqual(['a', 'b', 'c']);
    expect(lru.bytes).toBe(80);
  });

  it('drops a key larger than the bound at once', () => {
    const lru = new ByteLru<string>(100);
    lru.add('a', 10);
    expect(lru.add('huge', 150)).toEqual(['a', 'huge']);
    expect(lru.bytes).toBe(0);
    expect(lru.size).toBe(0);
  });

  it('counts a key added again once, at its new size', () => {
    const lru = new ByteLru<string>(100);
    lru.add('a', 60);
    expect(lru.add('a', 70)).toEqual([]);
    expect(lru.bytes).toBe(70);
    lru.remove('a');
    expect(lru.bytes).toBe(0);
    expect(lru.touch('a')).toBe(false);
  });
});
