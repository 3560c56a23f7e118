import type { SearchResponse } from '@cine/common';
import { createEmbeddedTestDatabase, type TestDatabase } from '@cine/db/testing';
import { etlFor, SAMPLE_POLICY } from '@cine/etl-worker/testing/etl-harness';
import { describeWithSamples, IMDB, TMDB } from '@cine/etl-worker/testing/samples';
import { posterVersion } from '../src/posters/poster-image';
import { getJson, type RunningGateway, startGateway } from './gateway-harness';
import { deadline } from '@cine/common/testing';

/** `npm start` runs on PGlite: the same search (search_norm, pg_trgm, transaction-local settings) must work there. */
describeWithSamples('gateway search on the embedded PGlite database', () => {
  let t: TestDatabase;
  let gw: RunningGateway;
  beforeAll(async () => {
    t = await createEmbeddedTestDatabase();
    const etl = etlFor(t.handle);
    await etl.importer.run({ imdb: { sources: [IMDB('famous-40')], policy: SAMPLE_POLICY }, tmdb: { sources: [TMDB('tmdb_full.csv')] } });
    gw = await startGateway({ handle: t.handle });
  }, deadline(120_000));
  afterAll(async () => {
    await gw?.close();
    await t?.drop();
  });

  it.each([
    ['le parrain', 'tt0068646'],
    ['godfater', 'tt0068646'],
    ['AMÉLIE', 'tt0211915'],
    ['fabuleux destin', 'tt0211915'],
  ])('"%s" finds %s first', async (q, tconst) => {
    const { status, body } = await getJson<SearchResponse>(`${gw.url}/api/v1/films/search?q=${encodeURIComponent(q)}`);
    expect(status).toBe(200);
    expect(body.items[0]?.tconst).toBe(tconst);
  });

  it('serves film details there too', async () => {
    const { status, body } = await getJson<{ title: string; poster: { w185: string } | null }>(`${gw.url}/api/v1/films/tt0068646`);
    expect(status).toBe(200);
    expect(body.title).toBe('Le Parrain');
    const tmdb = await t.handle.db.selectFrom('title_tmdb').select('poster_path').where('imdb_id', '=', 'tt0068646').executeTakeFirst();
    expect(body.poster?.w185 ?? null).toBe(tmdb?.poster_path ? `/posters/w185/tt0068646.jpg?v=${posterVersion(tmdb.poster_path)}` : null);
  });
});
