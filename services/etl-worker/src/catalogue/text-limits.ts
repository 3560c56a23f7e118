/**
 * How long a text the catalogue takes: one rule for the IMDb and the TMDB import.
 *
 * - A name (a title, a person's, company's or collection's name, a genre list) longer than
 *   MAX_NAME_BYTES of UTF-8 makes its row malformed: it is rejected and counted with its line,
 *   like a row with a missing field. No real name is that long (the samples' longest title is 271
 *   bytes), so such a row is broken, and titles feed btree indexes (the search's name lines, the
 *   KPIs' genre keys) whose entries cannot pass 2,704 bytes. `search_norm()` makes a title at most
 *   twice as long in bytes (measured over every code point on both backends: PGlite's unaccent
 *   turns '½' into ' 1/2', PostgreSQL 15's '㎮' into 'rad/s'), so 1,024 bytes stays under 2,048.
 * - A free text (TMDB's overview and tagline) longer than MAX_FREE_TEXT_CHARS is cut there, on a
 *   character boundary, and ends with '…': prose keeps its meaning when cut, and the rest of the
 *   row is good. Real overviews stay under 1,000 characters.
 *
 * Other fields are bounded by the readers' line limits only (1 MiB): none is indexed.
 */
export const MAX_NAME_BYTES = 1024;
export const MAX_FREE_TEXT_CHARS = 5000;

/** Whether `s` takes more than MAX_NAME_BYTES in UTF-8 (a UTF-16 unit is at most 3 bytes). */
export function isNameTooLong(s: string): boolean {
  return s.length * 3 > MAX_NAME_BYTES && Buffer.byteLength(s, 'utf8') > MAX_NAME_BYTES;
}

/** `s` cut to MAX_FREE_TEXT_CHARS, ending with '…', never between the two halves of a surrogate pair. */
export function cutFreeText(s: string): string {
  if (s.length <= MAX_FREE_TEXT_CHARS) return s;
  let end = MAX_FREE_TEXT_CHARS - 1;
  const last = s.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}
