import type { RecommendedFilm, RecommendRequest, RecommendResponse } from '@cine/common';
import type { CastRow, CrewRow, FilmRepository, FilmRow } from '../films/film.repository';
import { FilmService } from '../films/film.service';
import type { SearchRepository, SearchRow, TitleKind } from '../films/search.repository';
import { RecommendationCache } from './recommendation.cache';
import { DEFAULT_K, RecommendationService } from './recommendation.service';
import type { RecommenderClient } from './recommender.repository';

/**
 * The gateway's recommendation logic over repositories held in memory: what a customer's words
 * resolve to, what the recommender is asked, what comes back and what is kept. The real
 * search, database and recommender are the integration tier's (gateway/test/recommendations.spec.ts).
 */

const GODFATHER = 'tt0068646';
const GODFATHER_II = 'tt0071562';
const PULP_FICTION = 'tt0110912';
const AMELIE = 'tt0211915';
const KAAMELOTT = 'tt0448070';
const SERPICO = 'tt0070666';

function film(tconst: string, primary: string, french: string | null, year: number, type = 'movie'): FilmRow {
  return {
    tconst,
    title_type: type,
    primary_title: primary,
    original_title: primary,
    french_title: french,
    start_year: year,
    end_year: null,
    runtime_minutes: 120,
    genres: ['Drama'],
    average_rating: 8,
    num_votes: 1000,
    overview: null,
    poster_path: `/${tconst}.jpg`,
    production_countries: ['US'],
    original_language: 'en',
    budget: null,
    revenue: null,
    collection_name: null,
  };
}

const CATALOGUE: FilmRow[] = [
  film(GODFATHER, 'The Godfather', 'Le Parrain', 1972),
  film(GODFATHER_II, 'The Godfather Part II', 'Le Parrain, 2e partie', 1974),
  film(PULP_FICTION, 'Pulp Fiction', null, 1994),
  film(AMELIE, 'Amélie', "Le fabuleux destin d'Amélie Poulain", 2001),
  film(SERPICO, 'Serpico', null, 1973),
  film(KAAMELOTT, 'Kaamelott', null, 2005, 'tvSeries'),
];

/** Title search as the database does it, reduced to what the service relies on: a kind, best first. */
class MemorySearch {
  readonly queries: Array<{ query: string; kind: TitleKind }> = [];
  async search(query: string, limit: number, kind: TitleKind): Promise<SearchRow[]> {
    this.queries.push({ query, kind });
    const q = query.trim().toLowerCase();
    const types = kind === 'movie' ? ['movie'] : kind === 'series' ? ['tvSeries', 'tvMiniSeries'] : ['movie', 'tvSeries', 'tvMiniSeries'];
    return CATALOGUE.filter((f) => types.includes(f.title_type) && [f.primary_title, f.french_title ?? ''].some((t) => t.toLowerCase().startsWith(q)))
      .slice(0, limit)
      .map((f) => ({ ...f, rank: 1, similarity: 1 }));
  }
}

class MemoryFilms {
  stamp = 'public/1';
  readonly requested: string[][] = [];
  async films(tconsts: readonly string[]): Promise<FilmRow[]> {
    this.requested.push([...tconsts]);
    return CATALOGUE.filter((f) => tconsts.includes(f.tconst));
  }
  async crew(tconsts: readonly string[]): Promise<CrewRow[]> {
    return tconsts.includes(GODFATHER) ? [{ tconst: GODFATHER, role: 'director', nconst: 'nm0000338', name: 'Francis Ford Coppola' }] : [];
  }
  async cast(_tconsts: readonly string[]): Promise<CastRow[]> {
    return [];
  }
  async catalogueStamp(): Promise<string> {
    return this.stamp;
  }
}

/** The recommender: answers what the test scripts, and remembers what it was asked. */
class ScriptedRecommender implements RecommenderClient {
  readonly asked: RecommendRequest[] = [];
  items: string[] = [GODFATHER_II, SERPICO];
  unknown: string[] = [];
  version = 3;
  failure: Error | null = null;
  async recommend(request: RecommendRequest): Promise<RecommendResponse> {
    this.asked.push(request);
    if (this.failure) throw this.failure;
    const items: RecommendedFilm[] = this.items.map((tconst, i) => ({
      tconst,
      score: 1 - i / 10,
      reason: { fr: `raison ${tconst}`, en: `reason ${tconst}` },
      reasons: [{ kind: 'similar', values: [], because: request.liked }],
    }));
    return { version: this.version, coldStart: request.liked.length === 0, unknown: this.unknown, encoded: [], items };
  }
  async ready() {
    return { ok: true };
  }
}

