import { createHash } from 'node:crypto';
import type { Logger } from '@cine/common';
import type { TasteStoreRepository } from '@cine/db';
import { CoLikeModel, type StoreCounts, withLikedLists } from '../recommend/co-likes';
import type { SubscriberLikesRepository } from '../recommend/co-likes-subscribers.repository';
import type { LoadedVersion } from './loaded-version';

/**
 * The taste store's counts (plus, when given, the confirmed subscribers' liked lists turned into
 * counts: docs/recommender.md §8), in memory, on the rows of the version served: read at start and on
 * every poll (a read of two small tables of counts, cheap enough between builds) and built for
 * the served version then; a request meeting a newer version builds it once. Requests read
 * `model(version)`; until a read succeeds the model is empty, which ranks exactly as the content
 * model does.
 */
export class CoLikeHolder {
  private built: { versionId: number; model: CoLikeModel } | null = null;
  private counts: StoreCounts | null = null;
  /** What the counts read last hash to: a poll that reads the same counts keeps the model built. */
  private fingerprint: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly store: TasteStoreRepository,
    private readonly log: Logger,
    /** The version served now: the model is built for it when the counts are read, off the requests' path. */
    private readonly served: () => LoadedVersion | null = () => null,
    /** The second source; read with the store at every load, so an erased subscriber is gone at the next one. */
    private readonly subscribers: Pick<SubscriberLikesRepository, 'likedLists'> | null = null,
  ) {}

  async start(pollIntervalMs: number): Promise<void> {
    await this.refresh();
    if (pollIntervalMs > 0) {
      this.timer = setInterval(() => void this.refresh(), pollIntervalMs);
      this.timer.unref();
    }
  }

  /** Reads the counts again; the next request builds its model from them. Never fails. */
  refresh(): Promise<void> {
    if (!this.reading) {
      this.reading = Promise.all([this.store.read(), this.readSubscribers()])
        .then(([counts, lists]) => {
          const merged = withLikedLists(counts, lists);
          const fingerprint = fingerprintOf(merged);
          // Nothing learnt since the last poll (most polls): the model built stays.
          if (fingerprint === this.fingerprint) return;
          this.counts = merged;
          this.fingerprint = fingerprint;
          this.built = null;
          // Built here rather than by the next request (0.4 s for 200 000 pairs at 100 000 films).
          const version = this.served();
          if (version) this.model(version);
        })
        .catch((err: Error) => this.log.warn({ reason: err.message }, 'taste store unreadable; ranking on content alone'))
        .finally(() => {
          this.reading = null;
        });
    }
    return this.reading;
  }

  /**
   * The subscribers' lists, or none when they cannot be read: the store alone then (what it holds
   * does not depend on the notifier). Only the reason is logged, never a list.
   */
  private async readSubscribers(): Promise<string[][]> {
    if (!this.subscribers) return [];
    try {
      return await this.subscribers.likedLists();
    } catch (err) {
      this.log.warn({ reason: (err as Error).message }, 'subscribers unreadable; the collaborative block learns from the visits alone');
      return [];
    }
  }

  model(version: LoadedVersion): CoLikeModel {
    if (!this.counts) return CoLikeModel.empty(version.items.length);
    if (this.built?.versionId !== version.id) this.built = { versionId: version.id, model: CoLikeModel.from(this.counts, version.rowOf, version.items.length) };
    return this.built.model;
  }

  /** Stops polling; resolves once a read in flight has ended (its queries done before the database closes). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.reading;
  }
}

/** A digest of the counts, in their order (the store and the subscribers are read sorted). */
function fingerprintOf(counts: StoreCounts): string {
  const hash = createHash('sha1');
  for (const f of counts.films) hash.update(`${f.tconst} ${f.likes} ${f.visits}\n`);
  hash.update('|');
  for (const p of counts.pairs) hash.update(`${p.filmA} ${p.filmB} ${p.coLikes}\n`);
  return hash.digest('hex');
}
