import { FactsCache, type FactsSource } from './facts-cache';
import type { FilmFacts } from './reasons.repository';

/** A catalogue in memory that records what it was asked: the cache's contract is what it forwards. */
class RecordingSource implements FactsSource {
  readonly asked: string[][] = [];
  constructor(private readonly known: Set<string>) {}
  async facts(tconsts: readonly string[]): Promise<Map<string, FilmFacts>> {
    this.asked.push([...tconsts]);
    const out = new Map<string, FilmFacts>();
    for (const t of tconsts) {
      if (!this.known.has(t)) continue;
      out.set(t, { tconst: t, title: t, year: null, genres: [], collection: null, language: null, countries: [], directors: new Map(), writers: new Map(), cast: new Map() });
    }
    return out;
  }
}

describe('FactsCache', () => {
  it('asks the source once per film and version, remembers films it does not hold, and starts over on a new version', async () => {
    const source = new RecordingSource(new Set(['tt1', 'tt2', 'tt3']));
    const cache = new FactsCache(source);
    expect([...(await cache.facts(1, ['tt1', 'tt2', 'tt9'])).keys()].sort()).toEqual(['tt1', 'tt2']);
    expect([...(await cache.facts(1, ['tt2', 'tt3', 'tt9', 'tt1'])).keys()].sort()).toEqual(['tt1', 'tt2', 'tt3']);
    expect(source.asked).toEqual([['tt1', 'tt2', 'tt9'], ['tt3']]);
    await cache.facts(2, ['tt1']);
    expect(source.asked.at(-1)).toEqual(['tt1']);
    expect(cache.size).toBe(1);
  });

  it('stays within its capacity, dropping the least recently used film first', async () => {
    const source = new RecordingSource(new Set(['tt1', 'tt2', 'tt3', 'tt4']));
    const cache = new FactsCache(source, 3);
    await cache.facts(1, ['tt1', 'tt2', 'tt3']);
    await cache.facts(1, ['tt1']); // tt2 is now the oldest
    await cache.facts(1, ['tt4']);
    expect(cache.size).toBe(3);
    source.asked.length = 0;
    await cache.facts(1, ['tt1', 'tt3', 'tt4']);
    expect(source.asked).toEqual([]);
    await cache.facts(1, ['tt2']);
    expect(source.asked).toEqual([['tt2']]);
  });
});
