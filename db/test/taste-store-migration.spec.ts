import { TasteStoreRepository } from '../src/taste/taste-store.repository';
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

  it('the repository adds visits to the counts in one go, reads them back, and wipes them', async () => {
    const store = new TasteStoreRepository(t.handle);
    await store.wipe();
    await store.add({ likes: ['tt0110912', 'tt0068646'], dislikes: ['tt0211915'], pairs: [['tt0068646', 'tt0110912']] });
    await store.add({ likes: ['tt0068646', 'tt0111161'], dislikes: [], pairs: [['tt0068646', 'tt0111161']] });
    expect(await store.read()).toEqual({
      films: [
        { tconst: 'tt0068646', likes: 2, dislikes: 0, visits: 2 },
        { tconst: 'tt0110912', likes: 1, dislikes: 0, visits: 1 },
        { tconst: 'tt0111161', likes: 1, dislikes: 0, visits: 1 },
        { tconst: 'tt0211915', likes: 0, dislikes: 1, visits: 1 },
      ],
      pairs: [
        { filmA: 'tt0068646', filmB: 'tt0110912', coLikes: 1 },
        { filmA: 'tt0068646', filmB: 'tt0111161', coLikes: 1 },
      ],
    });
    expect(await store.wipe()).toEqual({ films: 4, pairs: 2 });
    expect(await store.read()).toEqual({ films: [], pairs: [] });
  });
});
