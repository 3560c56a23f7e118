import { type Kysely, sql } from 'kysely';

/**
 * The cinema's programme, owned by the gateway (its editor and its API write it; the notifier
 * reads it): rooms, séances, the weeks the owner published, and the owner's accounts and
 * sessions.
 *
 * - A séance names its film by `tconst` with no foreign key: the catalogue is two schemas swapped
 *   by each import, and a programmed film may lie outside it (the editor checks the tconst
 *   against `film_index`, every film of the IMDb files, when it is written).
 * - One séance per room and start among those not cancelled (a cancelled one keeps its row, so
 *   the customers it was announced to can be told, and its slot can be programmed again).
 * - `week_start` is the Wednesday (in the cinema's time zone) of the programme week the séance
 *   belongs to, written by the gateway from `starts_at`; customers see a séance once its week is
 *   in `programme_week` with `published_at` set.
 * - Labels are codes; their French names are the page's.
 * - Owner sessions are kept by the sha-256 of their token, never the token.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE room (
      id serial PRIMARY KEY,
      name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
      seats integer NOT NULL CHECK (seats BETWEEN 1 AND 5000),
      wheelchair boolean NOT NULL DEFAULT false,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX room_name_key ON room (lower(name))`.execute(db);

  await sql`
    CREATE TABLE screening (
      id bigserial PRIMARY KEY,
      tconst text NOT NULL CHECK (tconst ~ '^tt[0-9]{7,10}$'),
      starts_at timestamptz NOT NULL,
      week_start date NOT NULL,
      room_id integer NOT NULL REFERENCES room (id),
      version text NOT NULL CHECK (version IN ('VF', 'VOST', 'VO')),
      format text NOT NULL DEFAULT '2D' CHECK (format IN ('2D', '3D')),
      sme boolean NOT NULL DEFAULT false,
      ad boolean NOT NULL DEFAULT false,
      labels text[] NOT NULL DEFAULT '{}'
        CHECK (labels <@ ARRAY['art-et-essai', 'cine-seniors', 'cine-gouter', 'avant-premiere', 'debat', 'patrimoine']::text[]),
      price_note text CHECK (char_length(price_note) <= 200),
      booking_url text CHECK (char_length(booking_url) <= 500),
      status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      cancelled_at timestamptz
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX screening_room_start_key ON screening (room_id, starts_at) WHERE status = 'scheduled'`.execute(db);
  await sql`CREATE INDEX screening_starts_at_idx ON screening (starts_at)`.execute(db);
  await sql`CREATE INDEX screening_week_idx ON screening (week_start)`.execute(db);
  await sql`CREATE INDEX screening_tconst_idx ON screening (tconst)`.execute(db);

  await sql`
    CREATE TABLE programme_week (
      week_start date PRIMARY KEY CHECK (extract(isodow FROM week_start) = 3),
      published_at timestamptz,
      published_by integer
    )`.execute(db);

  await sql`
    CREATE TABLE owner_account (
      id serial PRIMARY KEY,
      email text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
      password_hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      failed_logins integer NOT NULL DEFAULT 0,
      locked_until timestamptz
    )`.execute(db);
  await sql`CREATE UNIQUE INDEX owner_account_email_key ON owner_account (lower(email))`.execute(db);

  await sql`
    CREATE TABLE owner_session (
      token_hash text PRIMARY KEY,
      owner_id integer NOT NULL REFERENCES owner_account (id) ON DELETE CASCADE,
      csrf_token text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    )`.execute(db);
  await sql`CREATE INDEX owner_session_expires_idx ON owner_session (expires_at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS owner_session`.execute(db);
  await sql`DROP TABLE IF EXISTS owner_account`.execute(db);
  await sql`DROP TABLE IF EXISTS programme_week`.execute(db);
  await sql`DROP TABLE IF EXISTS screening`.execute(db);
  await sql`DROP TABLE IF EXISTS room`.execute(db);
}
