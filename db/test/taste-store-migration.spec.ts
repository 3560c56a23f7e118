import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '../src/testing/test-database';

/** The taste store's tables hold counts of well-formed films and ordered pairs, on both backends. */
describe.each([
  ['postgres', () => createTestDatabase()],
  ['pglite', () => createEmbeddedTestDatabase()],
])('taste store migration on %s', (_backend, create) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await create();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('keeps each pair once, smaller tconst first, and never a negative count or a malformed tconst', async () => {
    const db = t.handle.db;
    await db.insertInto('taste_pair').values({ film_a: 'tt0068646', film_b: 'tt0110912', co_likes: 1 }).execute();
    await expect(db.insertInto('taste_pair').values({ film_a: 'tt0110912', film_b: 'tt0068646', co_likes: 1 }).execute()).rejects.toThrow(/check/i);
    await expect(db.insertInto('taste_pair').values({ film_a: 'tt0068646', film_b: 'tt0068646', co_likes: 1 }).execute()).rejects.toThrow(/check/i);
    await expect(db.insertInto('taste_pair').values({ film_a: 'tt0068646', film_b: 'tt0110912', co_likes: 1 }).execute()).rejects.toThrow(/taste_pair_pkey/);
    await expect(db.insertInto('taste_film').values({ tconst: 'nm0000001', likes: 1 }).execute()).rejects.toThrow(/tconst/);
    await expect(db.insertInto('taste_film').values({ tconst: 'tt0068646', likes: -1 }).execute()).rejects.toThrow(/likes/);
    await db.insertInto('taste_film').values({ tconst: 'tt0068646', likes: 2 }).execute();
    expect(await db.selectFrom('taste_film').selectAll().execute()).toEqual([{ tconst: 'tt0068646', likes: 2, dislikes: 0, visits: 0 }]);
  });
});
