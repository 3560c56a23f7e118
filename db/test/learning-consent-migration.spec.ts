import { Migrator, sql } from 'kysely';
import { migrations } from '../src/migrations';
import { createTestDatabase, type TestDatabase } from '../src/testing/test-database';
import { deadline } from '@cine/common/testing';

const NOTIFICATIONS = '20261212090000_notifications';
const SHA = 'a'.repeat(64);

/**
 * consent_record.purpose (migration 20261213090000_learning_consent): the rows already there were
 * the emails' consent (the only box there was); down() takes the learning rows away before the
 * column, so none reads as an emails consent afterwards.
 */
describe('learning consent migration', () => {
  let t: TestDatabase;
  let migrator: Migrator;
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
    migrator = new Migrator({ db: t.handle.db, provider: { getMigrations: async () => migrations } });
  }, deadline(60_000));
  afterAll(async () => {
    await t?.drop();
  });

  const migrate = async (step: Promise<{ error?: unknown }>) => {
    const { error } = await step;
    if (error) throw error;
  };
  const rows = async () =>
    (await sql<{ action: string; purpose?: string }>`SELECT * FROM consent_record ORDER BY id`.execute(t.handle.db)).rows.map((r) => ({ action: r.action, purpose: r.purpose }));

  it('turns the existing rows into the emails’ consent, refuses an unknown purpose, and goes down and up again', async () => {
    await migrate(migrator.migrateTo(NOTIFICATIONS));
    const { rows: inserted } = await sql<{ id: string }>`
      INSERT INTO subscriber (email, email_hash) VALUES ('une@example.org', ${Buffer.alloc(32, 1)}) RETURNING id`.execute(t.handle.db);
    const id = inserted[0]!.id;
    await sql`INSERT INTO consent_record (subscriber_id, action, wording_version, wording_sha256, source) VALUES (${id}, 'given', '2026-12-v1', ${SHA}, 'page')`.execute(t.handle.db);

    await migrate(migrator.migrateToLatest());
    expect(await rows()).toEqual([{ action: 'given', purpose: 'emails' }]);
    await expect(
      sql`INSERT INTO consent_record (subscriber_id, action, purpose, wording_version, wording_sha256, source) VALUES (${id}, 'given', 'ads', 'v', ${SHA}, 'page')`.execute(t.handle.db),
    ).rejects.toThrow(/check/i);
    await sql`INSERT INTO consent_record (subscriber_id, action, purpose, wording_version, wording_sha256, source) VALUES (${id}, 'given', 'learning', '2026-12-learn-v1', ${SHA}, 'page')`.execute(
      t.handle.db,
    );

    await migrate(migrator.migrateTo(NOTIFICATIONS));
    expect(await rows()).toEqual([{ action: 'given', purpose: undefined }]);
    await migrate(migrator.migrateToLatest());
    expect(await rows()).toEqual([{ action: 'given', purpose: 'emails' }]);
  });
});
