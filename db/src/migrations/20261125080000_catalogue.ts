import { type Kysely, sql } from 'kysely';

/**
 * The catalogue, the import ledger and the TMDB table.
 *
 * Frozen once landed: a later change is a new migration. Never imports application code.
 *
 * The catalogue tables exist twice, in schemas `catalogue_a` and `catalogue_b`. An import loads
 * the inactive schema, then one transaction points the public views (`title`, `credit`, …) at it.
 * Readers therefore see the old catalogue or the new one, never a mix, and a failed or killed
 * import leaves the serving catalogue untouched. Views that later migrations build on the public
 * views survive the swap, because CREATE OR REPLACE VIEW keeps the view's identity.
 */
const CATALOGUE_SCHEMAS = ['catalogue_a', 'catalogue_b'] as const;
const CATALOGUE_TABLES = ['title', 'title_aka', 'person', 'credit', 'crew'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
  // unaccent() is only STABLE (its dictionary could change); indexes need an IMMUTABLE wrapper.
  await sql`
    CREATE OR REPLACE FUNCTION public.search_norm(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`.execute(db);

  for (const schema of CATALOGUE_SCHEMAS) {
    await sql`CREATE SCHEMA ${sql.id(schema)}`.execute(db);
    const t = (name: string) => sql.table(`${schema}.${name}`);
    await sql`
      CREATE TABLE ${t('title')} (
        tconst text PRIMARY KEY,
        title_type text NOT NULL,
        primary_title text NOT NULL,
        original_title text NOT NULL,
        french_title text,
        is_adult boolean NOT NULL,
        start_year smallint,
        end_year smallint,
        runtime_minutes integer,
        genres text[] NOT NULL DEFAULT '{}',
        average_rating real,
        num_votes integer NOT NULL DEFAULT 0,
        episode_count integer,
        season_count integer
      )`.execute(db);
    await sql`CREATE INDEX ON ${t('title')} (title_type, start_year)`.execute(db);
    await sql`CREATE INDEX ON ${t('title')} USING gin (public.search_norm(primary_title) public.gin_trgm_ops)`.execute(db);
    await sql`CREATE INDEX ON ${t('title')} USING gin (public.search_norm(original_title) public.gin_trgm_ops)`.execute(db);
    await sql`CREATE INDEX ON ${t('title')} USING gin (public.search_norm(french_title) public.gin_trgm_ops)`.execute(db);
    await sql`
      CREATE TABLE ${t('title_aka')} (
        tconst text NOT NULL REFERENCES ${t('title')} (tconst) ON DELETE CASCADE,
        ordering integer NOT NULL,
        title text NOT NULL,
        region text,
        language text,
        types text[] NOT NULL DEFAULT '{}',
        attributes text[] NOT NULL DEFAULT '{}',
        is_original_title boolean,
        PRIMARY KEY (tconst, ordering)
      )`.execute(db);
    await sql`
      CREATE TABLE ${t('person')} (
        nconst text PRIMARY KEY,
        primary_name text NOT NULL,
        birth_year smallint,
        death_year smallint,
        primary_professions text[] NOT NULL DEFAULT '{}',
        known_for_titles text[] NOT NULL DEFAULT '{}'
      )`.execute(db);
    // No foreign key to person: real dumps (and every sample) credit people absent from
    // name.basics. The import counts those dangling references instead of dropping the credit.
    await sql`
      CREATE TABLE ${t('credit')} (
        tconst text NOT NULL REFERENCES ${t('title')} (tconst) ON DELETE CASCADE,
        ordering integer NOT NULL,
        nconst text NOT NULL,
        category text NOT NULL,
        job text,
        characters text[],
        PRIMARY KEY (tconst, ordering)
      )`.execute(db);
    await sql`CREATE INDEX ON ${t('credit')} (nconst)`.execute(db);
    await sql`
      CREATE TABLE ${t('crew')} (
        tconst text NOT NULL REFERENCES ${t('title')} (tconst) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('director', 'writer')),
        ordering integer NOT NULL,
        nconst text NOT NULL,
        PRIMARY KEY (tconst, role, ordering)
      )`.execute(db);
    await sql`CREATE INDEX ON ${t('crew')} (nconst)`.execute(db);
  }

  for (const table of CATALOGUE_TABLES) {
    await sql`CREATE VIEW ${sql.table(`public.${table}`)} AS SELECT * FROM ${sql.table(`catalogue_a.${table}`)}`.execute(db);
  }

  await sql`
    CREATE TABLE catalogue_state (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      active_schema text NOT NULL CHECK (active_schema IN ('catalogue_a', 'catalogue_b')),
      import_run_id integer,
      swapped_at timestamptz
    )`.execute(db);
  await sql`INSERT INTO catalogue_state (active_schema) VALUES ('catalogue_a')`.execute(db);

  // Not swapped with the IMDb catalogue: TMDB rows are keyed by imdb_id and replaced in one
  // transaction by their own import, so an IMDb refresh keeps them and a TMDB refresh is cheap.
  await sql`
    CREATE TABLE title_tmdb (
      imdb_id text PRIMARY KEY,
      tmdb_id integer,
      title text,
      original_title text,
      original_language text,
      overview text,
      tagline text,
      poster_path text,
      backdrop_path text,
      popularity real,
      budget bigint CHECK (budget > 0),
      revenue bigint CHECK (revenue > 0),
      runtime integer,
      release_date date,
      production_countries text[] NOT NULL DEFAULT '{}',
      spoken_languages text[] NOT NULL DEFAULT '{}',
      genres text[] NOT NULL DEFAULT '{}',
      production_companies text[] NOT NULL DEFAULT '{}',
      collection_id integer,
      collection_name text,
      vote_average real,
      vote_count integer
    )`.execute(db);
  await sql`CREATE UNLOGGED TABLE tmdb_staging (LIKE title_tmdb INCLUDING DEFAULTS, seq bigint NOT NULL)`.execute(db);

  await sql`
    CREATE TABLE import_run (
      id serial PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('imdb', 'tmdb')),
      status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned')),
      sources text[] NOT NULL,
      policy jsonb NOT NULL,
      job_id text,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      duration_ms integer,
      rows_read bigint NOT NULL DEFAULT 0,
      rows_kept bigint NOT NULL DEFAULT 0,
      rows_rejected bigint NOT NULL DEFAULT 0,
      catalogue_schema text,
      summary jsonb NOT NULL DEFAULT '{}',
      error text
    )`.execute(db);
  await sql`
    CREATE TABLE import_file (
      id serial PRIMARY KEY,
      run_id integer NOT NULL REFERENCES import_run (id) ON DELETE CASCADE,
      dataset text NOT NULL,
      source text NOT NULL,
      status text NOT NULL CHECK (status IN ('running', 'loaded', 'absent', 'failed')),
      bytes bigint,
      sha256 text,
      rows_read bigint NOT NULL DEFAULT 0,
      rows_kept bigint NOT NULL DEFAULT 0,
      rows_rejected bigint NOT NULL DEFAULT 0,
      filter_stats jsonb NOT NULL DEFAULT '{}',
      reject_samples jsonb NOT NULL DEFAULT '[]',
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      duration_ms integer,
      error text
    )`.execute(db);
  await sql`CREATE INDEX ON import_file (run_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS import_file, import_run, tmdb_staging, title_tmdb, catalogue_state`.execute(db);
  for (const table of CATALOGUE_TABLES) {
    await sql`DROP VIEW IF EXISTS ${sql.table(`public.${table}`)} CASCADE`.execute(db);
  }
  for (const schema of CATALOGUE_SCHEMAS) {
    await sql`DROP SCHEMA IF EXISTS ${sql.id(schema)} CASCADE`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS public.search_norm(text)`.execute(db);
}
