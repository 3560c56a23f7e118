import { type Kysely, Migrator, sql } from 'kysely';
import { migrations } from '../src/migrations';
import { refreshKpis } from '../src/kpi/kpi-refresh';
import { createTestDatabase, type TestDatabase } from '../src/testing/test-database';
import { deadline } from '@cine/common/testing';

type Row = Record<string, any>;

const SEARCH = '20261125110000_search';
/** The migration just before the search migration: what its down() must give back, exactly. */
const PREVIOUS = '20261125100100_kpi';
const SCHEMAS = ['public', 'catalogue_a', 'catalogue_b', 'kpi'];

/**
 * A view definition as PostgreSQL prints it once more: the text read back from the catalog and
 * re-created (what the search migration's down() does with the KPI views) names a UNION
 * branch's unnamed constants (`'decade'::text AS text`); the same query, printed one round trip on.
 */
async function deparsed(db: Kysely<any>, definition: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    await sql`CREATE TEMP VIEW deparse_probe AS ${sql.raw(definition.replace(/;\s*$/, ''))}`.execute(trx);
    const { rows } = await sql<{ def: string }>`SELECT pg_get_viewdef('deparse_probe'::regclass) AS def`.execute(trx);
    await sql`DROP VIEW deparse_probe`.execute(trx);
    return rows[0]!.def;
  });
}

/** Everything a migration may change that others build on: columns, indexes, views and their text, functions, privileges. */
async function schemaSnapshot(db: Kysely<any>) {
  const rows = async (query: ReturnType<typeof sql<Row>>) => (await query.execute(db)).rows;
  return {
    columns: await rows(sql`
      SELECT table_schema, table_name, column_name, ordinal_position, data_type, column_default, is_nullable, is_generated
      FROM information_schema.columns WHERE table_schema = ANY (${SCHEMAS})
      ORDER BY table_schema, table_name, ordinal_position`),
    indexes: await rows(sql`
      SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = ANY (${SCHEMAS})
      ORDER BY schemaname, tablename, indexname`),
    views: await rows(sql`SELECT schemaname, viewname, definition FROM pg_views WHERE schemaname = ANY (${SCHEMAS}) ORDER BY 1, 2`),
    matviews: await Promise.all(
      (
        await rows(sql`
      SELECT schemaname, matviewname, definition, ispopulated FROM pg_matviews WHERE schemaname = ANY (${SCHEMAS}) ORDER BY 1, 2`)
      ).map(async (r) => ({ ...r, definition: await deparsed(db, r.definition) })),
    ),
    functions: await rows(sql`
      SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args
      FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1, 2`),
    privileges: await rows(sql`
      SELECT n.nspname, c.relname, c.relkind, c.relacl::text AS acl
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY (${SCHEMAS}) AND c.relkind IN ('r', 'v', 'm') ORDER BY 1, 2`),
  };
}

describe('search migration: down() gives back the previous schema, KPI views included', () => {
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
  const kpiRows = async () => (await sql<Row>`SELECT * FROM kpi.catalogue_by_type ORDER BY title_type`.execute(t.handle.db)).rows;
  const search = async (q: string) =>
    (
      await sql<{ tconst: string; rank: number }>`
        SELECT tconst, rank FROM public.search_titles(${q}, 10, ARRAY['movie'], false, 0.5, 0.4) ORDER BY rank, tconst`.execute(t.handle.db)
    ).rows;

  it('migrates down to the KPI migration and up again, with the KPI views intact and working', async () => {
    await migrate(migrator.migrateTo(PREVIOUS));
    await sql`INSERT INTO catalogue_a.title (tconst, title_type, primary_title, original_title, french_title, is_adult, start_year, genres, average_rating, num_votes)
              VALUES ('tt0000001', 'movie', 'The Godfather', 'The Godfather', 'Le Parrain', false, 1972, '{Crime}', 9.2, 2000000),
                     ('tt0000002', 'tvSeries', 'Godfather of Harlem', 'Godfather of Harlem', NULL, false, 2019, '{Drama}', 7.8, 20000)`.execute(t.handle.db);
    await refreshKpis(t.handle);
    const before = await schemaSnapshot(t.handle.db);
    const kpisBefore = await kpiRows();
    expect(kpisBefore.length).toBe(2);
    // The KPI migration grants its views to the Grafana role: a re-created view must keep that.
    expect(before.privileges.find((r) => r.relname === 'catalogue_by_type')?.acl).toContain('cine_kpi_reader=r/');

    await migrate(migrator.migrateToLatest());
    expect(await search('le parrain')).toEqual([{ tconst: 'tt0000001', rank: 0 }]);
    expect(await search('godfater')).toEqual([{ tconst: 'tt0000001', rank: 2 }]);

    const { error, results } = await migrator.migrateTo(PREVIOUS);
    expect(error).toBeUndefined();
    expect(results?.map((r) => [r.migrationName, r.direction, r.status])).toContainEqual([SEARCH, 'Down', 'Success']);
    expect(await schemaSnapshot(t.handle.db)).toEqual(before);
    expect(await kpiRows()).toEqual(kpisBefore);
    // Still a working chain: the views refresh concurrently (their unique indexes are back) over the restored public.title.
    await sql`INSERT INTO catalogue_a.title (tconst, title_type, primary_title, original_title, is_adult, start_year, genres, num_votes)
              VALUES ('tt0000003', 'movie', 'Up', 'Up', false, 2009, '{Animation}', 1000)`.execute(t.handle.db);
    await refreshKpis(t.handle);
    expect((await kpiRows()).find((r) => r.title_type === 'movie')?.titles).toBe(2);

    await migrate(migrator.migrateToLatest());
    expect(await search('godfather')).toEqual([{ tconst: 'tt0000001', rank: 0 }]);
    expect(await search('up')).toEqual([{ tconst: 'tt0000003', rank: 0 }]);
    await refreshKpis(t.handle);
    expect((await kpiRows()).find((r) => r.title_type === 'movie')?.titles).toBe(2);
  }, deadline(120_000));
});
