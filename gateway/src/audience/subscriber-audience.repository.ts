import type { Database } from '@cine/db';
import { type Kysely, sql } from 'kysely';

/**
 * The notifier's `subscriber` table, read only (migration 20261212090000_notifications; the
 * notifier owns and writes it). The confirmed subscribers who are not paused, by their liked
 * films: the tastes the owner's programming aid counts. Nothing else of a row is read — no
 * address leaves the table by this query.
 */
export class SubscriberAudienceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async likedLists(): Promise<string[][]> {
    // Raw SQL: the table is another service's, kept out of the gateway's typed schema on purpose.
    const { rows } = await sql<{ liked: string[] }>`
      SELECT liked FROM subscriber
      WHERE status = 'active' AND coalesce((preferences ->> 'paused')::boolean, false) = false AND cardinality(liked) > 0`.execute(this.db);
    return rows.map((r) => r.liked);
  }
}
