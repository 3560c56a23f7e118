import { StampedLru } from './stamped-lru';

/** Lets a check started in the background (after the first) finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** An LRU over a stamp and a clock the test moves by hand. */
function setup(opts: { capacity?: number; maxSize?: number } = {}) {
  const state = { stamp: 'a', reads: 0, clock: 0, down: false };
  const lru = new StampedLru<string>({
    stamp: async () => {
      state.reads++;
      if (state.down) throw new Error('database away');
      return state.stamp;
    },
    capacity: opts.capacity ?? 100,
    ...(opts.maxSize === undefined ? {} : { maxSize: opts.maxSize, sizeOf: (v: string) => v.length }),
    checkIntervalMs: 1000,
    now: () => state.clock,
  });
  return { state, lru };
}

describe('StampedLru', () => {
  it('reads the stamp at most once per interval and empties itself when it changes', async () => {
    const { state, lru } = setup();
    await lru.revalidate();
    lru.set('k', 'v1');
    state.stamp = 'b';
    state.clock = 999;
    await lru.revalidate();
    expect([state.reads, lru.get('k'), lru.stamp]).toEqual([1, 'v1', 'a']);
    state.clock = 1000;
    await lru.revalidate();
    await settle();
    expect([state.reads, lru.get('k'), lru.size, lru.stamp]).toEqual([2, undefined, 0, 'b']);
    lru.set('k', 'v2');
    state.clock = 2000;
    await lru.revalidate();
    await settle();
    // Same stamp: nothing dropped.
    expect([state.reads, lru.get('k')]).toEqual([3, 'v2']);
  });

  it('shares one check among concurrent callers', async () => {
    const { state, lru } = setup();
    await Promise.all([lru.revalidate(), lru.revalidate(), lru.revalidate()]);
    expect(state.reads).toBe(1);
  });

  it('waits for the first check only: a later one runs beside the callers, who use what they have', async () => {
    let clock = 0;
    const pending: Array<(stamp: string) => void> = [];
    const lru = new StampedLru<string>({ stamp: () => new Promise((resolve) => pending.push(resolve)), capacity: 10, checkIntervalMs: 1000, now: () => clock });
    let firstDone = false;
    const first = lru.revalidate().then(() => (firstDone = true));
    await settle();
    expect(firstDone).toBe(false);
    pending.shift()!('a');
    await first;
    lru.set('k', 'v1');
    clock = 1000;
    await lru.revalidate();
    expect([pending.length, lru.get('k')]).toEqual([1, 'v1']);
    pending.shift()!('b');
    await settle();
    expect(lru.get('k')).toBeUndefined();
  });

  it('fails the caller when the first check fails; a later failed check keeps the values and is tried again', async () => {
    const { state, lru } = setup();
    state.down = true;
    await expect(lru.revalidate()).rejects.toThrow('database away');
    state.down = false;
    await lru.revalidate();
    lru.set('k', 'v1');
    state.down = true;
    state.clock = 1000;
    await lru.revalidate();
    await settle();
    expect(lru.get('k')).toBe('v1');
    state.down = false;
    state.stamp = 'b';
    state.clock = 1001;
    await lru.revalidate();
    await settle();
    expect(lru.get('k')).toBeUndefined();
  });

  it('refuses a value begun before an emptying (its generation is stale)', async () => {
    const { state, lru } = setup();
    await lru.revalidate();
    const generation = lru.generation;
    state.stamp = 'b';
    state.clock = 1000;
    await lru.revalidate();
    await settle();
    lru.set('k', 'computed under a', generation);
    expect([lru.get('k'), lru.size]).toEqual([undefined, 0]);
    lru.set('k', 'computed under b', lru.generation);
    expect(lru.get('k')).toBe('computed under b');
  });

  it('compares stamps with `same` when given', async () => {
    let stamp = { version: 1, catalogue: 'x' };
    const lru = new StampedLru<string, typeof stamp>({
      stamp: async () => ({ ...stamp }),
      same: (a, b) => a.version === b.version && a.catalogue === b.catalogue,
      capacity: 10,
      checkIntervalMs: 0,
    });
    await lru.revalidate();
    lru.set('k', 'v');
    await lru.revalidate();
    await settle();
    expect(lru.get('k')).toBe('v');
    stamp = { version: 2, catalogue: 'x' };
    await lru.revalidate();
    await settle();
    expect([lru.get('k'), lru.stamp]).toEqual([undefined, { version: 2, catalogue: 'x' }]);
  });

  it('keeps at most its capacity, least recently used out first', async () => {
    const { lru } = setup({ capacity: 2 });
    await lru.revalidate();
    lru.set('a', 'a');
    lru.set('b', 'b');
    lru.get('a');
    lru.set('c', 'c');
    expect([lru.size, lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([2, 'a', undefined, 'c']);
  });

  it('keeps at most maxSize in all, counts a replaced value once, and never keeps one larger than maxSize', async () => {
    const { lru } = setup({ maxSize: 10 });
    await lru.revalidate();
    lru.set('a', 'aaaa');
    lru.set('a', 'aaaa');
    lru.set('b', 'bbbb');
    expect(lru.size).toBe(2);
    lru.set('c', 'cccc');
    expect([lru.size, lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([2, undefined, 'bbbb', 'cccc']);
    lru.set('d', 'd'.repeat(11));
    expect([lru.size, lru.get('d')]).toEqual([2, undefined]);
  });
});
