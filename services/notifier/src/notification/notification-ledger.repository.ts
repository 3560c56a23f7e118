import type { DbHandle, LedgerKind } from '@cine/db';
import { sql } from 'kysely';
import { addToCount, tallyDay } from './tally.repository';

export interface LedgerEntry {
  subscriberId: string;
  kind: LedgerKind;
  tconst?: string | null;
  /** `YYYY-MM-DD`, the week's Wednesday (digests). */
  week?: string | null;
  screeningIds?: string[];
}

/** How long a sender's claim on a pending row holds before another may take it over (a killed worker's). */
export const DEFAULT_CLAIM_LEASE_MS = 10 * 60_000;

/**
 * The send ledger (`notification`): one row per key, unique in Postgres, so a retried or
 * duplicated job never sends twice. A job sending an email does, in order:
 * `claim(key)` (false: sent already, or another sender holds it: skip), the send, then
 * `markSent` / `markFailed` (permanent refusal) / `markSuppressed` (consent or suppression said
 * no) — or `release` after a temporary failure, so its retry may claim the key again.
 */
export class NotificationLedgerRepository {
  constructor(private readonly handle: DbHandle) {}

  /**
   * Writes the row without claiming it (a subscription request reserves its confirmation email;
   * the job claims it). False when the key exists.
   */
  async reserve(key: string, entry: LedgerEntry, now: Date = new Date()): Promise<boolean> {
    const rows = await this.handle.db
      .insertInto('notification')
      .values(this.row(key, entry, now, null))
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .execute();
    return rows.length === 1;
  }

  /**
   * The right to send `key` now. True for a new key, a reserved or released one, or a pending one
   * whose sender's lease is older than `leaseMs` (a worker killed mid-send); false when it was
   * sent, failed for good, was suppressed, or another sender holds a live lease. One statement:
   * of concurrent claimers exactly one wins (the row lock orders them, the condition is read again).
   */
  async claim(key: string, entry: LedgerEntry, now: Date = new Date(), leaseMs = DEFAULT_CLAIM_LEASE_MS): Promise<boolean> {
    const staleBefore = new Date(now.getTime() - leaseMs);
    const rows = await this.handle.db
      .insertInto('notification')
      .values({ ...this.row(key, entry, now, now), attempts: 1 })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ attempts: sql`notification.attempts + 1`, claimed_at: now })
          .where('notification.status', '=', 'pending')
          .where((eb) => eb.or([eb('notification.claimed_at', 'is', null), eb('notification.claimed_at', '<', staleBefore)])),
      )
      .returning('key')
      .execute();
    return rows.length === 1;
  }

  /**
   * One statement: the row turns sent and its kind's count of the day goes up together, once (a
   * row already sent is left as it is). The count outlives the row, which an erasure deletes.
   */
  async markSent(key: string, at: Date = new Date()): Promise<void> {
    await this.handle.db
      .with('sent', (db) =>
        db.updateTable('notification').set({ status: 'sent', sent_at: at, claimed_at: null }).where('key', '=', key).where('status', '<>', 'sent').returning('kind'),
      )
      .insertInto('notification_tally')
      .columns(['day', 'kind', 'outcome', 'n'])
      .expression((eb) => eb.selectFrom('sent').select([sql<string>`${tallyDay(at)}::date`.as('day'), 'sent.kind', sql.lit('sent').as('outcome'), sql.lit(1).as('n')]))
      .onConflict(addToCount)
      .execute();
  }

  /** A permanent refusal (5xx): never tried again. */
  async markFailed(key: string): Promise<void> {
    await this.handle.db.updateTable('notification').set({ status: 'failed', claimed_at: null }).where('key', '=', key).where('status', '=', 'pending').execute();
  }

  /** Not sent because consent or the suppression list said no just before sending. */
  async markSuppressed(key: string): Promise<void> {
    await this.handle.db.updateTable('notification').set({ status: 'suppressed', claimed_at: null }).where('key', '=', key).where('status', '=', 'pending').execute();
  }

  /** A temporary failure: the lease goes, so the job's next attempt claims the key at once. */
  async release(key: string): Promise<void> {
    await this.handle.db.updateTable('notification').set({ claimed_at: null }).where('key', '=', key).where('status', '=', 'pending').execute();
  }

  /** The keys of a subscriber's rows of `kind` still to send (oldest first). */
  async pendingKeys(subscriberId: string, kind: LedgerKind): Promise<string[]> {
    const rows = await this.handle.db
      .selectFrom('notification')
      .select('key')
      .where('subscriber_id', '=', subscriberId)
      .where('kind', '=', kind)
      .where('status', '=', 'pending')
      .orderBy('created_at')
      .execute();
    return rows.map((r) => r.key);
  }

  /** Emails sent to a subscriber since `since`, confirmations aside (the weekly cap counts these). */
  async sentSince(subscriberId: string, since: Date): Promise<number> {
    const row = await this.handle.db
      .selectFrom('notification')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('subscriber_id', '=', subscriberId)
      .where('kind', '<>', 'confirmation')
      .where('status', '=', 'sent')
      .where('sent_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async status(key: string): Promise<{ status: string; attempts: number } | null> {
    const row = await this.handle.db.selectFrom('notification').select(['status', 'attempts']).where('key', '=', key).executeTakeFirst();
    return row ?? null;
  }

  private row(key: string, entry: LedgerEntry, now: Date, claimedAt: Date | null) {
    return {
      key,
      subscriber_id: entry.subscriberId,
      kind: entry.kind,
      tconst: entry.tconst ?? null,
      week: entry.week ?? null,
      screening_ids: entry.screeningIds ?? [],
      created_at: now,
      claimed_at: claimedAt,
    };
  }
}
