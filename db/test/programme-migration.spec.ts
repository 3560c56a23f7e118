import { Migrator, sql } from 'kysely';
import { migrations } from '../src/migrations';
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '../src/testing/test-database';

const PROGRAMME = '20261208090000_programme';

/** The constraints the programme's tables hold whatever writes them, on both backends. */
describe.each([
  ['postgres', () => createTestDatabase()],
  ['pglite', () => createEmbeddedTestDatabase()],
])('programme migration on %s', (_backend, create) => {
  let t: TestDatabase;
  let room: number;
  beforeAll(async () => {
    t = await create();
    room = (await t.handle.db.insertInto('room').values({ name: 'Salle 1', seats: 120, wheelchair: true }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await t?.drop();
  });

  const screening = (over: Record<string, unknown> = {}) =>
    t.handle.db
      .insertInto('screening')
      .values({ tconst: 'tt0111161', starts_at: '2026-12-09T20:30:00+01:00', week_start: '2026-12-09', room_id: room, version: 'VF', ...over } as never)
      .returning('id')
      .executeTakeFirstOrThrow();

  it('keeps one séance per room and start among those not cancelled; a cancelled one frees its slot', async () => {
    const first = await screening();
    await expect(screening()).rejects.toThrow(/screening_room_start_key/);
    await t.handle.db.updateTable('screening').set({ status: 'cancelled', cancelled_at: new Date() }).where('id', '=', first.id).execute();
    await expect(screening()).resolves.toHaveProperty('id');
  });

  it('refuses what no séance can be: an unknown version, format or label, a bad tconst, a week not starting on a Wednesday, a duplicate room name', async () => {
    const at = { starts_at: '2026-12-10T14:00:00+01:00' };
    await expect(screening({ ...at, version: 'VOSTFR' })).rejects.toThrow(/version/);
    await expect(screening({ ...at, format: '4DX' })).rejects.toThrow(/format/);
    await expect(screening({ ...at, labels: sql`ARRAY['ciné-club']::text[]` })).rejects.toThrow(/labels/);
    await expect(screening({ ...at, tconst: 'nm0000001' })).rejects.toThrow(/tconst/);
    await expect(t.handle.db.insertInto('programme_week').values({ week_start: '2026-12-07' }).execute()).rejects.toThrow(/week_start/);
    await expect(t.handle.db.insertInto('room').values({ name: 'salle 1', seats: 10 }).execute()).rejects.toThrow(/room_name_key/);
    await expect(screening({ ...at, labels: sql`ARRAY['cine-seniors', 'debat']::text[]` })).resolves.toHaveProperty('id');
  });

  it('keeps the start as an instant: a séance written in Paris time reads back as the same instant', async () => {
    const { id } = await screening({ starts_at: '2027-03-28T20:30:00+02:00', week_start: '2027-03-24' });
    const row = await t.handle.db.selectFrom('screening').select(['starts_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(new Date(row.starts_at).toISOString()).toBe('2027-03-28T18:30:00.000Z');
  });

  it('the dashboards\' read-only role reads none of it (owner addresses, password hashes, sessions)', async () => {
    const { rows } = await sql<{ name: string; readable: boolean }>`
      SELECT c.relname AS name, has_table_privilege('cine_kpi_reader', c.oid, 'SELECT') AS readable
      FROM pg_class c WHERE c.relname IN ('room', 'screening', 'programme_week', 'owner_account', 'owner_session') AND c.relkind = 'r'`.execute(t.handle.db);
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.readable)).toEqual([]);
  });

  it('down() removes the programme tables and up() brings them back', async () => {
    const migrator = new Migrator({ db: t.handle.db, provider: { getMigrations: async () => migrations } });
    const { error } = await migrator.migrateTo('20261207090000_post_import_state');
    expect(error).toBeUndefined();
    const tables = async () =>
      (
        await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('room', 'screening', 'programme_week', 'owner_account', 'owner_session')`.execute(
          t.handle.db,
        )
      ).rows.map((r) => r.name);
    expect(await tables()).toEqual([]);
    expect((await migrator.migrateTo(PROGRAMME)).error).toBeUndefined();
    expect((await tables()).sort()).toEqual(['owner_account', 'owner_session', 'programme_week', 'room', 'screening']);
  });
});
