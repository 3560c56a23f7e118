import type { RecommendRequest, RecommendResponse, ResolvedEntry, Screening, ScreeningsResponse } from '@cine/common';
import type { RecommenderClient } from '../recommendations/recommender.repository';
import { ProgrammeMatchService } from './programme-match.service';

/**
 * The matches over a fake programme, resolver and recommender: one call for the period, fitting
 * films first, the others after, nothing liked in start order. The real recommender and the
 * published séances are the integration tier's (gateway/test/programme-matches.spec.ts).
 */

const A = 'tt0000001';
const B = 'tt0000002';
const C = 'tt0000003';
const D = 'tt0000004';

function screening(id: string, tconst: string, startsAt: string, status: Screening['status'] = 'scheduled'): Screening {
  return {
    id,
    film: { tconst, title: tconst, primaryTitle: tconst, originalTitle: tconst, frenchTitle: null, year: 2000, runtimeMinutes: 100, genres: [], poster: null, originalLanguage: null },
    startsAt,
    endsAt: startsAt,
    room: 'Salle 1',
    version: 'VF',
    format: '2D',
    accessibility: { sme: false, ad: false },
    labels: [],
    priceNote: null,
    bookingUrl: null,
    status,
    icsUrl: `/api/v1/screenings/${id}.ics`,
  };
}

const programme: ScreeningsResponse = {
  from: '2026-12-09',
  to: '2026-12-15',
  timeZone: 'Europe/Paris',
  items: [
    screening('1', A, '2026-12-09T14:00:00+01:00'),
    screening('2', B, '2026-12-09T20:30:00+01:00'),
    screening('3', A, '2026-12-10T20:30:00+01:00'),
    screening('4', D, '2026-12-11T20:30:00+01:00', 'cancelled'),
    screening('5', C, '2026-12-12T20:30:00+01:00'),
  ],
};

const resolver = {
  async resolve(entries: readonly string[]): Promise<ResolvedEntry[]> {
    return entries.map((input) => (input.startsWith('tt') ? { input, status: 'resolved', tconst: input, title: input, year: 2000 } : { input, status: 'not_found', tconst: null, title: null, year: null }));
  },
};

function recommender(answer: Omit<RecommendResponse, 'version' | 'unknown' | 'encoded'>): RecommenderClient & { calls: RecommendRequest[] } {
  const calls: RecommendRequest[] = [];
  return {
    calls,
    async recommend(request) {
      calls.push(request);
      return { version: 1, unknown: [], encoded: [], ...answer };
    },
    async ready() {
      return { ok: true };
    },
  };
}

const reason = { fr: 'Même genre', en: 'Same genre' };
const genres = [{ kind: 'genres' as const, values: ['Drama'] }];

describe('ProgrammeMatchService', () => {
  it('one recommender call scores the period\'s scheduled films; fitting films first, the others after, unscored ones last', async () => {
    const rec = recommender({
      coldStart: false,
      fitScore: 0.7,
      items: [
        { tconst: B, score: 0.9, reason, reasons: genres },
        // Above the threshold but nothing links it to the taste: not "pour vous".
        { tconst: C, score: 0.8, reason: { fr: '', en: '' }, reasons: [] },
      ],
    });
    const service = new ProgrammeMatchService({ published: async () => programme }, resolver, rec);
    const answer = await service.matches({ liked: ['tt0076759', 'nope'], disliked: [A] });
    expect(rec.calls).toEqual([{ liked: ['tt0076759'], disliked: [A], candidates: [A, B, C] }]);
    expect(answer.coldStart).toBe(false);
    expect(answer.items.map((i) => [i.film.tconst, i.score, i.forYou])).toEqual([
      [B, 0.9, true],
      [C, 0.8, false],
      // An input (disliked) is not scored: listed last.
      [A, null, false],
    ]);
    expect(answer.items[0]!.reason).toEqual(reason);
    expect(answer.items[2]!.screenings.map((s) => s.id)).toEqual(['1', '3']);
    expect(answer.items[2]!.screenings[0]).not.toHaveProperty('film');
    expect(answer.resolved.liked[1]).toMatchObject({ input: 'nope', status: 'not_found' });
  });

  it('nothing liked (or nothing resolved): the films in start order, no scores, no call', async () => {
    const rec = recommender({ coldStart: false, items: [] });
    const service = new ProgrammeMatchService({ published: async () => programme }, resolver, rec);
    for (const liked of [[], ['nothing known']]) {
      const answer = await service.matches({ liked });
      expect(answer.coldStart).toBe(true);
      expect(answer.items.map((i) => [i.film.tconst, i.score, i.forYou, i.reason])).toEqual([
        [A, null, false, null],
        [B, null, false, null],
        [C, null, false, null],
      ]);
    }
    expect(rec.calls).toEqual([]);
  });

  it('the recommender answering a cold start (nothing usable): start order too', async () => {
    const rec = recommender({ coldStart: true, items: [{ tconst: C, score: 0.9, reason, reasons: genres }] });
    const answer = await new ProgrammeMatchService({ published: async () => programme }, resolver, rec).matches({ liked: ['tt0076759'] });
    expect(answer.coldStart).toBe(true);
    expect(answer.items.map((i) => i.film.tconst)).toEqual([A, B, C]);
  });

  it('the period and its errors are the programme\'s', async () => {
    const asked: unknown[] = [];
    const service = new ProgrammeMatchService(
      {
        published: async (q) => {
          asked.push(q);
          return { ...programme, items: [] };
        },
      },
      resolver,
      recommender({ coldStart: false, items: [] }),
    );
    const answer = await service.matches({ liked: ['tt0076759'], from: '2026-12-09', to: '2026-12-10', visitId: 'abcdefgh' });
    expect(asked).toEqual([{ from: '2026-12-09', to: '2026-12-10' }]);
    expect(answer.items).toEqual([]);
  });
});
