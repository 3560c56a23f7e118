import { type Kysely, sql } from 'kysely';

/**
 * The taste store: what the customers' visits taught, as counts only (issue 17). Owned by the
 * gateway, which sees every recommendation request (its answer cache included) and writes these
 * rows; the recommender reads them for its collaborative block.
 *
 * - `taste_film`: per film, the visits that liked it, disliked it, and that named it at all
 *   (the evidence the collaborative block's weight grows with).
 * - `taste_pair`: per pair of films liked in the same visit, how many visits did; each pair once,
 *   as (smaller tconst, larger tconst).
 *
 * Nothing here says who, when or which visit: no basket, no visit id, no address, no time stamp.
 * The caps on one visit and one address (docs/recommender.md) are enforced by the writer before
 * it adds to these counts.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE taste_film (
      tconst text PRIMARY KEY CHECK (tconst ~ '^tt[0-9]{7,10}$'),
      likes integer NOT NULL DEFAULT 0 CHECK (likes >= 0),
      dislikes integer NOT NULL DEFAULT 0 CHECK (dislikes >= 0),
      visits integer NOT NULL DEFAULT 0 CHECK (visits >= 0)
    )`.execute(db);
  await sql`
    CREATE TABLE taste_pair (
      film_a text NOT NULL CHECK (film_a ~ '^tt[0-9]{7,10}$'),
      film_b text NOT NULL CHECK (film_b ~ '^tt[0-9]{7,10}$'),
      co_likes integer NOT NULL DEFAULT 0 CHECK (co_likes >= 0),
      PRIMARY KEY (film_a, film_b),
      CHECK (film_a < film_b)
    )`.execute(db);
  // The primary key serves lookups by film_a; this one by film_b (a film's co-liked films).
  await sql`CREATE INDEX taste_pair_film_b_idx ON taste_pair (film_b)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS taste_pair`.execute(db);
  await sql`DROP TABLE IF EXISTS taste_film`.execute(db);
}
