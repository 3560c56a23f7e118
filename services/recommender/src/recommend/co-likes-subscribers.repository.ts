import { LEARNING_CONSENT_WORDING_VERSION } from '@cine/common';
import type { DbHandle } from '@cine/db';
import { sql } from 'kysely';

/**
 * The learning consent wordings (common's LEARNING_CONSENT_WORDING, by version) under which a
 * subscriber's liked films teach the suggestions made to others. It is a consent of its own
 * (consent_record.purpose = 'learning', an optional second box, unticked): the emails' consent
 * ('2026-12-v1') says the films serve only the emails, so it never counts here. A new learning
 * wording is read only once it is named here (or passed to the repository).
 */
export const LEARNING_CONSENT_VERSIONS: readonly string[] = [LEARNING_CONSENT_WORDING_VERSION];

/**
 * The collaborative block's second source (issue 17, point 1): the liked films of the notifier's
 * confirmed, unpaused subscribers whose latest consent covers learning, read only from
 * `subscriber` and `consent_record` (migrations 20261212090000_notifications and
 * 20261213090000_learning_consent; the notifier owns and writes them). A subscriber counts while
 * their latest 'learning' row is 'given' under a version named above: one withdrawn from the manage
 * page is gone at the next load; the emails' own consent rows are not looked at. Only `liked` leaves the tables — no address, no id — and the lists are never
 * logged: the holder turns them into counts at once and keeps only those. Read at every (re)load
 * of the block, so an erased or paused subscriber is gone from the counts at the next load.
 */
export class SubscriberLikesRepository {
  constructor(
    private readonly handle: DbHandle,
    private readonly consentVersions: readonly string[] = LEARNING_CONSENT_VERSIONS,
  ) {}

  /** One list per subscriber with two or more liked films (as a visit needs two to teach a pair). */
  async likedLists(): Promise<string[][]> {
    if (this.consentVersions.length === 0) return [];
    // Raw SQL: the tables are the notifier's, kept out of the recommender's typed reads on purpose.
    const { rows } = await sql<{ liked: string[] }>`
      SELECT s.liked FROM subscriber s
      WHERE s.status = 'active' AND coalesce((s.preferences ->> 'paused')::boolean, false) = false AND cardinality(s.liked) >= 2
        AND EXISTS (
          SELECT 1 FROM (
            SELECT c.action, c.wording_version FROM consent_record c
            WHERE c.subscriber_id = s.id AND c.purpose = 'learning' ORDER BY c.at DESC, c.id DESC LIMIT 1
          ) latest
          WHERE latest.action = 'given' AND latest.wording_version = ANY(${[...this.consentVersions]}::text[]))
      ORDER BY s.id`.execute(this.handle.db);
    return rows.map((r) => r.liked);
  }
}
