import type { FilmFacts } from './reasons.repository';

export interface FactsSource {
  facts(tconsts: readonly string[]): Promise<Map<string, FilmFacts>>;
}

/** Enough for the films a cinema's customers actually see; a few kB each. */
const DEFAULT_CAPACITY = 20_000;

/**
 * The facts the reasons compare, kept in memory per embedding version: two SQL queries per
 * recommendation (films, then every credit of k + liked films) were most of its ~14 ms. A new
 * version follows every import, so the catalogue cannot change under a version's facts except
 * through a TMDB refresh, which the next version picks up. Bounded: least recently used first out.
 */
export class FactsCache {
  private version: number | null = null;
  /** tconst → facts, or null for a film the catalogue does not hold; Map order is recency. */
  private readonly entries = new Map<string, FilmFacts | null>();

  constructor(
    private readonly source: FactsSource,
    private readonly capacity = DEFAULT_CAPACITY,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async facts(version: number, tconsts: readonly string[]): Promise<Map<string, FilmFacts>> {
    if (version !== this.version) {
      this.entries.clear();
      this.version = version;
    }
    const out = new Map<string, FilmFacts>();
    const missing: string[] = [];
    for (const tconst of new Set(tconsts)) {
      const hit = this.entries.get(tconst);
      if (hit === undefined) {
        missing.push(tconst);
        continue;
      }
      this.entries.delete(tconst);
      this.entries.set(tconst, hit);
      if (hit) out.set(tconst, hit);
    }
    if (missing.length === 0) return out;
    const loaded = await this.source.facts(missing);
    // A version swapped while the query ran: these facts may belong to the old catalogue.
    if (version !== this.version) return new Map([...out, ...loaded]);
    for (const tconst of missing) {
      const facts = loaded.get(tconst) ?? null;
      this.entries.set(tconst, facts);
      if (facts) out.set(tconst, facts);
    }
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return out;
  }
}
