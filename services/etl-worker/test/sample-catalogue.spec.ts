import { createTestDatabase, type TestDatabase } from '@cine/db/src/testing/test-database';
import { importSampleCatalogue } from './sample-catalogue';
import { describeWithSamples } from './samples';

describeWithSamples('the shared sample catalogue', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('holds the famous films, their French titles and TMDB posters', async () => {
    await importSampleCatalogue(t.handle);
    const godfather = await t.handle.db.selectFrom('title').selectAll().where('tconst', '=', 'tt0068646').executeTakeFirstOrThrow();
    expect(godfather.primary_title).toBe('The Godfather');
    const amelie = await t.handle.db.selectFrom('title').select(['french_title']).where('tconst', '=', 'tt0211915').executeTakeFirstOrThrow();
    expect(amelie.french_title).toMatch(/Amélie/);
    const movies = await t.handle.db.selectFrom('title').select((eb) => eb.fn.countAll<number>().as('n')).where('title_type', '=', 'movie').executeTakeFirstOrThrow();
    expect(Number(movies.n)).toBeGreaterThan(2000);
    const posters = await t.handle.db.selectFrom('title_tmdb').select((eb) => eb.fn.countAll<number>().as('n')).where('poster_path', 'is not', null).executeTakeFirstOrThrow();
    expect(Number(posters.n)).toBeGreaterThan(100);
  });
});
