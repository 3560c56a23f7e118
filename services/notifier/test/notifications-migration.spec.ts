import { createTestDatabase, readOnlySession, type TestDatabase } from '@cine/db/testing';
import postgres from 'postgres';
import { emailHash } from '../src/subscription/secrets';

/** The notifier's tables refuse what they must, and Grafana's read-only role sees counts and nothing else. */
describe('notifications migration', () => {
  let t: TestDatabase;
  let reader: postgres.Sql;
  beforeAll(async () => {
    t = await createTestDatabase();
    reader = await readOnlySession(t.url!);
  });
  afterAll(async () => {
    await reader?.end();
    await t?.drop();
  });

  it('keeps one subscriber per address hash, one ledger row per key, and refuses malformed rows', async () => {
    const db = t.handle.db;
    const hash = emailHash('Une@Example.org');
    const { id } = await db.insertInto('subscriber').values({ email: 'Une@Example.org', email_hash: hash }).returning('id').executeTakeFirstOrThrow();
    await expect(db.insertInto('subscriber').values({ email: 'une@example.org', email_hash: emailHash(' une@example.org ') }).execute()).rejects.toThrow(/email_hash/);
    await expect(db.insertInto('subscriber').values({ email: 'x@example.org', email_hash: Buffer.alloc(8) }).execute()).rejects.toThrow(/check/i);
    // Active means confirmed.
    await expect(db.updateTable('subscriber').set({ status: 'active' }).where('id', '=', id).execute()).rejects.toThrow(/check/i);
    await db.insertInto('notification').values({ key: `alert:${id}:tt0068646`, subscriber_id: id, kind: 'alert', tconst: 'tt0068646' }).execute();
    await expect(db.insertInto('notification').values({ key: `alert:${id}:tt0068646`, subscriber_id: id, kind: 'alert', tconst: 'tt0068646' }).execute()).rejects.toThrow(/notification_pkey/);
    await expect(db.insertInto('notification').values({ key: 'k', subscriber_id: id, kind: 'sms' as never }).execute()).rejects.toThrow(/check/i);
    await expect(db.insertInto('subscriber_token').values({ token_hash: Buffer.alloc(32), subscriber_id: id, scope: 'admin' as never, expires_at: new Date(Date.now() + 1000) }).execute()).rejects.toThrow(/check/i);
    // Erasing the subscriber takes its rows with it.
    await db.deleteFrom('subscriber').where('id', '=', id).execute();
    expect(await db.selectFrom('notification').select('key').execute()).toEqual([]);
  });

  it('grants the dashboards role the counts view and no table holding an address or a hash', async () => {
    expect((await reader`SELECT current_user AS u`)[0]!.u).toBe('cine_kpi_reader');
    const [stats] = await reader`SELECT * FROM notification_stats`;
    expect(Object.keys(stats!).sort()).toEqual([
      'alerts_sent',
      'bounced',
      'cancellations_sent',
      'confirmations_sent',
      'confirmed',
      'departures',
      'departures_bounced',
      'departures_erase',
      'departures_expired',
      'departures_inactive',
      'departures_unsubscribe',
      'digests_sent',
      'paused',
      'pending',
      'subscribers',
      'unsubscribed',
    ]);
    for (const table of ['subscriber', 'consent_record', 'subscriber_token', 'notification', 'suppression']) {
      await expect(reader.unsafe(`SELECT count(*) FROM ${table}`)).rejects.toThrow(/permission denied/);
    }
  });
});
