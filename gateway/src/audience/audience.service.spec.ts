import type { RecommendRequest, RecommendResponse } from '@cine/common';
import type { RecommenderClient } from '../recommendations/recommender.repository';
import type { AudienceSource, AudienceTastes } from './audience-source';
import { NoAudienceSource } from './audience-source';
import { AudienceService, NO_AUDIENCE_MESSAGE, NO_SUBSCRIBERS_MESSAGE, topReasons } from './audience.service';

/**
 * The audience figures over a fake source of tastes and a fake recommender: which tastes fit
 * (the "pour vous" rule), and which reasons come up most. The route is the integration tier's
 * (gateway/test/programme-matches.spec.ts).
 */

const FILM = 'tt0086190';

class FakeSource implements AudienceSource {
  readonly name = 'fake-subscribers';
  constructor(private readonly lists: string[][]) {}
  async tastes(): Promise<AudienceTastes> {
    return { kind: 'liked-lists', lists: this.lists };
  }
}

/** Scores the film by the first liked film: `fit` lists fit it, `near` ones score under the threshold. */
function fakeRecommender(byFirstLiked: Record<string, 'fit' | 'near' | 'cold' | 'absent'>): RecommenderClient & { calls: RecommendRequest[] } {
  const calls: RecommendRequest[] = [];
  return {
    calls,
    async recommend(request): Promise<RecommendResponse> {
      calls.push(request);
      const kind = byFirstLiked[request.liked[0]!]!;
      const base = { version: 1, coldStart: kind === 'cold', unknown: [], encoded: [], ...(kind === 'cold' ? {} : { fitScore: 0.8 }) };
      if (kind === 'absent') return { ...base, items: [] };
      const reasons =
        request.liked[0] === 'tt0076759'
          ? [{ kind: 'collection' as const, values: ['Star Wars'], because: ['tt0076759'] }, { kind: 'genres' as const, values: ['Action', 'Adventure'] }]
          : [{ kind: 'genres' as const, values: ['Adventure'] }];
      return { ...base, items: [{ tconst: FILM, score: kind === 'fit' ? 0.9 : 0.5, reason: { fr: 'x', en: 'x' }, reasons }] };
    },
    async ready() {
      return { ok: true };
    },
  };
}

describe('AudienceService', () => {
  it("with no source: the 'none' answer, and no call to the recommender", async () => {
    const recommender = fakeRecommender({});
    const answer = await new AudienceService(new NoAudienceSource(), recommender).audience(FILM);
    expect(answer).toEqual({ tconst: FILM, tastes: 0, fits: 0, reasons: [], source: 'none', message: NO_AUDIENCE_MESSAGE });
    expect(answer.message).toMatch(/^Pas encore de données d'audience : /);
    expect(recommender.calls).toEqual([]);
  });

  it('counts the tastes the film fits and tallies their reasons, one recommender request per taste scoring this film only', async () => {
    const lists = [['tt0076759'], ['tt0076759', 'tt0080684'], ['tt0133093'], ['tt0110357'], ['tt0211915'], []];
    const recommender = fakeRecommender({ tt0076759: 'fit', tt0133093: 'fit', tt0110357: 'near', tt0211915: 'absent' });
    const answer = await new AudienceService(new FakeSource(lists), recommender).audience(FILM);
    // The empty list is no taste.
    expect(answer).toEqual({
      tconst: FILM,
      tastes: 5,
      fits: 3,
      reasons: [
        { kind: 'genres', value: 'Adventure', count: 3 },
        { kind: 'collection', value: 'Star Wars', count: 2 },
        { kind: 'genres', value: 'Action', count: 2 },
      ],
      source: 'fake-subscribers',
    });
    expect(recommender.calls).toHaveLength(5);
    for (const call of recommender.calls) expect(call.candidates).toEqual([FILM]);
  });

  it('a source with no taste yet (no confirmed subscriber): zeros, the source named, a message saying why, no call', async () => {
    const recommender = fakeRecommender({});
    const answer = await new AudienceService(new FakeSource([[], []]), recommender).audience(FILM);
    expect(answer).toEqual({ tconst: FILM, tastes: 0, fits: 0, reasons: [], source: 'fake-subscribers', message: NO_SUBSCRIBERS_MESSAGE });
    expect(recommender.calls).toEqual([]);
  });

  it('a cold start (nothing of the taste known) fits nothing', async () => {
    const answer = await new AudienceService(new FakeSource([['tt9999999']]), fakeRecommender({ tt9999999: 'cold' })).audience(FILM);
    expect(answer).toMatchObject({ tastes: 1, fits: 0, reasons: [] });
  });

  it('topReasons counts a value once per taste and keeps the five most given', () => {
    const perTaste = [
      [{ kind: 'genres' as const, values: ['Drama', 'Drama'] }, { kind: 'director' as const, values: ['A', 'B', 'C', 'D', 'E', 'F'] }],
      [{ kind: 'genres' as const, values: ['Drama'] }],
    ];
    const top = topReasons(perTaste);
    expect(top).toHaveLength(5);
    expect(top[0]).toEqual({ kind: 'genres', value: 'Drama', count: 2 });
  });
});
