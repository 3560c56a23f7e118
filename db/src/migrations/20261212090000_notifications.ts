import { type Kysely, sql } from 'kysely';

/**
 * Notifications (issue 16), owned by the notifier: who asked for emails, the proof they consented,
 * the links they were sent, what was sent to them, and the addresses that must never get mail.
 *
 * - `subscriber`: one row per address. `email_hash` is the SHA-256 of the trimmed, lower-cased
 *   address: the unique key (the same address typed twice is one subscriber) and all that the
 *   suppression list keeps. `channel` is a field so Web Push can come without migrating the rest.
 *   Active means confirmed (double opt-in); `paused` lives in `preferences`.
 * - `consent_record`: the proof of consent (when, which wording by version and SHA-256, how).
 *   It goes with its subscriber: after an erasure only the suppression hash remains.
 * - `subscriber_token`: the links' tokens, by the SHA-256 of the random token; the token itself is
 *   never stored. Scoped, expiring, single-use for `confirm`.
 * - `notification`: the send ledger. Its key is unique per (subscriber, kind, film or week or
 *   séance): a retried or duplicated job finds the key and never sends twice. `claimed_at` is the
 *   sender's lease on a pending row: a worker killed mid-send leaves a lease another may take
 *   over once it is old, a live sender's is respected.
 * - `suppression`: addresses that get no more mail, as a hash only (bounced, unsubscribed, erased).
 * - `notification_stats`: counts only, for Grafana's read-only role; no table with an address is
 *   granted to it (a view reads its tables with its owner's rights).
 *
 * Never imports application code. Frozen once landed: a later change is a new migration.
 */

/** The SELECT-only role Grafana connects as (created by the KPI migration; created here too if absent). */
const READER_ROLE = 'cine_kpi_reader';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE subscriber (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
      email_hash bytea NOT NULL UNIQUE CHECK (octet_length(email_hash) = 32),
      channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email')),
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active')),
      liked text[] NOT NULL DEFAULT '{}' CHECK (cardinality(liked) <= 50),
      disliked text[] NOT NULL DEFAULT '{}' CHECK (cardinality(disliked) <= 50),
      preferences jsonb NOT NULL DEFAULT '{"alerts": true, "digest": true}',
      created_at timestamptz NOT NULL DEFAULT now(),
      confirmed_at timestamptz,
      last_activity_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((status = 'active') = (confirmed_at IS NOT NULL))
    )`.execute(db);
  // Retention: pending rows by age, active rows by inactivity.
  await sql`CREATE INDEX subscriber_status_created_idx ON subscriber (status, created_at)`.execute(db);
  await sql`CREATE INDEX subscriber_activity_idx ON subscriber (last_activity_at)`.execute(db);
  // The audience of a film (the gateway's programming aid): the confirmed subscribers who liked it.
  await sql`CREATE INDEX subscriber_liked_idx ON subscriber USING gin (liked) WHERE status = 'active'`.execute(db);

  await sql`
    CREATE TABLE consent_record (
      id bigserial PRIMARY KEY,
      subscriber_id uuid NOT NULL REFERENCES subscriber (id) ON DELETE CASCADE,
      action text NOT NULL CHECK (action IN ('given', 'withdrawn')),
      wording_version text NOT NULL CHECK (char_length(wording_version) BETWEEN 1 AND 40),
      wording_sha256 text NOT NULL CHECK (wording_sha256 ~ '^[0-9a-f]{64}$'),
      source text NOT NULL CHECK (source IN ('page', 'widget', 'email-link')),
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE INDEX consent_record_subscriber_idx ON consent_record (subscriber_id, at)`.execute(db);

  await sql`
    CREATE TABLE subscriber_token (
      token_hash bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
      subscriber_id uuid NOT NULL REFERENCES subscriber (id) ON DELETE CASCADE,
      scope text NOT NULL CHECK (scope IN ('confirm', 'manage', 'unsubscribe')),
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      CHECK (expires_at > created_at)
    )`.execute(db);
  await sql`CREATE INDEX subscriber_token_subscriber_idx ON subscriber_token (subscriber_id)`.execute(db);
  await sql`CREATE INDEX subscriber_token_expires_idx ON subscriber_token (expires_at)`.execute(db);

  await sql`
    CREATE TABLE notification (
      key text PRIMARY KEY CHECK (char_length(key) BETWEEN 1 AND 200),
      subscriber_id uuid NOT NULL REFERENCES subscriber (id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('confirmation', 'alert', 'digest', 'cancellation')),
      tconst text CHECK (tconst ~ '^tt[0-9]{7,10}$'),
      week date,
      screening_ids text[] NOT NULL DEFAULT '{}',
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'suppressed')),
      attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      claimed_at timestamptz,
      sent_at timestamptz,
      CHECK ((status = 'sent') = (sent_at IS NOT NULL))
    )`.execute(db);
  // The weekly cap and the confirmation rate: one subscriber's recent rows of a kind.
  await sql`CREATE INDEX notification_subscriber_idx ON notification (subscriber_id, kind, created_at)`.execute(db);

  await sql`
    CREATE TABLE suppression (
      email_hash bytea PRIMARY KEY CHECK (octet_length(email_hash) = 32),
      reason text NOT NULL CHECK (reason IN ('bounced', 'unsubscribed', 'erased')),
      at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);

  await sql`
    CREATE VIEW notification_stats AS
    SELECT
      (SELECT count(*) FROM subscriber)::int AS subscribers,
      (SELECT count(*) FROM subscriber WHERE status = 'active')::int AS confirmed,
      (SELECT count(*) FROM subscriber WHERE status = 'active' AND coalesce((preferences ->> 'paused')::boolean, false))::int AS paused,
      (SELECT count(*) FROM subscriber WHERE status = 'pending')::int AS pending,
      (SELECT count(*) FROM notification WHERE kind = 'alert' AND status = 'sent')::int AS alerts_sent,
      (SELECT count(*) FROM notification WHERE kind = 'digest' AND status = 'sent')::int AS digests_sent,
      (SELECT count(*) FROM notification WHERE kind = 'cancellation' AND status = 'sent')::int AS cancellations_sent,
      (SELECT count(*) FROM suppression WHERE reason = 'bounced')::int AS bounced,
      (SELECT count(*) FROM suppression WHERE reason = 'unsubscribed')::int AS unsubscribed`.execute(db);

  // Roles belong to the whole cluster, and concurrent migrations of other databases may create it.
  await sql
    .raw(
      `DO $$ BEGIN
         CREATE ROLE ${READER_ROLE} NOLOGIN;
       EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
       END $$`,
    )
    .execute(db);
  await sql.raw(`GRANT SELECT ON notification_stats TO ${READER_ROLE}`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The role stays: the KPI views and other databases of the cluster still grant it.
  await sql`DROP VIEW IF EXISTS notification_stats`.execute(db);
  await sql`DROP TABLE IF EXISTS suppression`.execute(db);
  await sql`DROP TABLE IF EXISTS notification`.execute(db);
  await sql`DROP TABLE IF EXISTS subscriber_token`.execute(db);
  await sql`DROP TABLE IF EXISTS consent_record`.execute(db);
  await sql`DROP TABLE IF EXISTS subscriber`.execute(db);
}
