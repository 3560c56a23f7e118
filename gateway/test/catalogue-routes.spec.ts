import type { CatalogueStatus, FilmDetail, KpiData, KpiSummary, SearchResponse } from '@cine/common';
import { KPI_CATALOGUE, refreshKpis } from '@cine/db';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { deadline } from '@cine/common/testing';
import { posterVersion } from '../src/posters/poster-image';
import { getJson, type RunningGateway, startGateway } from './gateway-harness';

const GODFATHER = 'tt0068646';
const AMELIE = 'tt0211915';

/** Search, film details, KPIs and the catalogue status over real HTTP, on the real samples. */
describeWithSamples('gateway: search, films, KPIs and catalogue status on the sample catalogue', () => {
  let t: TestDatabase;
  let gw: RunningGateway;
  const search = async (q: string, extra = '') =>
    getJson<SearchResponse>(`${gw.url}/api/v1/films/search?q=${encodeURIComponent(q)}${extra}`);

  beforeAll(async () => {
    // Before any import: an empty catalogue, honestly not ready.
    const empty = await createTestDatabase();
    try {
      const fresh = await startGateway({ handle: empty.handle });
      try {
        const status = await getJson<CatalogueStatus>(`${fresh.url}/api/v1/catalogue/status`);
        expect(status.body).toMatchObject({ films: 0, series: 0, ready: false, import: { state: 'idle', finishedAt: null } });
      } finally {
        await fresh.close();
      }
    } finally {
      await empty.drop();
    }
    t = await createTestDatabase({ from: 'samples' });
    gw = await startGateway({ handle: t.handle });
    await refreshKpis(t.handle);
  }, deadline(120_000));
  afterAll(async () => {
    await gw?.close();
    await t?.drop();
  });

  describe('search', () => {
    it.each([
      ['amelie', AMELIE, 'exact'],
      ['AMÉLIE', AMELIE, 'exact'],
      ['fabuleux destin', AMELIE, 'prefix'],
      ["le fabuleux destin d'amelie poulain", AMELIE, 'exact'],
      ['amelie poulain', AMELIE, 'similar'],
      ['godfather', GODFATHER, 'exact'],
      ['godfater', GODFATHER, 'similar'],
      ['the godfater', GODFATHER, 'similar'],
      ['le parrain', GODFATHER, 'exact'],
      ['parrain', GODFATHER, 'exact'],
      ['pulp fictión', 'tt0110912', 'exact'],
    ])('"%s" finds %s first (%s)', async (q, tconst, match) => {
      const { status, body } = await search(q);
      expect(status).toBe(200);
      expect(body.query).toBe(q);
      expect(body.items[0]).toMatchObject({ tconst, match });
    });

    it('shows the French title and carries year, genres, rating, votes and posters', async () => {
      const { body } = await search('le parrain', '&limit=1');
      expect(body.items).toEqual([
        {
          tconst: GODFATHER,
          title: 'Le Parrain',
          primaryTitle: 'The Godfather',
          originalTitle: 'The Godfather',
          frenchTitle: 'Le Parrain',
          year: 1972,
          titleType: 'movie',
          genres: expect.arrayContaining(['Crime', 'Drama']),
          rating: expect.any(Number),
          votes: expect.any(Number),
          // The poster's version is its TMDB file name: a new poster, a new URL.
          poster: {
            w185: expect.stringMatching(new RegExp(`^/posters/w185/${GODFATHER}\\.jpg\\?v=[A-Za-z0-9_-]+$`)),
            w342: expect.stringMatching(new RegExp(`^/posters/w342/${GODFATHER}\\.jpg\\?v=[A-Za-z0-9_-]+$`)),
            w500: expect.stringMatching(new RegExp(`^/posters/w500/${GODFATHER}\\.jpg\\?v=[A-Za-z0-9_-]+$`)),
          },
          match: 'exact',
        },
      ]);
      expect(body.items[0]!.votes).toBeGreaterThan(1_000_000);
    });

    it('tells homonyms apart by year, every one of them, most voted first', async () => {
      const { rows } = await sql<{ tconst: string; start_year: number | null; num_votes: number }>`
        select tconst, start_year, num_votes from title
        where 'hamlet' in (search_norm(primary_title), search_norm(original_title), coalesce(search_norm(french_title), ''))`.execute(t.handle.db);
      expect(rows.length).toBeGreaterThan(3);
      const { body } = await search('Hamlet', '&limit=50');
      const exact = body.items.filter((h) => h.match === 'exact');
      expect(new Set(exact.map((h) => h.tconst))).toEqual(new Set(rows.map((r) => r.tconst)));
      expect(exact.every((h) => typeof h.year === 'number')).toBe(true);
      expect(new Set(exact.map((h) => h.year)).size).toBeGreaterThan(3);
      const votes = exact.map((h) => h.votes);
      expect(votes).toEqual([...votes].sort((a, b) => b - a));
    });

    it('ranks exact titles, then prefixes, then similar titles', async () => {
      for (const q of ['hamlet', 'the three', 'paris', 'carmen']) {
        const { body } = await search(q, '&limit=50');
        const order = body.items.map((h) => ['exact', 'prefix', 'similar'].indexOf(h.match));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        expect(body.items.length).toBeGreaterThan(0);
      }
    });

    it('searches films and series, or one kind only', async () => {
      const { rows } = await sql<{ primary_title: string }>`
        select primary_title from title where title_type = 'tvSeries' and num_votes > 0 order by num_votes desc limit 1`.execute(t.handle.db);
      const seriesTitle = rows[0]!.primary_title;
      const all = await search(seriesTitle);
      expect(all.body.items.some((h) => h.titleType === 'tvSeries')).toBe(true);
      const films = await search(seriesTitle, '&type=movie&limit=50');
      expect(films.body.items.every((h) => h.titleType === 'movie')).toBe(true);
      const series = await search('the', '&type=series&limit=50');
      expect(series.body.items.every((h) => h.titleType === 'tvSeries' || h.titleType === 'tvMiniSeries')).toBe(true);
    });

    it('honours the limit, finds nothing for nonsense, and treats SQL as text', async () => {
      expect((await search('paris', '&limit=3')).body.items).toHaveLength(3);
      expect((await search('zqxwzqxwzqxw')).body.items).toEqual([]);
      const injection = await search("'; drop table catalogue_a.title; --");
      expect(injection.status).toBe(200);
      expect((await search('amelie')).body.items[0]?.tconst).toBe(AMELIE);
      for (const q of ['%', '_', '\\', "'", '"', '%%%%', 'a'.repeat(200)]) expect((await search(q)).status).toBe(200);
    });

    it('answers 400 naming the field for a bad query', async () => {
      const cases: Array<[string, RegExp]> = [
        ['', /querystring\/q is required/],
        ['?q=', /querystring\/q must NOT have fewer than 1 characters/],
        ['?q=x&limit=0', /querystring\/limit must be >= 1/],
        ['?q=x&limit=many', /querystring\/limit must be integer/],
        ['?q=x&type=films', /querystring\/type must be one of movie, series, all/],
        ['?q=x&sort=year', /querystring\/sort is not allowed/],
        [`?q=${'a'.repeat(201)}`, /querystring\/q must NOT have more than 200 characters/],
      ];
      for (const [query, message] of cases) {
        const { status, body } = await getJson<{ statusCode: number; error: string; message: string }>(`${gw.url}/api/v1/films/search${query}`);
        expect(status).toBe(400);
        expect(body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(message) });
      }
    });
  });

  describe('film detail', () => {
    it('gives titles, year, runtime, genres, rating, votes, TMDB overview, posters, countries, money', async () => {
      const { status, body } = await getJson<FilmDetail>(`${gw.url}/api/v1/films/${GODFATHER}`);
      expect(status).toBe(200);
      const tmdb = await t.handle.db.selectFrom('title_tmdb').selectAll().where('imdb_id', '=', GODFATHER).executeTakeFirstOrThrow();
      const v = posterVersion(tmdb.poster_path!);
      const title = await t.handle.db.selectFrom('title').selectAll().where('tconst', '=', GODFATHER).executeTakeFirstOrThrow();
      expect(body).toMatchObject({
        tconst: GODFATHER,
        title: 'Le Parrain',
        frenchTitle: 'Le Parrain',
        primaryTitle: 'The Godfather',
        titleType: 'movie',
        year: 1972,
        endYear: null,
        runtimeMinutes: title.runtime_minutes,
        genres: title.genres,
        rating: title.average_rating,
        votes: title.num_votes,
        overview: tmdb.overview,
        countries: tmdb.production_countries,
        originalLanguage: 'en',
        budget: tmdb.budget,
        revenue: tmdb.revenue,
        collection: tmdb.collection_name,
        poster: { w185: `/posters/w185/${GODFATHER}.jpg?v=${v}`, w342: `/posters/w342/${GODFATHER}.jpg?v=${v}`, w500: `/posters/w500/${GODFATHER}.jpg?v=${v}` },
      });
      expect(body.overview).toMatch(/Corleone/);
      expect(body.budget).toBeGreaterThan(0);
    });

    it('gives directors, writers and the top-billed cast in billing order; null posters and money when TMDB knows nothing', async () => {
      const { rows } = await sql<{ tconst: string }>`
        select t.tconst from title t
        where t.title_type = 'movie'
          and exists (select 1 from crew c where c.tconst = t.tconst and c.role = 'director')
          and exists (select 1 from credit c where c.tconst = t.tconst and c.category in ('actor', 'actress'))
          and not exists (select 1 from title_tmdb tm where tm.imdb_id = t.tconst)
        order by t.num_votes desc limit 1`.execute(t.handle.db);
      const tconst = rows[0]!.tconst;
      const directors = await t.handle.db
        .selectFrom('crew')
        .leftJoin('person', 'person.nconst', 'crew.nconst')
        .select(['crew.nconst', 'person.primary_name'])
        .where('crew.tconst', '=', tconst)
        .where('crew.role', '=', 'director')
        .orderBy('crew.ordering')
        .execute();
      const cast = await t.handle.db
        .selectFrom('credit')
        .select(['nconst', 'category'])
        .where('tconst', '=', tconst)
        .where('category', 'in', ['actor', 'actress', 'self'])
        .orderBy('ordering')
        .execute();
      const { body } = await getJson<FilmDetail>(`${gw.url}/api/v1/films/${tconst}`);
      expect(body.directors).toEqual(directors.map((d) => ({ nconst: d.nconst, name: d.primary_name ?? d.nconst })));
      expect(body.cast.map((c) => [c.nconst, c.category])).toEqual(cast.slice(0, 10).map((c) => [c.nconst, c.category]));
      expect(body.cast.every((c) => Array.isArray(c.characters) && c.name.length > 0)).toBe(true);
      expect(body).toMatchObject({ poster: null, budget: null, revenue: null, overview: null, countries: [], collection: null });
    });

    it('answers a JSON 404 for an unknown film and 400 for a malformed id', async () => {
      const missing = await getJson(`${gw.url}/api/v1/films/tt9999999999`);
      expect(missing).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found', message: 'no film tt9999999999 in the catalogue' } });
      const malformed = await getJson<{ message: string }>(`${gw.url}/api/v1/films/godfather`);
      expect(malformed.status).toBe(400);
      expect(malformed.body.message).toMatch(/^params\/tconst must match pattern/);
    });
  });

  describe('KPIs', () => {
    it('lists the whole KPI catalogue', async () => {
      const { status, body } = await getJson<KpiSummary[]>(`${gw.url}/api/v1/kpis`);
      expect(status).toBe(200);
      expect(body.map((k) => k.name)).toEqual(KPI_CATALOGUE.map((k) => k.name));
      for (const kpi of body) expect(kpi.columns.length).toBeGreaterThan(0);
    });

    it("serves every KPI's rows with the catalogue's columns", async () => {
      for (const kpi of KPI_CATALOGUE) {
        const { status, body } = await getJson<KpiData>(`${gw.url}/api/v1/kpis/${kpi.name}`);
        expect([kpi.name, status]).toEqual([kpi.name, 200]);
        expect(body.name).toBe(kpi.name);
        expect(Array.isArray(body.rows)).toBe(true);
        for (const row of body.rows) expect(Object.keys(row).sort()).toEqual(kpi.columns.map((c) => c.name).sort());
      }
    });

    it('answers a JSON 404 for an unknown KPI', async () => {
      const { status, body } = await getJson(`${gw.url}/api/v1/kpis/no_such_kpi`);
      expect(status).toBe(404);
      expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    });
  });

  it('reports the catalogue counts and the last import once the samples are in', async () => {
    const { body } = await getJson<CatalogueStatus>(`${gw.url}/api/v1/catalogue/status`);
    const counts = await sql<{ films: number; series: number }>`
      select count(*) filter (where title_type = 'movie')::int as films, count(*) filter (where title_type <> 'movie')::int as series from title`.execute(t.handle.db);
    // Films, but no embeddings built from them yet: recommendations cannot be served.
    expect(body).toMatchObject({ ...counts.rows[0], ready: false, import: { state: 'idle', progress: null } });
    // The import of this run's sample template.
    expect(Date.parse(body.import.finishedAt ?? '')).toBeGreaterThan(Date.now() - deadline(3_600_000));
    // The same catalogue once an embedding version is built from it (built once for the run).
    const built = await createTestDatabase({ from: 'samples-with-embeddings' });
    try {
      const withEmbeddings = await startGateway({ handle: built.handle });
      try {
        expect((await getJson<CatalogueStatus>(`${withEmbeddings.url}/api/v1/catalogue/status`)).body).toMatchObject({ ...counts.rows[0], ready: true });
      } finally {
        await withEmbeddings.close();
      }
    } finally {
      await built.drop();
    }
  });
});
