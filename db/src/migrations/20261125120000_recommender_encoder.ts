import { type Kysely, sql } from 'kysely';

/**
 * The recommender's encoder (features → learned embedding) travels with its version, so a title
 * outside the index is folded in with the very vocabulary and projection the vectors came from.
 * Nullable: versions built before it keep serving, without the encoder.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE recommender_version ADD COLUMN encoder bytea`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE recommender_version DROP COLUMN IF EXISTS encoder`.execute(db);
}
