import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from './samples';

/**
 * The catalogue the reading suites copy: imported once per run by the jest global setup (every
 * sample through the real ETL, see sample-catalogue.ts), and what each copy starts with.
 */
describeWithSamples('the shared sample catalogue', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples' });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('holds the famous films, their French titles and TMDB posters', async () => {
    const godfather = await t.handle.db.selectFrom('title').selectAll().where('tconst', '=', 'tt0068646').executeTakeFirstOrThrow();
    expect(godfather.primary_title).toBe('The Godfather');
    const amelie = await t.handle.db.selectFrom('title').select(['french_title']).where('tconst', '=', 'tt0211915').executeTakeFirstOrThrow();
    expect(amelie.french_title).toMatch(/Amélie/);
    const movies = await t.handle.db.selectFrom('title').select((eb) => eb.fn.countAll<number>().as('n')).where('title_type', '=', 'movie').executeTakeFirstOrThrow();
    expect(Number(movies.n)).toBeGreaterThan(2000);
    const posters = await t.handle.db.selectFrom('title_tmdb').select((eb) => eb.fn.countAll<number>().as('n')).where('poster_path', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(posters.n)).toBeGreaterThan(100);
  });

  it('is a copy of its own: what one suite writes, the next copy does not see', async () => {
    await t.handle.db.deleteFrom('title_tmdb').execute();
    const other = await createTestDatabase({ from: 'samples' });
    try {
      const posters = await other.handle.db.selectFrom('title_tmdb').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(posters.n)).toBeGreaterThan(100);
    } finally {
      await other.drop();
    }
  });
});
