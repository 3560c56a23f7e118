import type { SubscriptionPreferences } from '@cine/common';
import type { DbHandle } from '@cine/db';
import { sql } from 'kysely';
import type { SubscriberTaste } from '../matching/matching.contract';

/** Which emails a subscriber asked for. */
export type Wants = 'alerts' | 'digest';

/**
 * What the programme's jobs read of the notifier's own tables: the subscribers who want an email
 * of a kind (confirmed, not paused), page by page in id order so that 100 000 of them are never
 * all in memory, and the ledger's answers a run needs in bulk (this week's emails per subscriber,
 * the films already alerted, to whom a séance was announced).
 */
export class RecipientsRepository {
  constructor(private readonly handle: DbHandle) {}

  /** Up to `limit` subscribers after `afterId` (id order) who want `wants`, with their tastes. */
  async page(wants: Wants, afterId: string | null, limit: number): Promise<SubscriberTaste[]> {
    let query = this.wanting(wants).select(['id', 'liked', 'disliked', 'preferences']);
    if (afterId !== null) query = query.where('id', '>', afterId);
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map((r) => ({ subscriberId: r.id, liked: r.liked, disliked: r.disliked, preferences: preferencesOf(r.preferences) }));
  }

  async count(wants: Wants): Promise<number> {
    const row = await this.wanting(wants)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** One subscriber's taste, by id or by address (the owner's preview); null when unknown. */
  async taste(by: { id: string } | { emailHash: Buffer }): Promise<(SubscriberTaste & { status: string }) | null> {
    let query = this.handle.db.selectFrom('subscriber').select(['id', 'status', 'liked', 'disliked', 'preferences']);
    query = 'id' in by ? query.where('id', '=', by.id) : query.where('email_hash', '=', by.emailHash);
    const r = await query.executeTakeFirst();
    return r ? { subscriberId: r.id, status: r.status, liked: r.liked, disliked: r.disliked, preferences: preferencesOf(r.preferences) } : null;
  }

  /** Emails (confirmations aside) sent to each of `ids` since `since`: the weekly cap's count. */
  async sentSince(ids: readonly string[], since: Date): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (ids.length === 0) return out;
    const rows = await this.handle.db
      .selectFrom('notification')
      .select(['subscriber_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('subscriber_id', 'in', [...ids])
      .where('kind', '<>', 'confirmation')
      .where('status', '=', 'sent')
      .where('sent_at', '>=', since)
      .groupBy('subscriber_id')
      .execute();
    for (const r of rows) out.set(r.subscriber_id, Number(r.n));
    return out;
  }

  /**
   * The films among `tconsts` each of `ids` was alerted to, or will never be (sent, refused for
   * good, suppressed). A pending key (a send that failed for now) is not among them: it is retried.
   */
  async alerted(ids: readonly string[], tconsts: readonly string[]): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    if (ids.length === 0 || tconsts.length === 0) return out;
    const rows = await this.handle.db
      .selectFrom('notification')
      .select(['subscriber_id', 'tconst'])
      .where('subscriber_id', 'in', [...ids])
      .where('kind', '=', 'alert')
      .where('tconst', 'in', [...tconsts])
      .where('status', '<>', 'pending')
      .execute();
    for (const r of rows) {
      if (r.tconst === null) continue;
      const set = out.get(r.subscriber_id) ?? new Set<string>();
      set.add(r.tconst);
      out.set(r.subscriber_id, set);
    }
    return out;
  }

  /** Which of `ids` got (or settled) their digest of `week`. */
  async digestDone(ids: readonly string[], week: string): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.handle.db
      .selectFrom('notification')
      .select('subscriber_id')
      .where('subscriber_id', 'in', [...ids])
      .where('kind', '=', 'digest')
      .where('week', '=', week)
      .where('status', '<>', 'pending')
      .execute();
    return new Set(rows.map((r) => r.subscriber_id));
  }

  /** The subscribers an alert or a digest naming this séance was sent to. */
  async announcedTo(screeningId: string): Promise<string[]> {
    const rows = await this.handle.db
      .selectFrom('notification')
      .select('subscriber_id')
      .distinct()
      .where('kind', 'in', ['alert', 'digest'])
      .where('status', '=', 'sent')
      .where(sql<boolean>`screening_ids @> ARRAY[${screeningId}]::text[]`)
      .orderBy('subscriber_id')
      .execute();
    return rows.map((r) => r.subscriber_id);
  }

  private wanting(wants: Wants) {
    return this.handle.db
      .selectFrom('subscriber')
      .where('status', '=', 'active')
      .where(sql<boolean>`coalesce((preferences ->> ${wants})::boolean, false)`)
      .where(sql<boolean>`not coalesce((preferences ->> 'paused')::boolean, false)`);
  }
}

/** jsonb comes back parsed from postgres.js, as text from some drivers. */
function preferencesOf(raw: unknown): SubscriptionPreferences {
  return (typeof raw === 'string' ? JSON.parse(raw) : raw) as SubscriptionPreferences;
}
