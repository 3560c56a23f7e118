/**
 * Which keys to keep under a byte bound, least recently used out first. Only the bookkeeping:
 * the caller holds the values (here, files on disk) and removes what `add` says to evict.
 * A Map iterates in insertion order, so re-inserting on access keeps the oldest first.
 */
export class ByteLru<K> {
  private readonly sizes = new Map<K, number>();
  private total = 0;

  constructor(readonly maxBytes: number) {}

  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.sizes.size;
  }

  has(key: K): boolean {
    return this.sizes.has(key);
  }

  /** Marks a key as just used; false when it is not kept. */
  touch(key: K): boolean {
    const size = this.sizes.get(key);
    if (size === undefined) return false;
    this.sizes.delete(key);
    this.sizes.set(key, size);
    return true;
  }

  /**
   * Keeps a key of `bytes` as the most recent, and returns the keys to drop to stay under the
   * bound, oldest first. A key larger than the bound alone is dropped at once (it is returned).
   */
  add(key: K, bytes: number): K[] {
    this.remove(key);
    this.sizes.set(key, bytes);
    this.total += bytes;
    const evicted: K[] = [];
    for (const [oldest, size] of this.sizes) {
      if (this.total <= this.maxBytes) break;
      this.sizes.delete(oldest);
      this.total -= size;
      evicted.push(oldest);
    }
    return evicted;
  }

  remove(key: K): void {
    const size = this.sizes.get(key);
    if (size === undefined) return;
    this.sizes.delete(key);
    this.total -= size;
  }
}
