import type { RecommendationsResponse } from '@cine/common';
import { RecommendationCache } from './recommendation.cache';
import { requestKey } from './recommendation.service';

/** An answer of embedding version `version`, told apart by the input it echoes. */
const answer = (version: number, tag: string): RecommendationsResponse => ({
  version,
  coldStart: false,
  resolved: { liked: [{ input: tag, status: 'not_found', tconst: null, title: null, year: null }], disliked: [] },
  items: [],
});
/** Which answer a lookup found, by the input it echoes. */
const tagOf = (found: { hit: RecommendationsResponse | undefined }) => found.hit?.resolved.liked[0]!.input;
/** Lets a check started in the background (after the first) finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A cache over sources the test moves by hand, with a hand-moved clock. */
function setup(opts: { capacity?: number; maxBytes?: number } = {}) {
  const state = { version: 1 as number | null, catalogue: 'public/1', reads: 0, clock: 0 };
  const cache = new RecommendationCache(
    {
      newestReady: async () => {
        state.reads++;
        return state.version;
      },
      catalogueStamp: async () => state.catalogue,
    },
    { ...opts, checkIntervalMs: 1000, now: () => state.clock },
  );
  return { state, cache };
}

describe('RecommendationCache', () => {
  it('answers a repeat from memory, and keeps nothing it was not given', async () => {
    const { cache } = setup();
    const first = await cache.lookup('a');
    expect(first.hit).toBeUndefined();
    cache.set(first.ticket, answer(1, 'answer a'));
    expect(tagOf(await cache.lookup('a'))).toBe('answer a');
    expect((await cache.lookup('b')).hit).toBeUndefined();
  });

  it('misses after a new embedding version is ready, once the check interval has passed; reads the sources at most once per interval', async () => {
    const { state, cache } = setup();
    const { ticket } = await cache.lookup('a');
    cache.set(ticket, answer(1, 'v1'));
    state.version = 2;
    state.clock = 999;
    expect(tagOf(await cache.lookup('a'))).toBe('v1');
    expect(state.reads).toBe(1);
    state.clock = 1000;
    // The check this lookup starts runs beside it: the request is not held up by the query.
    expect(tagOf(await cache.lookup('a'))).toBe('v1');
    await settle();
    const after = await cache.lookup('a');
    expect([after.hit, state.reads, cache.size]).toEqual([undefined, 2, 0]);
    cache.set(after.ticket, answer(2, 'v2'));
    expect(tagOf(await cache.lookup('a'))).toBe('v2');
  });

  it('misses after the catalogue changed (titles resolve and details enrich against it)', async () => {
    const { state, cache } = setup();
    const { ticket } = await cache.lookup('a');
    cache.set(ticket, answer(1, 'v1'));
    state.catalogue = 'public/2';
    state.clock = 5000;
    await cache.lookup('b');
    await settle();
    expect((await cache.lookup('a')).hit).toBeUndefined();
  });

  it('does not keep an answer from an older version than the newest ready (the recommender has not loaded it yet, or rejected it)', async () => {
    const { state, cache } = setup();
    state.version = 3;
    const { ticket } = await cache.lookup('a');
    cache.set(ticket, answer(2, 'v2'));
    expect([(await cache.lookup('a')).hit, cache.size]).toEqual([undefined, 0]);
  });

  it('does not keep an answer begun before the cache was emptied', async () => {
    const { state, cache } = setup();
    const { ticket } = await cache.lookup('a');
    // While that answer was being computed, version 2 became ready and the recommender loaded it.
    state.version = 2;
    state.clock = 1000;
    await cache.lookup('b');
    await settle();
    cache.set(ticket, answer(2, 'begun under version 1'));
    expect((await cache.lookup('a')).hit).toBeUndefined();
  });

  it('waits for the first check only: a later one runs beside the requests', async () => {
    let clock = 0;
    const pending: Array<(version: number) => void> = [];
    const cache = new RecommendationCache(
      { newestReady: () => new Promise<number>((resolve) => pending.push(resolve)), catalogueStamp: async () => 'public/1' },
      { checkIntervalMs: 1000, now: () => clock },
    );
    const first = cache.lookup('a');
    pending.shift()!(1);
    cache.set((await first).ticket, answer(1, 'v1'));
    clock = 1000;
    // The version query has not answered, and the request is answered with what the cache has.
    expect([tagOf(await cache.lookup('a')), pending.length]).toEqual(['v1', 1]);
    pending.shift()!(2);
    await settle();
    expect((await cache.lookup('a')).hit).toBeUndefined();
  });

  it('shares one check among concurrent requests', async () => {
    const { state, cache } = setup();
    await Promise.all([cache.lookup('a'), cache.lookup('b'), cache.lookup('c')]);
    expect(state.reads).toBe(1);
  });

  it('fails a request when the first check cannot read the sources; later failed checks keep the answers and are tried again', async () => {
    const { state } = setup();
    let down = true;
    const flaky = new RecommendationCache(
      {
        newestReady: async () => {
          if (down) throw new Error('database away');
          return state.version;
        },
        catalogueStamp: async () => state.catalogue,
      },
      { checkIntervalMs: 1000, now: () => state.clock },
    );
    await expect(flaky.lookup('a')).rejects.toThrow('database away');
    down = false;
    const { hit, ticket } = await flaky.lookup('a');
    expect(hit).toBeUndefined();
    flaky.set(ticket, answer(1, 'v1'));
    down = true;
    state.clock = 1000;
    expect(tagOf(await flaky.lookup('a'))).toBe('v1');
    await settle();
    down = false;
    state.version = 2;
    state.clock = 1001;
    await flaky.lookup('b');
    await settle();
    expect((await flaky.lookup('a')).hit).toBeUndefined();
  });

  it('keeps at most its capacity, least recently used out first', async () => {
    const { cache } = setup({ capacity: 2 });
    for (const key of ['a', 'b']) cache.set((await cache.lookup(key)).ticket, answer(1, key));
    await cache.lookup('a');
    cache.set((await cache.lookup('c')).ticket, answer(1, 'c'));
    const hits = await Promise.all(['a', 'b', 'c'].map(async (k) => tagOf(await cache.lookup(k))));
    expect([cache.size, hits]).toEqual([2, ['a', undefined, 'c']]);
  });

  it('keeps at most maxBytes of answers (their JSON), and never one larger than that', async () => {
    const size = Buffer.byteLength(JSON.stringify(answer(1, 'aaaa')));
    const { cache } = setup({ maxBytes: 2 * size + size / 2 });
    cache.set((await cache.lookup('a')).ticket, answer(1, 'aaaa'));
    cache.set((await cache.lookup('b')).ticket, answer(1, 'bbbb'));
    cache.set((await cache.lookup('c')).ticket, answer(1, 'cccc'));
    expect([cache.size, tagOf(await cache.lookup('a')), tagOf(await cache.lookup('c'))]).toEqual([2, undefined, 'cccc']);
    cache.set((await cache.lookup('d')).ticket, answer(1, 'd'.repeat(3 * size)));
    expect([cache.size, tagOf(await cache.lookup('d'))]).toEqual([2, undefined]);
  });
});

describe('requestKey', () => {
  const base = { liked: ['tt0068646', 'le parrain'] };

  it('tells apart every field that changes the answer', () => {
    const variants = [
      base,
      { liked: ['le parrain', 'tt0068646'] },
      { liked: ['tt0068646', 'Le Parrain'] },
      { ...base, disliked: ['amelie'] },
      { ...base, k: 5 },
      { ...base, diversity: 0.5 },
      { ...base, filters: { genres: ['Comedy'] } },
      { ...base, filters: { genres: ['Drama'] } },
      { ...base, filters: { decades: [1990] } },
      { ...base, filters: { maxRuntime: 120 } },
      { ...base, filters: { frenchOnly: true } },
    ];
    expect(new Set(variants.map(requestKey)).size).toBe(variants.length);
  });

  it('gives the defaults the service applies the same key as their absence', () => {
    expect(requestKey({ ...base, k: 10, disliked: [] })).toBe(requestKey(base));
    expect(requestKey({ ...base, filters: { maxRuntime: 90, genres: ['Drama'] } })).toBe(requestKey({ ...base, filters: { genres: ['Drama'], maxRuntime: 90 } }));
  });
});
