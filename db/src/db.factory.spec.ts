import { sql } from 'kysely';
import { CATALOGUE_TABLES } from './catalogue';
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from './testing/test-database';

async function* lines(...rows: string[]): AsyncIterable<string> {
  for (const row of rows) yield `${row}\n`;
}

describe.each([
  ['postgres', () => createTestDatabase()],
  ['pglite', () => createEmbeddedTestDatabase()],
])('db factory on %s', (backend, create) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await create();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('reports its backend', () => {
    expect(t.handle.backend).toBe(backend);
  });

  it('migrates to views over catalogue_a with the search helpers', async () => {
    const { rows } = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.views WHERE table_schema = 'public' ORDER BY table_name`.execute(t.handle.db);
    // The catalogue's views, and the notifier's counts-only view (migration 20261212090000_notifications).
    expect(rows.map((r) => r.table_name)).toEqual([...CATALOGUE_TABLES, 'notification_stats'].sort());
    const state = await t.handle.db.selectFrom('catalogue_state').selectAll().executeTakeFirstOrThrow();
    expect(state.active_schema).toBe('catalogue_a');
    const norm = await sql<{ n: string; s: number }>`SELECT search_norm('Le Fabuleux Destin d''Amélie') AS n, similarity('amelie', 'amélie') AS s`.execute(t.handle.db);
    expect(norm.rows[0]?.n).toBe("le fabuleux destin d'amelie");
  });

  it('bulk-loads COPY text with nulls, arrays and escaped backslashes, visible through the view', async () => {
    await t.handle.copyInto(
      'catalogue_a.title',
      ['tconst', 'title_type', 'primary_title', 'original_title', 'is_adult', 'start_year', 'runtime_minutes', 'genres', 'num_votes'],
      lines('tt0000001\tmovie\tAC\\\\DC "live"\tAC\\\\DC\tf\t1991\t\\N\t{"Music","Documentary"}\t12'),
    );
    const row = await t.handle.db.selectFrom('title').selectAll().where('tconst', '=', 'tt0000001').executeTakeFirstOrThrow();
    expect(row.primary_title).toBe('AC\\DC "live"');
    expect(row.runtime_minutes).toBeNull();
    expect(row.genres).toEqual(['Music', 'Documentary']);
    expect(row.num_votes).toBe(12);
  });

  it('surfaces a COPY error and stays usable', async () => {
    await expect(
      t.handle.copyInto('catalogue_a.title', ['tconst', 'title_type'], lines('tt1\tmovie\textra')),
    ).rejects.toThrow();
    const count = await t.handle.db.selectFrom('title').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('aborts the COPY when the rows producer fails, and the connection stays usable', async () => {
    async function* failing(): AsyncIterable<string> {
      yield 'tt0000009\tmovie\n';
      throw new Error('bad input at line 2');
    }
    await expect(t.handle.copyInto('catalogue_a.title', ['tconst', 'title_type'], failing())).rejects.toThrow('bad input at line 2');
    for (let i = 0; i < 12; i++) {
      const rows = await t.handle.db.selectFrom('title').select('tconst').execute();
      expect(rows.map((r) => r.tconst)).toEqual(['tt0000001']);
    }
  });

  it('parses int8 to numbers and keeps dates as text', async () => {
    await t.handle.db
      .insertInto('title_tmdb')
      .values({ imdb_id: 'tt0000001', budget: 30000000, revenue: '373554033', release_date: '1995-10-30' } as never)
      .execute();
    const row = await t.handle.db.selectFrom('title_tmdb').selectAll().executeTakeFirstOrThrow();
    expect(row.budget).toBe(30000000);
    expect(row.revenue).toBe(373554033);
    expect(row.release_date).toBe('1995-10-30');
  });

  it('holds a lock until it is released', async () => {
    const release = await t.handle.tryLock(42);
    expect(release).not.toBeNull();
    expect(await t.handle.tryLock(42)).toBeNull();
    await release!();
    const again = await t.handle.tryLock(42);
    expect(again).not.toBeNull();
    await again!();
  });
});
