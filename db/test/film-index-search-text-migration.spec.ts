import { sql } from 'kysely';
import * as migration from '../src/migrations/20261211090000_film_index_search_text';
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '../src/testing/test-database';

/** Titles whose normalised forms are alike, differ only by accents and case, or differ. */
const FILMS = [
  ['tt0000001', 'Le Parrain', 'Le Parrain'],
  ['tt0000002', 'Amélie', 'AMELIE'],
  ['tt0000003', 'The Godfather', 'Il padrino'],
  ['tt0000004', 'Les Enfants du paradis', 'Les enfants du Paradis'],
  ['tt0000005', 'Tokyo Story', '東京物語'],
] as const;

/** The search text as migration 20261209090000_film_index computed it, for the same titles. */
const BEFORE = sql<string>`public.search_norm(primary_title) || CASE WHEN public.search_norm(original_title) <> public.search_norm(primary_title) THEN E'\\n' || public.search_norm(original_title) ELSE '' END`;

/** 20261211090000_film_index_search_text: the same text with fewer normalisations, on both backends. */
describe.each([
  ['postgres', () => createTestDatabase()],
  ['pglite', () => createEmbeddedTestDatabase()],
])('film index search text migration on %s', (_backend, create) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await create();
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function searchTexts(): Promise<Array<{ tconst: string; search_text: string; before: string }>> {
    const { rows } = await sql<{ tconst: string; search_text: string; before: string }>`
      SELECT tconst, search_text, ${BEFORE} AS before FROM public.film_index ORDER BY tconst`.execute(t.handle.db);
    return rows;
  }

  it('gives every film the search text the first definition gave, and keeps the view and the trigram index', async () => {
    for (const [tconst, primary, original] of FILMS) {
      await sql`INSERT INTO public.film_index (tconst, title_type, primary_title, original_title) VALUES (${tconst}, 'movie', ${primary}, ${original})`.execute(t.handle.db);
    }
    const rows = await searchTexts();
    expect(rows).toHaveLength(FILMS.length);
    for (const row of rows) expect(row.search_text).toBe(row.before);
    expect(rows.find((r) => r.tconst === 'tt0000003')!.search_text).toBe('the godfather\nil padrino');
    expect(rows.find((r) => r.tconst === 'tt0000002')!.search_text).toBe('amelie');
    const { rows: indexes } = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE tablename = 'film_index' AND indexname = 'film_index_search_text_trgm'`.execute(t.handle.db);
    expect(indexes).toHaveLength(2);
  });

  it('goes down to the first definition and up again, the rows recomputed each way', async () => {
    await migration.down(t.handle.db);
    expect((await searchTexts()).map((r) => r.search_text === r.before)).toEqual(FILMS.map(() => true));
    await migration.up(t.handle.db);
    expect((await searchTexts()).map((r) => r.search_text === r.before)).toEqual(FILMS.map(() => true));
  });
});
