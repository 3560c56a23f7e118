import { type RawBuilder, sql } from 'kysely';

/**
 * A jsonb value for an insert or update. Sent as text and cast on the server: postgres.js
 * JSON-encodes parameters it sees typed as jsonb, so a pre-encoded string would be stored as a
 * JSON string, and PGlite does the same; a text parameter is left alone by both.
 */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`${JSON.stringify(value)}::text::jsonb`;
}
