import type { Kysely } from 'kysely';

// Reserved: filled in by its issue. Until then it changes nothing.
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
