import { type Kysely, sql } from 'kysely';

/**
 * What followed the swap of the catalogue now served: the post-import steps (embeddings, KPI
 * refresh) are 'pending' from the swap until they succeed or fail. A failure leaves the new
 * catalogue serving with the previous embeddings and KPI figures; the status route and the
 * gateway's readiness say so. Null: a catalogue swapped before this column existed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE catalogue_state
      ADD COLUMN post_import_status text CHECK (post_import_status IN ('pending', 'running', 'succeeded', 'failed')),
      ADD COLUMN post_import_error text,
      ADD COLUMN post_import_at timestamptz`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE catalogue_state
      DROP COLUMN IF EXISTS post_import_status,
      DROP COLUMN IF EXISTS post_import_error,
      DROP COLUMN IF EXISTS post_import_at`.execute(db);
}
