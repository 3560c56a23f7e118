import type { DepartureWay } from '@cine/common';
import type { Database, TallyKind, TallyOutcome } from '@cine/db';
import { type Kysely, type OnConflictBuilder, type OnConflictUpdateBuilder, sql, type Transaction } from 'kysely';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The owner's running totals (`notification_tally`): emails sent by kind, departures by way, per
 * day. Always written through the caller's transaction (or statement), so a count exists exactly
 * when its event does; never a subscriber id, never an address.
 */

/** The tally's day for an instant: its UTC date, as the migration's backfill reads it. */
export function tallyDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** An insert into the tally adds to the day's count when it has one. */
export function addToCount(oc: OnConflictBuilder<Database, 'notification_tally'>): OnConflictUpdateBuilder<Database, 'notification_tally'> {
  return oc.columns(['day', 'kind', 'outcome']).doUpdateSet({ n: sql`notification_tally.n + excluded.n` });
}

export async function tallyIn(db: Db, at: Date, kind: TallyKind, outcome: TallyOutcome, n = 1): Promise<void> {
  if (n <= 0) return;
  await db.insertInto('notification_tally').values({ day: tallyDay(at), kind, outcome, n }).onConflict(addToCount).execute();
}

export async function tallyDeparturesIn(db: Db, at: Date, way: DepartureWay, n = 1): Promise<void> {
  await tallyIn(db, at, 'departure', way, n);
}
