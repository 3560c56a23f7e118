import type { RecommendationsResponse } from '@cine/common';
import { StampedLru } from '../cache/stamped-lru';

/** Answers kept: a 10-film answer is ≈ 13 kB of JSON. */
const DEFAULT_CAPACITY = 2_000;
/**
 * And never more than this many bytes of JSON in all (k = 50 answers are ≈ 5× larger). The
 * answers are kept as objects (≈ 1.7× their JSON in the heap), and the route keeps the bytes it
 * sent for each beside it, so the heap holds ≈ 2.7× this at most.
 */
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

/** The state an answer depends on besides the request. */
interface AnswerStamp {
  version: number | null;
  catalogue: string;
}

/** What a lookup returns besides the hit: hand it back to `set` with the answer computed on a miss. */
export interface CacheTicket {
  readonly key: string;
  readonly generation: number;
}

/**
 * Recommendations already answered, by normalised request (the service's `requestKey`). An answer is a function of the request, the embedding version
 * and the catalogue, so both are read (at most once per interval, never per request) and any
 * change empties the cache: an answer outlives a new version by one interval and one query
 * (revalidation: cache/stamped-lru.ts).
 *
 * An answer is kept only when the recommender computed it with the newest ready version: while
 * the recommender has not yet loaded a new version (it polls), or keeps serving an older one
 * because the newest failed its checks, its answers are passed on but not kept, so nothing
 * older than the newest version can outlive the next check. An answer computed while a check
 * emptied the cache is not kept either. Errors are never kept: they never reach `set`.
 * Bounded by entries and bytes, least recently used out first.
 */
export class RecommendationCache {
  private readonly lru: StampedLru<RecommendationsResponse, AnswerStamp>;

  constructor(sources: RecommendationCacheSources, opts: { capacity?: number; maxBytes?: number; checkIntervalMs?: number; now?: () => number } = {}) {
    this.lru = new StampedLru({
      stamp: async () => {
        const [version, catalogue] = await Promise.all([sources.newestReady(), sources.catalogueStamp()]);
        return { version, catalogue };
      },
      same: (a, b) => a.version === b.version && a.catalogue === b.catalogue,
      capacity: opts.capacity ?? DEFAULT_CAPACITY,
      maxSize: opts.maxBytes ?? DEFAULT_MAX_BYTES,
      // Measured once, when kept: a miss has just cost a call to the recommender.
      sizeOf: (answer) => Buffer.byteLength(JSON.stringify(answer)),
      checkIntervalMs: opts.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS,
      ...(opts.now ? { now: opts.now } : {}),
    });
  }

  get size(): number {
    return this.lru.size;
  }

  /** The kept answer under `key`, if any, and the ticket to keep the one computed on a miss. */
  async lookup(key: string): Promise<{ hit: RecommendationsResponse | undefined; ticket: CacheTicket }> {
    await this.lru.revalidate();
    return { hit: this.lru.get(key), ticket: { key, generation: this.lru.generation } };
  }

  /** Keeps `answer` unless it is already stale; it must not be changed afterwards. */
  set(ticket: CacheTicket, answer: RecommendationsResponse): void {
    if (answer.version !== this.lru.stamp?.version) return;
    this.lru.set(ticket.key, answer, ticket.generation);
  }
}
