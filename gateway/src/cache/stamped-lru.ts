/** What the kept values depend on, named by a stamp read at most once per interval. */
export interface StampedLruOptions<V, S> {
  /** Names the state the values were computed from; any change empties the cache. */
  stamp(): Promise<S>;
  /** Whether two stamps name the same state (default: `===`). */
  same?(a: S, b: S): boolean;
  /** Entries kept at most, least recently used out first. */
  capacity: number;
  /** With `sizeOf`: the sum of the sizes kept at most; a value larger than this is never kept. */
  maxSize?: number;
  sizeOf?(value: V): number;
  checkIntervalMs: number;
  now?: () => number;
}

/**
 * A bounded LRU of values derived from a state that changes rarely (the catalogue, the embedding
 * version): the state's stamp is read at most once per interval, never per request, and a
 * change empties the cache. The film details and the recommendation answers share it.
 *
 * Only the first check is waited for: later ones run beside the requests, which meanwhile use
 * what the previous check found, so no request queues behind the stamp query (under load it once
 * held every request in flight once a second) and a change shows one query later. Concurrent
 * requests share a check in flight. A failed check is tried again by the next request; until a
 * first check has succeeded, the failure is the caller's.
 *
 * A value computed while a check emptied the cache is stale: take `generation` before computing
 * it and hand it back to `set`, which then refuses it.
 */
export class StampedLru<V, S = string> {
  private readonly entries = new Map<string, V>();
  private total = 0;
  private current: { stamp: S } | null = null;
  private generationValue = 0;
  private checkedAt = -Infinity;
  private checking: Promise<void> | null = null;

  constructor(private readonly opts: StampedLruOptions<V, S>) {}

  get size(): number {
    return this.entries.size;
  }

  /** The stamp of the last successful check (null before the first). */
  get stamp(): S | null {
    return this.current ? this.current.stamp : null;
  }

  /** Bumped at every emptying: a value begun under an older generation is not kept. */
  get generation(): number {
    return this.generationValue;
  }

  /** Empties the cache if the stamp changed since the last check (at most one check per interval). */
  async revalidate(): Promise<void> {
    const now = this.opts.now ? this.opts.now() : performance.now();
    if (now - this.checkedAt < this.opts.checkIntervalMs) return;
    this.checking ??= this.opts
      .stamp()
      .then((stamp) => {
        const same = this.opts.same ?? ((a: S, b: S) => a === b);
        if (!this.current || !same(this.current.stamp, stamp)) {
          this.entries.clear();
          this.total = 0;
          this.generationValue++;
          this.current = { stamp };
        }
        this.checkedAt = now;
      })
      .finally(() => {
        this.checking = null;
      });
    if (this.current === null) await this.checking;
    else this.checking.catch(() => {});
  }

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
    }
    return hit;
  }

  /** Keeps `value` unless it was begun under an older generation or is larger than `maxSize`. */
  set(key: string, value: V, generation = this.generationValue): void {
    if (generation !== this.generationValue) return;
    const size = this.opts.sizeOf ? this.opts.sizeOf(value) : 0;
    const maxSize = this.opts.maxSize ?? Infinity;
    if (size > maxSize) return;
    this.delete(key);
    this.entries.set(key, value);
    this.total += size;
    while (this.entries.size > this.opts.capacity || this.total > maxSize) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  private delete(key: string): void {
    if (!this.entries.has(key)) return;
    const old = this.entries.get(key) as V;
    this.entries.delete(key);
    if (this.opts.sizeOf) this.total -= this.opts.sizeOf(old);
  }
}
