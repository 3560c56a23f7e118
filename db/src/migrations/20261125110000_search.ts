import { type Kysely, sql } from 'kysely';

/**
 * One precomputed search column per catalogue title, with one trigram index.
 *
 * Searching through `search_norm(primary_title)`, `…(original_title)` and `…(french_title)` took
 * six index probes and ran `unaccent()` again on every candidate, for the recheck and for the
 * ranking: 40–80 ms of database CPU per search. `search_text` holds the distinct normalised
 * titles, one per line, computed once when a row is written (COPY, then the French-title UPDATE
 * of the import, which recomputes it). Newlines are word boundaries for pg_trgm, so a word
 * similarity probe never matches across two titles; readers split the lines to rank exact and
 * prefix matches without normalising anything again.
 *
 * Frozen once landed: a later change is a new migration.
 */
const CATALOGUE_SCHEMAS = ['catalogue_a', 'catalogue_b'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const schema of CATALOGUE_SCHEMAS) {
    const title = sql.table(`${schema}.title`);
    await sql`
      ALTER TABLE ${title} ADD COLUMN search_text text NOT NULL GENERATED ALWAYS AS (
        public.search_norm(primary_title)
        || CASE WHEN public.search_norm(original_title) <> public.search_norm(primary_title)
                THEN E'\n' || public.search_norm(original_title) ELSE '' END
        || CASE WHEN french_title IS NOT NULL
                 AND public.search_norm(french_title) <> public.search_norm(primary_title)
                 AND public.search_norm(french_title) <> public.search_norm(original_title)
                THEN E'\n' || public.search_norm(french_title) ELSE '' END
      ) STORED`.execute(db);
    await sql`CREATE INDEX title_search_text_trgm ON ${title} USING gin (search_text public.gin_trgm_ops)`.execute(db);
    // The three per-title expression indexes only served the old search: every import paid for them.
    const { rows } = await sql<{ indexname: string }>`
      SELECT indexname FROM pg_indexes
      WHERE schemaname = ${schema} AND tablename = 'title' AND indexdef LIKE '%search_norm(%'`.execute(db);
    for (const { indexname } of rows) await sql`DROP INDEX ${sql.table(`${schema}.${indexname}`)}`.execute(db);
  }
  // The view's column list was fixed when it was created: re-create it over the active schema so it
  // exposes the new column (appended last, which CREATE OR REPLACE VIEW allows under dependent views).
  const { rows } = await sql<{ active_schema: string }>`SELECT active_schema FROM catalogue_state`.execute(db);
  const active = rows[0]?.active_schema ?? 'catalogue_a';
  await sql`CREATE OR REPLACE VIEW public.title AS SELECT * FROM ${sql.table(`${active}.title`)}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ active_schema: string }>`SELECT active_schema FROM catalogue_state`.execute(db);
  const active = rows[0]?.active_schema ?? 'catalogue_a';
  // A view cannot drop a column in place: dependents (the KPI views) go with it and come back with their migration.
  await sql`DROP VIEW public.title CASCADE`.execute(db);
  for (const schema of CATALOGUE_SCHEMAS) {
    const title = sql.table(`${schema}.title`);
    await sql`ALTER TABLE ${title} DROP COLUMN search_text`.execute(db);
    await sql`CREATE INDEX ON ${title} USING gin (public.search_norm(primary_title) public.gin_trgm_ops)`.execute(db);
    await sql`CREATE INDEX ON ${title} USING gin (public.search_norm(original_title) public.gin_trgm_ops)`.execute(db);
    await sql`CREATE INDEX ON ${title} USING gin (public.search_norm(french_title) public.gin_trgm_ops)`.execute(db);
  }
  await sql`CREATE VIEW public.title AS SELECT * FROM ${sql.table(`${active}.title`)}`.execute(db);
}
