import type { FilmDetail } from '@cine/common';
import { FilmDetailCache } from './film-detail.cache';

const detail = (tconst: string) => ({ tconst, title: tconst }) as unknown as FilmDetail;
/** Lets a check started in the background (after the first) finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('FilmDetailCache', () => {
  it('reads the catalogue stamp at most once per interval, shares a check in flight, and empties itself when the stamp changes', async () => {
    let clock = 0;
    let stamp = 'a/1';
    let reads = 0;
    const cache = new FilmDetailCache(
      async () => {
        reads++;
        return stamp;
      },
      { checkIntervalMs: 1000, now: () => clock },
    );
    await Promise.all([cache.revalidate(), cache.revalidate(), cache.revalidate()]);
    expect(reads).toBe(1);
    cache.set('tt1', detail('tt1'));
    clock = 999;
    stamp = 'b/2';
    await cache.revalidate();
    expect([reads, cache.get('tt1')?.tconst]).toEqual([1, 'tt1']);
    clock = 1000;
    await cache.revalidate();
    await settle();
    expect([reads, cache.get('tt1')]).toEqual([2, undefined]);
    cache.set('tt1', detail('tt1'));
    clock = 2500;
    await cache.revalidate();
    await settle();
    expect([reads, cache.get('tt1')?.tconst]).toEqual([3, 'tt1']);
  });

  it('waits for the first check only: a later one runs beside the requests', async () => {
    let clock = 0;
    const pending: Array<(stamp: string) => void> = [];
    const cache = new FilmDetailCache(() => new Promise<string>((resolve) => pending.push(resolve)), { checkIntervalMs: 1000, now: () => clock });
    const first = cache.revalidate();
    pending.shift()!('a/1');
    await first;
    cache.set('tt1', detail('tt1'));
    clock = 1000;
    // The stamp query has not answered, and the request goes on with what it has.
    await cache.revalidate();
    expect([pending.length, cache.get('tt1')?.tconst]).toEqual([1, 'tt1']);
    pending.shift()!('b/2');
    await settle();
    expect(cache.get('tt1')).toBeUndefined();
  });

  it('keeps at most its capacity, least recently used out first', () => {
    const cache = new FilmDetailCache(async () => '', { capacity: 2 });
    cache.set('tt1', detail('tt1'));
    cache.set('tt2', detail('tt2'));
    cache.get('tt1');
    cache.set('tt3', detail('tt3'));
    expect([cache.size, cache.get('tt2'), cache.get('tt1')?.tconst, cache.get('tt3')?.tconst]).toEqual([2, undefined, 'tt1', 'tt3']);
  });
});