function setup() {
  const search = new MemorySearch();
  const films = new MemoryFilms();
  const recommender = new ScriptedRecommender();
  const clock = { now: 0, newestReady: 3 as number | null };
  const cache = new RecommendationCache(
    { newestReady: async () => clock.newestReady, catalogueStamp: async () => films.stamp },
    { checkIntervalMs: 1000, now: () => clock.now },
  );
  const filmService = new FilmService(search as unknown as SearchRepository, films as unknown as FilmRepository);
  const service = new RecommendationService(filmService, recommender, cache);
  return { service, search, films, recommender, clock };
}

/** Lets a cache check started beside a request finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RecommendationService', () => {
  it('resolves titles through the search and tconsts through the catalogue, and asks the recommender with each film once', async () => {
    const { service, recommender } = setup();
    const answer = await service.recommend({ liked: ['le parrain', GODFATHER, ' pulp fiction '], disliked: ['amélie'] });
    expect(answer.resolved.liked).toEqual([
      { input: 'le parrain', status: 'resolved', tconst: GODFATHER, title: 'Le Parrain', year: 1972 },
      { input: GODFATHER, status: 'resolved', tconst: GODFATHER, title: 'Le Parrain', year: 1972 },
      { input: ' pulp fiction ', status: 'resolved', tconst: PULP_FICTION, title: 'Pulp Fiction', year: 1994 },
    ]);
    expect(answer.resolved.disliked).toEqual([{ input: 'amélie', status: 'resolved', tconst: AMELIE, title: "Le fabuleux destin d'Amélie Poulain", year: 2001 }]);
    // Typed twice, asked once; the service's defaults filled in, nothing it was not given.
    expect(recommender.asked).toEqual([{ liked: [GODFATHER, PULP_FICTION], disliked: [AMELIE], k: DEFAULT_K }]);
  });

  it('takes a film before a series, and a series only when no film matches', async () => {
    const { service, search, recommender } = setup();
    const answer = await service.recommend({ liked: ['kaamelott', 'serpico'] });
    expect(answer.resolved.liked.map((e) => [e.input, e.tconst])).toEqual([
      ['kaamelott', KAAMELOTT],
      ['serpico', SERPICO],
    ]);
    expect(search.queries.filter((q) => q.query === 'serpico').map((q) => q.kind)).toEqual(['movie']);
    expect(search.queries.filter((q) => q.query === 'kaamelott').map((q) => q.kind)).toEqual(['movie', 'series']);
    expect(recommender.asked[0]!.liked).toEqual([KAAMELOTT, SERPICO]);
  });

  it('reports what it cannot resolve as not found and leaves it out of the question; a blank entry is never searched', async () => {
    const { service, search, recommender } = setup();
    const answer = await service.recommend({ liked: ['tt9999999', 'zzz no such film', '   ', GODFATHER] });
    expect(answer.resolved.liked.map((e) => [e.input, e.status, e.tconst])).toEqual([
      ['tt9999999', 'not_found', null],
      ['zzz no such film', 'not_found', null],
      ['   ', 'not_found', null],
      [GODFATHER, 'resolved', GODFATHER],
    ]);
    expect(search.queries.map((q) => q.query)).not.toContain('');
    expect(search.queries.map((q) => q.query)).not.toContain('   ');
    expect(recommender.asked[0]!.liked).toEqual([GODFATHER]);
  });

  it('marks not found a film the recommender does not know (no embedding yet), though the catalogue holds it', async () => {
    const { service, recommender } = setup();
    recommender.unknown = [AMELIE];
    const answer = await service.recommend({ liked: [GODFATHER], disliked: [AMELIE] });
    expect(answer.resolved.liked[0]!.status).toBe('resolved');
    expect(answer.resolved.disliked[0]).toMatchObject({ input: AMELIE, status: 'not_found', tconst: AMELIE });
  });

  it('never returns a film the customer gave, and drops one the catalogue has no details of', async () => {
    const { service, recommender } = setup();
    // The recommender echoes an input and names a film this catalogue does not hold.
    recommender.items = [GODFATHER, GODFATHER_II, 'tt0000001', SERPICO, AMELIE];
    const answer = await service.recommend({ liked: [GODFATHER], disliked: [AMELIE], k: 5 });
    expect(answer.items.map((i) => i.tconst)).toEqual([GODFATHER_II, SERPICO]);
  });

  it('enriches each film with its details, keeping the recommender’s order, scores, reasons and version', async () => {
    const { service, recommender } = setup();
    recommender.items = [SERPICO, GODFATHER];
    const answer = await service.recommend({ liked: [PULP_FICTION], k: 2, filters: { decades: [1970] }, diversity: 0.5 });
    expect(recommender.asked[0]).toEqual({ liked: [PULP_FICTION], disliked: [], k: 2, filters: { decades: [1970] }, diversity: 0.5 });
    expect(answer.version).toBe(3);
    expect(answer.coldStart).toBe(false);
    expect(answer.items.map((i) => [i.tconst, i.title, i.score, i.reason.fr])).toEqual([
      [SERPICO, 'Serpico', 1, `raison ${SERPICO}`],
      [GODFATHER, 'Le Parrain', 0.9, `raison ${GODFATHER}`],
    ]);
    expect(answer.items[1]!.directors).toEqual([{ nconst: 'nm0000338', name: 'Francis Ford Coppola' }]);
    expect(answer.items[1]!.poster?.w342).toBe(`/posters/w342/${GODFATHER}.jpg?v=${GODFATHER}`);
  });

  it('answers nothing liked as a cold start, asking the recommender with no films', async () => {
    const { service, recommender } = setup();
    const answer = await service.recommend({ liked: ['no such film'] });
    expect(recommender.asked[0]!.liked).toEqual([]);
    expect(answer.coldStart).toBe(true);
    expect(answer.items.length).toBe(2);
  });

  describe('kept answers', () => {
    it('answers the same request again with the answer kept (the same object), without the recommender; another k is another answer', async () => {
      const { service, recommender } = setup();
      const first = await service.recommend({ liked: ['le parrain'] });
      const again = await service.recommend({ liked: ['le parrain'], k: DEFAULT_K });
      expect(again).toBe(first);
      expect(recommender.asked).toHaveLength(1);
      expect(first.items.map((i) => i.tconst)).toEqual([GODFATHER_II, SERPICO]);
      await service.recommend({ liked: ['le parrain'], k: 3 });
      expect(recommender.asked).toHaveLength(2);
    });

    it('asks again once a newer embedding version is ready, and keeps no answer computed with an older one', async () => {
      const { service, recommender, clock } = setup();
      await service.recommend({ liked: [GODFATHER] });
      clock.newestReady = 4;
      clock.now = 1000;
      // The check runs beside this request, which still gets the answer kept: one query late at most.
      await service.recommend({ liked: [GODFATHER] });
      expect(recommender.asked).toHaveLength(1);
      await settle();
      // The recommender has not loaded version 4 yet: its version-3 answers are passed on, not kept.
      await service.recommend({ liked: [GODFATHER] });
      await service.recommend({ liked: [GODFATHER] });
      expect(recommender.asked).toHaveLength(3);
      recommender.version = 4;
      const v4 = await service.recommend({ liked: [GODFATHER] });
      expect(v4.version).toBe(4);
      await service.recommend({ liked: [GODFATHER] });
      expect(recommender.asked).toHaveLength(4);
    });

    it('asks again after the catalogue changed (a title may resolve to another film)', async () => {
      const { service, recommender, films, clock } = setup();
      await service.recommend({ liked: ['le parrain'] });
      films.stamp = 'public/2';
      clock.now = 1000;
      await service.recommend({ liked: ['le parrain'] });
      await settle();
      await service.recommend({ liked: ['le parrain'] });
      expect(recommender.asked).toHaveLength(2);
    });

    it('keeps no failure: the request after a recommender error is asked again', async () => {
      const { service, recommender } = setup();
      recommender.failure = new Error('recommender down');
      await expect(service.recommend({ liked: [GODFATHER] })).rejects.toThrow('recommender down');
      recommender.failure = null;
      const answer = await service.recommend({ liked: [GODFATHER] });
      expect(answer.items.length).toBe(2);
      expect(recommender.asked).toHaveLength(2);
    });
  });
});
