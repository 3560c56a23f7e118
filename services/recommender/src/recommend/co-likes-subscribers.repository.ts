import type { DbHandle } from '@cine/db';
import { sql } from 'kysely';

/**
 * The collaborative block's second source (issue 17, point 1): the liked films of the notifier's
 * confirmed, unpaused subscribers, read only from `subscriber` (migration
 * 20261212090000_notifications; the notifier owns and writes it). Only `liked` leaves the table —
 * no address, no id — and the lists are never logged: the holder turns them into counts at once
 * and keeps only those. Read at every (re)load of the block, so an erased or paused subscriber is
 * gone from the counts at the next load.
 */
export class SubscriberLikesRepository {
  constructor(private readonly handle: DbHandle) {}

  /** One list per subscriber with two or more liked films (as a visit needs two to teach a pair). */
  async likedLists(): Promise<string[][]> {
    // Raw SQL: the table is the notifier's, kept out of the recommender's typed reads on purpose.
    const { rows } = await sql<{ liked: string[] }>`
      SELECT liked FROM subscriber
      WHERE status = 'active' AND coalesce((preferences ->> 'paused')::boolean, false) = false AND cardinality(liked) >= 2`.execute(this.handle.db);
    return rows.map((r) => r.liked);
  }
}
