import { type Kysely, sql } from 'kysely';

/**
 * Embedding versions of the recommender. One row per build: the film list and the vectors are
 * two blobs of the same row, so a version is written (and read) in one statement, and a sha256
 * over both lets the service refuse a version whose bytes changed after it was written.
 * Plain SQL types only, so it runs on PostgreSQL 15 and PGlite alike.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE recommender_version (
      id serial PRIMARY KEY,
      created_at timestamptz NOT NULL DEFAULT now(),
      status text NOT NULL CHECK (status IN ('ready', 'failed')),
      dims integer NOT NULL CHECK (dims > 0),
      films integer NOT NULL CHECK (films >= 0),
      import_run_id integer,
      stats jsonb NOT NULL DEFAULT '{}'::jsonb,
      checksum text NOT NULL,
      items bytea NOT NULL,
      vectors bytea NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX recommender_version_ready ON recommender_version (id DESC) WHERE status = 'ready'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS recommender_version`.execute(db);
}
