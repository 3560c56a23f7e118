import type { FilmDetail } from '@cine/common';
import { StampedLru } from '../cache/stamped-lru';

/** A few kB per film: the films a cinema's customers see, with room to spare. */
const DEFAULT_CAPACITY = 10_000;
/** How stale a detail may be after an import lands. */
const DEFAULT_CHECK_INTERVAL_MS = 1_000;

/**
 * Film details in memory, by tconst: every recommendation shows k of them, and they only change
 * when an import lands (an IMDb swap or a TMDB refresh), which `stamp()` names (revalidation:
 * cache/stamped-lru.ts). Only films found are kept: a film missing now may arrive with the next
 * import.
 */
export class FilmDetailCache {
  private readonly lru: StampedLru<FilmDetail>;

  constructor(stamp: () => Promise<string>, opts: { capacity?: number; checkIntervalMs?: number; now?: () => number } = {}) {
    this.lru = new StampedLru({
      stamp,
      capacity: opts.capacity ?? DEFAULT_CAPACITY,
      checkIntervalMs: opts.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS,
      ...(opts.now ? { now: opts.now } : {}),
    });
  }

  get size(): number {
    return this.lru.size;
  }

  /** Drops everything if the catalogue changed since the last check (at most one check per interval). */
  revalidate(): Promise<void> {
    return this.lru.revalidate();
  }

  get(tconst: string): FilmDetail | undefined {
    return this.lru.get(tconst);
  }

  set(tconst: string, detail: FilmDetail): void {
    this.lru.set(tconst, detail);
  }
}
