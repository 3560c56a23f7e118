import { CATALOGUE_TABLES, type CatalogueSchema, type CatalogueTable, type Database, type DbHandle, otherSchema, type PostImportStatus } from '@cine/db';
import { type Kysely, sql } from 'kysely';

/** Every process that imports takes this lock first: one import at a time per database. */
const IMPORT_LOCK_KEY = 0x43_49_4e_45; // "CINE"

export type TableCounts = Record<CatalogueTable, number>;

/** The title search's indexes, as migration 20261125110000_search creates them. */
const TITLE_SEARCH_INDEXES = [
  { name: 'title_search_text_trgm', create: (schema: string) => `CREATE INDEX IF NOT EXISTS title_search_text_trgm ON ${schema}.title USING gin (search_text public.gin_trgm_ops) WITH (fastupdate = off)` },
  ...[1, 2, 3].map((n) => ({
    name: `title_search_name_${n}`,
    create: (schema: string) => `CREATE INDEX IF NOT EXISTS title_search_name_${n} ON ${schema}.title (public.search_strip_article(split_part(search_text, E'\\n', ${n})) text_pattern_ops)`,
  })),
];

/**
 * The catalogue's storage: the inactive schema is the staging area of an import, and `swap`
 * makes it the one the public views read, in one transaction.
 */
export class CatalogueRepository {
  constructor(private readonly handle: DbHandle) {}

  lockImports(): Promise<(() => Promise<void>) | null> {
    return this.handle.tryLock(IMPORT_LOCK_KEY);
  }

  async activeSchema(): Promise<CatalogueSchema> {
    const row = await this.handle.db.selectFrom('catalogue_state').select('active_schema').executeTakeFirstOrThrow();
    return row.active_schema;
  }

  async stagingSchema(): Promise<CatalogueSchema> {
    return otherSchema(await this.activeSchema());
  }

  /** Empty a schema's tables: the start of an import, or the leftovers of a killed one. */
  async clear(schema: CatalogueSchema): Promise<void> {
    const tables = CATALOGUE_TABLES.map((t) => `${schema}.${t}`).join(', ');
    await sql.raw(`TRUNCATE ${tables}`).execute(this.handle.db);
  }

  /**
   * The films of every séance not cancelled, past ones included: the filter policy keeps them
   * (rule `programmed`). Read once, before an import stages anything.
   */
  async programmedFilms(): Promise<string[]> {
    const rows = await this.handle.db.selectFrom('screening').select('tconst').distinct().where('status', '=', 'scheduled').execute();
    return rows.map((r) => r.tconst);
  }

  /**
   * The film index's trigram index is dropped before an import loads the staging schema and built
   * once it is loaded. A COPY of 734 k film rows (head-50k's films twenty times, about the full
   * dump's films) took 3.7 s into a bare table, 14 s with the generated `search_text`, 203 s with
   * the index kept up to date; building it after the load took 19 s (PostgreSQL on this machine,
   * 2026-12-07, load average 16).
   * Same name and definition as migrations 20261209090000_film_index and 20261211090000_film_index_search_text.
   */
  async dropFilmIndexSearch(schema: CatalogueSchema): Promise<void> {
    await sql`DROP INDEX IF EXISTS ${sql.table(`${schema}.film_index_search_text_trgm`)}`.execute(this.handle.db);
  }

  /**
   * The title search's indexes (migration 20261125110000_search: a trigram GIN index on
   * `search_text` and a btree per name line) are dropped before an import loads the staging schema
   * and built once its titles have their French names: kept up to date row by row, the GIN index
   * made the title COPY and the French-title UPDATE the slowest part of title.basics. Same names
   * and definitions as the migration (a test compares them with a schema no import touched).
   */
  async dropTitleSearch(schema: CatalogueSchema): Promise<void> {
    for (const index of TITLE_SEARCH_INDEXES) await sql`DROP INDEX IF EXISTS ${sql.table(`${schema}.${index.name}`)}`.execute(this.handle.db);
  }

