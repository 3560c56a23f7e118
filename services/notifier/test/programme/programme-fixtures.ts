import type { SubscriptionPreferences } from '@cine/common';
import { jsonb, type DbHandle, type ScreeningVersion } from '@cine/db';
import { emailHash } from '../../src/subscription/secrets';

/** Films of the samples the programme tests put on screen (all in the embeddings' index). */
export const SAMPLE = {
  starWars: 'tt0076759',
  jedi: 'tt0086190',
  lionKing: 'tt0110357',
  amelie: 'tt0211915',
  godfather: 'tt0068646',
  pulpFiction: 'tt0110912',
} as const;

/**
 * The programme as the gateway writes it (its tables, which the notifier only reads), and
 * confirmed subscribers as the double opt-in leaves them: test data put straight in the tables.
 */
export class ProgrammeFixtures {
  constructor(private readonly handle: DbHandle) {}

  async room(name: string): Promise<number> {
    const row = await this.handle.db.insertInto('room').values({ name, seats: 100 }).returning('id').executeTakeFirstOrThrow();
    return row.id;
  }

  async week(weekStart: string, published = true): Promise<void> {
    await this.handle.db
      .insertInto('programme_week')
      .values({ week_start: weekStart, published_at: published ? new Date('2026-12-01T09:00:00Z') : null })
      .onConflict((oc) => oc.column('week_start').doUpdateSet({ published_at: published ? new Date('2026-12-01T09:00:00Z') : null }))
      .execute();
  }

  async screening(s: { tconst: string; startsAt: string; weekStart: string; roomId: number; version?: ScreeningVersion; sme?: boolean; ad?: boolean }): Promise<string> {
    const row = await this.handle.db
      .insertInto('screening')
      .values({ tconst: s.tconst, starts_at: s.startsAt, week_start: s.weekStart, room_id: s.roomId, version: s.version ?? 'VF', sme: s.sme ?? false, ad: s.ad ?? false })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  }

  async cancel(id: string): Promise<void> {
    await this.handle.db.updateTable('screening').set({ status: 'cancelled', cancelled_at: new Date() }).where('id', '=', id as never).execute();
  }

  /** A confirmed subscriber (as after the double opt-in). */
  async subscriber(email: string, liked: string[], preferences: SubscriptionPreferences, disliked: string[] = []): Promise<string> {
    const now = new Date('2026-12-01T09:00:00Z');
    const row = await this.handle.db
      .insertInto('subscriber')
      .values({ email, email_hash: emailHash(email), status: 'active', liked, disliked, preferences: jsonb(preferences), created_at: now, confirmed_at: now, last_activity_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }
}
