import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { FeatureRepository } from '../src/embedding/features.repository';

describe('FeatureRepository.hasFilms (the recommender builds a first version at start only when there is something to embed)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  const insert = (tconst: string, type: string, adult: boolean) =>
    sql`INSERT INTO title (tconst, title_type, primary_title, original_title, is_adult) VALUES (${tconst}, ${type}, 'T', 'T', ${adult})`.execute(t.handle.db);

  it('counts only the films the build reads: no series, no adult title', async () => {
    const repo = new FeatureRepository(t.handle);
    expect(await repo.hasFilms()).toBe(false);
    await insert('tt0000001', 'tvSeries', false);
    await insert('tt0000002', 'movie', true);
    expect(await repo.hasFilms()).toBe(false);
    expect(await repo.films()).toEqual([]);
    await insert('tt0000003', 'movie', false);
    expect(await repo.hasFilms()).toBe(true);
    expect((await repo.films()).map((f) => f.tconst)).toEqual(['tt0000003']);
  });
});
