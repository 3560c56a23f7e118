import { Migrator, sql } from 'kysely';
import postgres from 'postgres';
import { migrations } from '../src/migrations';
import { createTestDatabase, type TestDatabase } from '../src/testing/test-database';
import { deadline } from '@cine/common/testing';

const BEFORE = '20261213090000_learning_consent';
const READER_ROLE = 'cine_kpi_reader';
const STATS_BEFORE = ['subscribers', 'confirmed', 'paused', 'pending', 'alerts_sent', 'digests_sent', 'cancellations_sent', 'bounced', 'unsubscribed'];

/**
 * notification_tally (migration 20261214090000_notification_tally): backfilled once from what the
 * ledger and the suppression list hold; notification_stats keeps its columns in their order and
 * gains the new ones; down() brings the previous view back, grant included.
 */
describe('notification tally migration', () => {
  let t: TestDatabase;
  let migrator: Migrator;
  let reader: postgres.Sql;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
    migrator = new Migrator({ db: t.handle.db, provider: { getMigrations: async () => migrations } });
    // One connection, so the role set here holds for every query of the test.
    reader = postgres(t.url!, { max: 1, onnotice: () => {} });
  }, deadline(60_000));
  afterAll(async () => {
    await reader?.end();
    await t?.drop();
  });

  const migrate = async (step: Promise<{ error?: unknown }>) => {
    const { error } = await step;
    if (error) throw error;
  };
  const tally = async () =>
    (await sql<{ day: string; kind: string; outcome: string; n: number }>`SELECT day, kind, outcome, n FROM notification_tally ORDER BY day, kind, outcome`.execute(t.handle.db)).rows;
  const statsAsReader = async () => {
    await reader.unsafe(`SET ROLE ${READER_ROLE}`);
    try {
      const rows = await reader`SELECT * FROM notification_stats`;
      return { columns: rows.columns.map((c) => c.name), row: rows[0]! };
    } finally {
      await reader.unsafe('RESET ROLE');
    }
  };

  it('backfills the sent ledger rows by UTC day and kind and the suppressions by reason, and keeps the view’s columns and grant', async () => {
    await migrate(migrator.migrateTo(BEFORE));
    const subscriber = async (n: number) =>
      (await sql<{ id: string }>`INSERT INTO subscriber (email, email_hash) VALUES (${`s${n}@example.org`}, ${Buffer.alloc(32, n)}) RETURNING id`.execute(t.handle.db)).rows[0]!.id;
    const [a, b] = [await subscriber(1), await subscriber(2)];
    const ledger = (key: string, id: string, kind: string, status: string, sentAt: string | null) =>
      sql`INSERT INTO notification (key, subscriber_id, kind, status, sent_at) VALUES (${key}, ${id}, ${kind}, ${status}, ${sentAt})`.execute(t.handle.db);
    await ledger('c1', a, 'confirmation', 'sent', '2026-12-08T09:00:00Z');
    await ledger('a1', a, 'alert', 'sent', '2026-12-09T23:30:00Z');
    // 00:30 in Paris, still the 9th in UTC: the tally's days are UTC dates.
    await ledger('a2', b, 'alert', 'sent', '2026-12-09T23:30:00+00:00');
    await ledger('a3', b, 'alert', 'pending', null);
    await ledger('d1', b, 'digest', 'failed', null);
    const suppressed = (n: number, reason: string, at: string) => sql`INSERT INTO suppression (email_hash, reason, at) VALUES (${Buffer.alloc(32, n)}, ${reason}, ${at})`.execute(t.handle.db);
    await suppressed(10, 'unsubscribed', '2026-12-10T10:00:00Z');
    await suppressed(11, 'unsubscribed', '2026-12-10T11:00:00Z');
    await suppressed(12, 'erased', '2026-12-11T10:00:00Z');
    await suppressed(13, 'bounced', '2026-12-11T10:00:00Z');
    const before = await statsAsReader();
    expect(before.columns).toEqual(STATS_BEFORE);

    await migrate(migrator.migrateToLatest());
    expect(await tally()).toEqual([
      { day: '2026-12-08', kind: 'confirmation', outcome: 'sent', n: 1 },
      { day: '2026-12-09', kind: 'alert', outcome: 'sent', n: 2 },
      { day: '2026-12-10', kind: 'departure', outcome: 'unsubscribe', n: 2 },
      { day: '2026-12-11', kind: 'departure', outcome: 'bounced', n: 1 },
      { day: '2026-12-11', kind: 'departure', outcome: 'erase', n: 1 },
    ]);
    const after = await statsAsReader();
    // The same columns first, in the same order (what a reader of the old view selects still works); then the new ones.
    expect(after.columns).toEqual([
      ...STATS_BEFORE,
      'confirmations_sent',
      'departures',
      'departures_unsubscribe',
      'departures_erase',
      'departures_expired',
      'departures_inactive',
      'departures_bounced',
    ]);
    expect(after.row).toEqual({
      ...before.row,
      confirmations_sent: 1,
      departures: 4,
      departures_unsubscribe: 2,
      departures_erase: 1,
      departures_expired: 0,
      departures_inactive: 0,
      departures_bounced: 1,
    });

    // The ledger's rows go with an erased subscriber; the tally's counts stay.
    await sql`DELETE FROM subscriber WHERE id = ${b}`.execute(t.handle.db);
    expect((await statsAsReader()).row).toMatchObject({ alerts_sent: 2, subscribers: 1 });

    await expect(sql`INSERT INTO notification_tally (day, kind, outcome, n) VALUES ('2026-12-12', 'alert', 'erase', 1)`.execute(t.handle.db)).rejects.toThrow(/check/i);
    await expect(sql`INSERT INTO notification_tally (day, kind, outcome, n) VALUES ('2026-12-12', 'departure', 'sent', 1)`.execute(t.handle.db)).rejects.toThrow(/check/i);
    await expect(sql`INSERT INTO notification_tally (day, kind, outcome, n) VALUES ('2026-12-12', 'departure', 'erase', 0)`.execute(t.handle.db)).rejects.toThrow(/check/i);
  });

  it('holds days and counts only, which the read-only role may read', async () => {
    const { rows } = await sql<{ column_name: string; data_type: string }>`
      SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'notification_tally' ORDER BY ordinal_position`.execute(t.handle.db);
    expect(rows).toEqual([
      { column_name: 'day', data_type: 'date' },
      { column_name: 'kind', data_type: 'text' },
      { column_name: 'outcome', data_type: 'text' },
      { column_name: 'n', data_type: 'integer' },
    ]);
    const { rows: grants } = await sql<{ readable: boolean }>`SELECT has_table_privilege(${READER_ROLE}, 'public.notification_tally', 'SELECT') AS readable`.execute(t.handle.db);
    expect(grants).toEqual([{ readable: true }]);
  });

  it('goes down to the previous view, still granted, and up again', async () => {
    await migrate(migrator.migrateTo(BEFORE));
    const { rows } = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'notification_tally'`.execute(t.handle.db);
    expect(rows).toEqual([]);
    const down = await statsAsReader();
    expect(down.columns).toEqual(STATS_BEFORE);
    // The old view counts what the tables hold now: subscriber b's sent alert went with them.
    expect(down.row).toMatchObject({ alerts_sent: 1, unsubscribed: 2 });
    await migrate(migrator.migrateToLatest());
    expect((await statsAsReader()).row).toMatchObject({ alerts_sent: 1, confirmations_sent: 1, departures: 4 });
  });
});
