import { type Kysely, sql } from 'kysely';

/**
 * A second, optional consent (issue 16, CNIL: one purpose, one consent): a subscriber may let
 * their liked films teach the suggestions made to others (the recommender's collaborative block),
 * apart from the emails. `consent_record.purpose` says which consent a row gives or withdraws;
 * every row before this one was the emails' (the only box there was), hence the default.
 *
 * A subscriber's consent for a purpose is their latest row of that purpose: the existing index
 * (subscriber_id, at) finds a subscriber's few rows.
 *
 * Never imports application code. Frozen once landed: a later change is a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE consent_record
      ADD COLUMN purpose text NOT NULL DEFAULT 'emails' CHECK (purpose IN ('emails', 'learning'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The learning rows would read as the emails' once the column is gone: they go first.
  await sql`DELETE FROM consent_record WHERE purpose = 'learning'`.execute(db);
  await sql`ALTER TABLE consent_record DROP COLUMN IF EXISTS purpose`.execute(db);
}
