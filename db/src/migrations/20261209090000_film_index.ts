import { type Kysely, sql } from 'kysely';

/**
 * The film index: every film of title.basics (types `movie` and `tvMovie`, adult titles only when
 * the policy keeps them), whatever its votes or runtime, with a few columns. The programme's
 * editor checks a séance's film against it and searches it, so that a release of this week or an
 * old French film nobody rated can be programmed though the catalogue (`title`) keeps only the
 * films the filter policy keeps.
 *
 * Part of the catalogue an import stages and swaps: one table per catalogue schema and a public
 * view on the active one, like `title` (see the first migration). No foreign key either way: most
 * of its films are not in `title`.
 *
 * `search_text` holds the distinct normalised names (primary, original), one per line, as
 * `title.search_text` does; one trigram GIN index serves the editor's forgiving search (fastupdate
 * off, for the reason the search migration gives).
 *
 * Never imports application code. Frozen once landed: a later change is a new migration.
 */
const CATALOGUE_SCHEMAS = ['catalogue_a', 'catalogue_b'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const schema of CATALOGUE_SCHEMAS) {
    const table = sql.table(`${schema}.film_index`);
    await sql`
      CREATE TABLE ${table} (
        tconst text PRIMARY KEY,
        title_type text NOT NULL,
        primary_title text NOT NULL,
        original_title text NOT NULL,
        start_year smallint,
        runtime_minutes integer,
        genres text[] NOT NULL DEFAULT '{}',
        average_rating real,
        num_votes integer,
        search_text text NOT NULL GENERATED ALWAYS AS (
          public.search_norm(primary_title)
          || CASE WHEN public.search_norm(original_title) <> public.search_norm(primary_title)
                  THEN E'\n' || public.search_norm(original_title) ELSE '' END
        ) STORED
      )`.execute(db);
    await sql`CREATE INDEX film_index_search_text_trgm ON ${table} USING gin (search_text public.gin_trgm_ops) WITH (fastupdate = off)`.execute(db);
  }
  const { rows } = await sql<{ active_schema: string }>`SELECT active_schema FROM catalogue_state`.execute(db);
  const active = rows[0]?.active_schema ?? 'catalogue_a';
  await sql`CREATE VIEW public.film_index AS SELECT * FROM ${sql.table(`${active}.film_index`)}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP VIEW IF EXISTS public.film_index`.execute(db);
  for (const schema of CATALOGUE_SCHEMAS) {
    await sql`DROP TABLE IF EXISTS ${sql.table(`${schema}.film_index`)}`.execute(db);
  }
}
