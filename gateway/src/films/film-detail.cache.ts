import type { FilmDetail } from '@cine/common';

/** A few kB per film: the films a cinema's customers see, with room to spare. */
const DEFAULT_CAPACITY = 10_000;
/** How stale a detail may be after an import lands. */
const DEFAULT_CHECK_INTERVAL_MS = 1_000;

/**
 * Film details in memory, by tconst: every recommendation shows k of them, and they only change
 * when an import lands (an IMDb swap or a TMDB refresh). `stamp()` names the catalogue's state;
 * it is read at most once per interval, never per request, and a change empties the cache.
 * Only films found are kept: a film missing now may arrive with the next import. Bounded: least
 * recently used first out.
 */
export class FilmDetailCache {
  private stampValue: string | null = null;
  private checkedAt = -Infinity;
  private checking: Promise<void> | null = null;
  private readonly entries = new Map<string, FilmDetail>();

  constructor(
    private readonly stamp: () => Promise<string>,
    private readonly opts: { capacity?: number; checkIntervalMs?: number; now?: () => number } = {},
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * Drops everything if the catalogue changed since the last check (at most one check per
   * interval). Only the first check is waited for: later ones run beside the requests, which
   * meanwhile use what the previous check found, so no request queues behind the query (under
   * load it held every request in flight once a second) and an import shows one query later.
   * A failed check is tried again by the next request.
   */
  async revalidate(): Promise<void> {
    const now = this.opts.now ? this.opts.now() : performance.now();
    if (now - this.checkedAt < (this.opts.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS)) return;
    // Concurrent requests share one check.
    this.checking ??= this.stamp()
      .then((stamp) => {
        if (stamp !== this.stampValue) this.entries.clear();
        this.stampValue = stamp;
        this.checkedAt = now;
      })
      .finally(() => {
        this.checking = null;
      });
    if (this.stampValue === null) await this.checking;
    else this.checking.catch(() => {});
  }

  get(tconst: string): FilmDetail | undefined {
    const hit = this.entries.get(tconst);
    if (hit) {
      this.entries.delete(tconst);
      this.entries.set(tconst, hit);
    }
    return hit;
  }

  set(tconst: string, detail: FilmDetail): void {
    this.entries.delete(tconst);
    this.entries.set(tconst, detail);
    const capacity = this.opts.capacity ?? DEFAULT_CAPACITY;
    while (this.entries.size > capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
