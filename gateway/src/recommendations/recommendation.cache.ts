/** Answers kept: a 10-film answer is ≈ 13 kB of JSON. */
const DEFAULT_CAPACITY = 2_000;
/** And never more than this many bytes of JSON in all (k = 50 answers are ≈ 5× larger). */
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
/** How long a cached answer may outlive the build of a new embedding version or an import. */
const DEFAULT_CHECK_INTERVAL_MS = 1_000;

/** What an answer depends on besides the request: read at most once per check interval. */
export interface RecommendationCacheSources {
  /** The newest embedding version marked ready (null: none built yet). */
  newestReady(): Promise<number | null>;
  /** Names the catalogue's state: titles resolve and details enrich against it. */
  catalogueStamp(): Promise<string>;
}

/** What a lookup returns besides the hit: hand it back to `set` with the answer computed on a miss. */
export interface CacheTicket {
  readonly key: string;
  readonly generation: number;
}

/**
 * Recommendations already answered, as the JSON sent to the customer, by normalised request
 * (the service's `requestKey`). An answer is a function of the request, the embedding version
 * and the catalogue, so both are read (at most once per interval, never per request) and any
 * change empties the cache: an answer outlives a new version by one interval and one query.
 *
 * An answer is kept only when the recommender computed it with the newest ready version: while
 * the recommender has not yet loaded a new version (it polls), or keeps serving an older one
 * because the newest failed its checks, its answers are passed on but not kept, so nothing
 * older than the newest version can outlive the next check. An answer computed while a check
 * emptied the cache is not kept either. Errors are never kept: they never reach `set`.
 * Bounded by entries and bytes, least recently used out first.
 */
export class RecommendationCache {
  private readonly entries = new Map<string, Buffer>();
  private bytes = 0;
  private stamp: string | null = null;
  private newestVersion: number | null = null;
  /** Bumped at every emptying: an answer begun before it is stale. */
  private generation = 0;
  private checkedAt = -Infinity;
  private checking: Promise<void> | null = null;

  constructor(
    private readonly sources: RecommendationCacheSources,
    private readonly opts: { capacity?: number; maxBytes?: number; checkIntervalMs?: number; now?: () => number } = {},
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The kept answer under `key`, if any, and the ticket to keep the one computed on a miss. */
  async lookup(key: string): Promise<{ hit: Buffer | undefined; ticket: CacheTicket }> {
    const check = this.revalidate();
    // Only the first check is waited for. Later ones run beside the requests, which meanwhile
    // answer from what the previous check found: a request never queues behind a query, and a
    // new version shows at most one query's duration later. A failed check is tried again by
    // the next request.
    if (check) {
      if (this.stamp === null) await check;
      else check.catch(() => {});
    }
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return { hit, ticket: { key, generation: this.generation } };
  }

  /** Keeps `json`, the answer computed by embedding version `version`, unless it is already stale. */
  set(ticket: CacheTicket, version: number, json: Buffer): void {
    if (ticket.generation !== this.generation || version !== this.newestVersion) return;
    const maxBytes = this.opts.maxBytes ?? DEFAULT_MAX_BYTES;
    if (json.length > maxBytes) return;
    this.remove(ticket.key);
    this.entries.set(ticket.key, json);
    this.bytes += json.length;
    const capacity = this.opts.capacity ?? DEFAULT_CAPACITY;
    while (this.entries.size > capacity || this.bytes > maxBytes) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.remove(oldest);
    }
  }

  /** Empties the cache if the newest version or the catalogue changed since the last check. */
  private revalidate(): Promise<void> | undefined {
    const now = this.opts.now ? this.opts.now() : performance.now();
    if (now - this.checkedAt < (this.opts.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS)) return undefined;
    // Concurrent requests share one check.
    this.checking ??= Promise.all([this.sources.newestReady(), this.sources.catalogueStamp()])
      .then(([version, catalogue]) => {
        const stamp = `${version ?? '-'}|${catalogue}`;
        if (stamp !== this.stamp) {
          this.entries.clear();
          this.bytes = 0;
          this.generation++;
          this.stamp = stamp;
          this.newestVersion = version;
        }
        this.checkedAt = now;
      })
      .finally(() => {
        this.checking = null;
      });
    return this.checking;
  }

  private remove(key: string): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.entries.delete(key);
    this.bytes -= old.length;
  }
}