  async buildTitleSearch(schema: CatalogueSchema): Promise<void> {
    await this.handle.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(trx);
      for (const index of TITLE_SEARCH_INDEXES) await sql.raw(index.create(schema)).execute(trx);
    });
  }

  /**
   * With more maintenance memory than PostgreSQL's default 64 MB for this build only: a GIN index
   * built in memory is not spilled and merged in pieces.
   */
  async buildFilmIndexSearch(schema: CatalogueSchema): Promise<void> {
    await this.handle.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(trx);
      await sql`CREATE INDEX IF NOT EXISTS film_index_search_text_trgm ON ${sql.table(`${schema}.film_index`)} USING gin (search_text public.gin_trgm_ops) WITH (fastupdate = off)`.execute(trx);
    });
  }

  copy(schema: CatalogueSchema, table: CatalogueTable, columns: readonly string[], chunks: AsyncIterable<string>): Promise<void> {
    return this.handle.copyInto(`${schema}.${table}`, columns, chunks);
  }

  async setEpisodeStats(schema: CatalogueSchema, stats: Array<{ tconst: string; episodes: number; seasons: number | null }>): Promise<void> {
    const batch = 10_000;
    for (let i = 0; i < stats.length; i += batch) {
      const part = stats.slice(i, i + batch);
      await sql`
        UPDATE ${sql.table(`${schema}.title`)} AS t
        SET episode_count = v.episodes, season_count = v.seasons
        FROM unnest(${part.map((s) => s.tconst)}::text[], ${part.map((s) => s.episodes)}::int[], ${part.map((s) => s.seasons)}::int[])
          AS v(tconst, episodes, seasons)
        WHERE t.tconst = v.tconst`.execute(this.handle.db);
    }
  }

  /**
   * The French title of each film: a French-region title IMDb displays, else any French-region
   * title that is not a working or festival title, else a French-language one.
   */
  async setFrenchTitles(schema: CatalogueSchema): Promise<number> {
    const result = await sql`
      UPDATE ${sql.table(`${schema}.title`)} AS t
      SET french_title = best.title
      FROM (
        SELECT DISTINCT ON (tconst) tconst, title
        FROM ${sql.table(`${schema}.title_aka`)}
        WHERE NOT (types && ARRAY['working', 'festival']::text[])
        ORDER BY tconst,
          (region = 'FR' AND 'imdbDisplay' = ANY (types)) DESC,
          (region = 'FR') DESC,
          (language = 'fr') DESC,
          ordering
      ) AS best
      WHERE best.tconst = t.tconst`.execute(this.handle.db);
    return Number(result.numAffectedRows ?? 0);
  }

  /** Credits and crew naming people absent from name.basics (kept, and counted). */
  async danglingPeople(schema: CatalogueSchema): Promise<{ credit: number; crew: number }> {
    const { rows } = await sql<{ credit: number; crew: number }>`
      SELECT
        (SELECT count(*) FROM ${sql.table(`${schema}.credit`)} c
          WHERE NOT EXISTS (SELECT 1 FROM ${sql.table(`${schema}.person`)} p WHERE p.nconst = c.nconst))::int AS credit,
        (SELECT count(*) FROM ${sql.table(`${schema}.crew`)} c
          WHERE NOT EXISTS (SELECT 1 FROM ${sql.table(`${schema}.person`)} p WHERE p.nconst = c.nconst))::int AS crew`.execute(this.handle.db);
    return rows[0] ?? { credit: 0, crew: 0 };
  }

  async analyze(schema: CatalogueSchema, tables: readonly CatalogueTable[] = CATALOGUE_TABLES): Promise<void> {
    for (const table of tables) await sql.raw(`ANALYZE ${schema}.${table}`).execute(this.handle.db);
  }

  async counts(schema?: CatalogueSchema): Promise<TableCounts> {
    const source = (table: string) => (schema ? `${schema}.${table}` : `public.${table}`);
    const selects = CATALOGUE_TABLES.map((t) => `(SELECT count(*) FROM ${source(t)})::int AS ${t}`).join(', ');
    const { rows } = await sql.raw<TableCounts>(`SELECT ${selects}`).execute(this.handle.db);
    return rows[0]!;
  }

  /** Run `body` in one transaction: the run's swap of the IMDb schema and of the TMDB rows. */
  transaction<T>(body: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.handle.db.transaction().execute(body);
  }

  /**
   * Point the public views at `schema` (null: the IMDb catalogue stays, a TMDB-only run) and
   * record the run as the one serving, its post-import steps pending. On `db`, the run's
   * transaction: readers see the old catalogue or the new, never a mix.
   */
  async swap(db: Kysely<Database>, schema: CatalogueSchema | null, runId: number): Promise<void> {
    // Lock the state row first so two swaps can never interleave their view replacements.
    await sql`SELECT active_schema FROM catalogue_state FOR UPDATE`.execute(db);
    if (schema) {
      for (const table of CATALOGUE_TABLES) {
        await sql.raw(`CREATE OR REPLACE VIEW public.${table} AS SELECT * FROM ${schema}.${table}`).execute(db);
      }
      await db.updateTable('catalogue_state').set({ active_schema: schema }).execute();
    }
    await db
      .updateTable('catalogue_state')
      .set({ import_run_id: runId, swapped_at: new Date(), post_import_status: 'pending', post_import_error: null, post_import_at: new Date() })
      .execute();
  }

  /** Where the post-import steps of the catalogue served stand (they run after the swap). */
  async setPostImport(status: Exclude<PostImportStatus, 'pending'>, error: string | null): Promise<void> {
    await this.handle.db
      .updateTable('catalogue_state')
      .set({ post_import_status: status, post_import_error: error, post_import_at: new Date() })
      .execute();
  }
}
