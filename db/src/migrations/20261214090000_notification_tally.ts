import { type Kysely, sql } from 'kysely';

/**
 * The owner's notification figures as running totals that outlive whom they counted. Erasing a
 * subscriber deletes their ledger rows (`notification`, by cascade), so a count of sent rows went
 * down at each erasure; and only one-click unsubscribes left a trace a count could read.
 *
 * - `notification_tally`: per day, how many emails of a kind were sent (`kind` the email's kind,
 *   `outcome` 'sent') and how many subscribers left by which way (`kind` 'departure', `outcome` the
 *   way). Days and counts only: no subscriber id, no address, no hash. The notifier adds to it in
 *   the same statement or transaction as the event it counts. `day` is the event's UTC date (a
 *   calendar day no session time zone shifts); the dashboards read it by week.
 * - Backfilled once from what the tables still hold: the ledger's sent rows by day and kind, and
 *   the suppression list's rows by reason (an `erased` row is counted as an erasure asked by its
 *   person: the 3-year inactivity erasure cannot have run before this migration, three years after
 *   the notifier's). What was lost before — ledger rows of erased subscribers, suppressions lifted by
 *   a new confirmation, pending addresses expired — stays lost.
 * - `notification_stats` keeps its columns, in their order, its sent counts and `unsubscribed` now
 *   read from the tally, and gains the confirmations sent and the departures, in all and by way.
 * - The tally is granted to Grafana's read-only role, which still reads no table holding an
 *   address or a hash.
 *
 * Never imports application code. Frozen once landed: a later change is a new migration.
 */

/** The SELECT-only role Grafana connects as (created by the KPI and notifications migrations). */
const READER_ROLE = 'cine_kpi_reader';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE notification_tally (
      day date NOT NULL,
      kind text NOT NULL,
      outcome text NOT NULL,
      n integer NOT NULL CHECK (n > 0),
      PRIMARY KEY (day, kind, outcome),
      CHECK (
        (kind IN ('confirmation', 'alert', 'digest', 'cancellation') AND outcome = 'sent')
        OR (kind = 'departure' AND outcome IN ('unsubscribe', 'erase', 'expired', 'inactive', 'bounced'))
      )
    )`.execute(db);

  await sql`
    INSERT INTO notification_tally (day, kind, outcome, n)
    SELECT (sent_at AT TIME ZONE 'UTC')::date, kind, 'sent', count(*)
    FROM notification WHERE status = 'sent'
    GROUP BY 1, 2`.execute(db);
  await sql`
    INSERT INTO notification_tally (day, kind, outcome, n)
    SELECT (at AT TIME ZONE 'UTC')::date, 'departure',
           CASE reason WHEN 'unsubscribed' THEN 'unsubscribe' WHEN 'erased' THEN 'erase' ELSE 'bounced' END,
           count(*)
    FROM suppression
    GROUP BY 1, 3`.execute(db);

  // CREATE OR REPLACE keeps the view's grant; it may only append columns, hence the order.
  await sql`
    CREATE OR REPLACE VIEW notification_stats AS
    WITH tally AS (
      SELECT
        coalesce(sum(n) FILTER (WHERE kind = 'confirmation' AND outcome = 'sent'), 0)::int AS confirmations_sent,
        coalesce(sum(n) FILTER (WHERE kind = 'alert' AND outcome = 'sent'), 0)::int AS alerts_sent,
        coalesce(sum(n) FILTER (WHERE kind = 'digest' AND outcome = 'sent'), 0)::int AS digests_sent,
        coalesce(sum(n) FILTER (WHERE kind = 'cancellation' AND outcome = 'sent'), 0)::int AS cancellations_sent,
        coalesce(sum(n) FILTER (WHERE kind = 'departure'), 0)::int AS departures,
        coalesce(sum(n) FILTER (WHERE kind = 'departure' AND outcome = 'unsubscribe'), 0)::int AS departures_unsubscribe,
        coalesce(sum(n) FILTER (WHERE kind = 'departure' AND outcome = 'erase'), 0)::int AS departures_erase,
        coalesce(sum(n) FILTER (WHERE kind = 'departure' AND outcome = 'expired'), 0)::int AS departures_expired,
        coalesce(sum(n) FILTER (WHERE kind = 'departure' AND outcome = 'inactive'), 0)::int AS departures_inactive,
        coalesce(sum(n) FILTER (WHERE kind = 'departure' AND outcome = 'bounced'), 0)::int AS departures_bounced
      FROM notification_tally
    )
    SELECT
      (SELECT count(*) FROM subscriber)::int AS subscribers,
      (SELECT count(*) FROM subscriber WHERE status = 'active')::int AS confirmed,
      (SELECT count(*) FROM subscriber WHERE status = 'active' AND coalesce((preferences ->> 'paused')::boolean, false))::int AS paused,
      (SELECT count(*) FROM subscriber WHERE status = 'pending')::int AS pending,
      t.alerts_sent,
      t.digests_sent,
      t.cancellations_sent,
      (SELECT count(*) FROM suppression WHERE reason = 'bounced')::int AS bounced,
      t.departures_unsubscribe AS unsubscribed,
      t.confirmations_sent,
      t.departures,
      t.departures_unsubscribe,
      t.departures_erase,
      t.departures_expired,
      t.departures_inactive,
      t.departures_bounced
    FROM tally t`.execute(db);

  await sql.raw(`GRANT SELECT ON notification_tally TO ${READER_ROLE}`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // A view cannot lose columns in place: the previous one is made again, with its grant.
  await sql`DROP VIEW IF EXISTS notification_stats`.execute(db);
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
  await sql.raw(`GRANT SELECT ON notification_stats TO ${READER_ROLE}`).execute(db);
  await sql`DROP TABLE IF EXISTS notification_tally`.execute(db);
}
