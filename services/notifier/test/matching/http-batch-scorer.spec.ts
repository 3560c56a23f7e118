/**
 * The real recommender runs onnxruntime in this process: its environment shares the host's typed
 * arrays with the test realm (see the file).
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { createLogger, type RecommendResponse, roundScore } from '@cine/common';
import { deadline } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { type RunningRecommender, startRecommender } from '@cine/recommender';
import { HttpBatchScorer, RecommenderUnavailable } from '../../src/matching/http-batch-scorer';
import type { SubscriberTaste } from '../../src/matching/matching.contract';

const silentLog = createLogger('notifier-matching-test', { level: 'silent' });
const GODFATHER = 'tt0068646';
const JEDI = 'tt0086190';
const PULP_FICTION = 'tt0110912';
const AMELIE = 'tt0211915';
const STAR_WARS = 'tt0076759';
const LION_KING = 'tt0110357';

async function single(url: string, taste: SubscriberTaste, candidates: string[]): Promise<RecommendResponse> {
  const res = await fetch(`${url}/v1/recommendations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ liked: taste.liked, ...(taste.disliked.length > 0 ? { disliked: taste.disliked } : {}), candidates }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as RecommendResponse;
}

describeWithSamples('notifier: HttpBatchScorer against the real recommender', () => {
  let t: TestDatabase;
  let recommender: RunningRecommender;
  let popular: string[];
  let tastes: SubscriberTaste[];

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples-with-embeddings' });
    recommender = await startRecommender({ handle: t.handle, log: silentLog, pollIntervalMs: 0 });
    const v = recommender.holder.version!;
    popular = [...v.items.keys()].sort((a, b) => v.items[b]!.votes - v.items[a]!.votes || a - b).slice(0, 2000).map((r) => v.items[r]!.tconst);
    const prefs = { alerts: true, digest: true };
    tastes = [
      { subscriberId: 'a', liked: [STAR_WARS], disliked: [], preferences: prefs },
      { subscriberId: 'b', liked: [PULP_FICTION, GODFATHER], disliked: [AMELIE], preferences: prefs },
      { subscriberId: 'c', liked: [], disliked: [], preferences: prefs },
      ...Array.from({ length: 17 }, (_, i) => ({ subscriberId: `r${i}`, liked: [popular[(i * 37) % 2000]!, popular[(i * 101 + 5) % 2000]!, popular[(i * 13 + 7) % 2000]!], disliked: [], preferences: prefs })),
    ];
  }, deadline(180_000));
  afterAll(async () => {
    await recommender?.close();
    await t?.drop();
  });

  it('scores every subscriber in chunks, in order, as the single route scores each taste (scores, order, threshold, reasons)', async () => {
    const candidates = [JEDI, AMELIE, LION_KING, GODFATHER, ...popular.filter((_, i) => i % 211 === 3)];
    const scorer = new HttpBatchScorer({ baseUrl: recommender.url, chunkSize: 7, inFlight: 2 });
    const answers = await scorer.score(tastes, candidates);
    expect(answers.map((a) => a.subscriberId)).toEqual(tastes.map((s) => s.subscriberId));
    for (const [i, taste] of tastes.entries()) {
      const want = await single(recommender.url, taste, candidates);
      const got = answers[i]!;
      expect([taste.subscriberId, got.fitScore]).toEqual([taste.subscriberId, want.fitScore ?? null]);
      expect(got.films.map((f) => f.tconst)).toEqual(want.items.map((f) => f.tconst));
      expect(got.films.map((f) => ({ score: f.score, reason: f.reason, reasons: f.reasons }))).toEqual(want.items.map((f) => ({ score: f.score, reason: f.reason, reasons: f.reasons })));
    }
    expect(answers[2]!.fitScore).toBeNull();
    expect(answers[1]!.films.map((f) => f.tconst)).not.toContain(GODFATHER);
  });

  it('top, reasons and fit pass through; more films than one call takes are split and merged', async () => {
    const scorer = new HttpBatchScorer({ baseUrl: recommender.url, chunkSize: 50 });
    const films = popular.slice(0, 230);
    const all = await scorer.score(tastes.slice(0, 4), films);
    const firstPart = await scorer.score(tastes.slice(0, 4), films.slice(0, 200));
    for (const [i, answer] of all.entries()) {
      expect(answer.fitScore).toEqual(firstPart[i]!.fitScore);
      const scores = answer.films.map((f) => f.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      expect(answer.films.length).toBeGreaterThan(firstPart[i]!.films.length);
      const byFilm = new Map(answer.films.map((f) => [f.tconst, f.score]));
      for (const f of firstPart[i]!.films) expect(byFilm.get(f.tconst)).toBe(f.score);
    }
    const three = await scorer.score(tastes.slice(0, 4), films, { top: 3, reasons: false, fit: false });
    three.forEach((answer, i) => {
      expect(answer.fitScore).toBeNull();
      expect(answer.films.map((f) => [f.tconst, f.score])).toEqual(all[i]!.films.slice(0, 3).map((f) => [f.tconst, f.score]));
      for (const f of answer.films) expect([f.reason, f.reasons]).toEqual([{ fr: '', en: '' }, []]);
    });
  });

  it('scores only travel as numbers both ways and give the FilmScore values the JSON answer gives; scoreMatrix holds them unrounded, NaN for a taste\'s own films', async () => {
    const candidates = [JEDI, AMELIE, LION_KING, GODFATHER, ...popular.filter((_, i) => i % 211 === 3)];
    const scorer = new HttpBatchScorer({ baseUrl: recommender.url, chunkSize: 6 });
    const json = await scorer.score(tastes, candidates);
    const numbers = await scorer.score(tastes, candidates, { reasons: false });
    for (const [i, answer] of numbers.entries()) {
      expect([answer.subscriberId, answer.fitScore]).toEqual([tastes[i]!.subscriberId, json[i]!.fitScore]);
      expect(answer.films.map((f) => [f.tconst, f.score])).toEqual(json[i]!.films.map((f) => [f.tconst, f.score]));
    }
    const matrix = await scorer.scoreMatrix(tastes, candidates, { fit: false });
    expect(matrix.films).toEqual(candidates);
    expect(matrix.fitScores).toBeNull();
    const width = candidates.length;
    const b = tastes.findIndex((t) => t.subscriberId === 'b');
    for (const own of [GODFATHER, AMELIE]) expect(matrix.scores[b * width + candidates.indexOf(own)]).toBeNaN();
    expect([...matrix.coldStart].flatMap((c, i) => (c === 1 ? [tastes[i]!.subscriberId] : []))).toEqual(['c']);
    for (const [i, answer] of json.entries()) {
      const fromMatrix = new Map<string, number>();
      candidates.forEach((film, j) => {
        const v = matrix.scores[i * width + j]!;
        if (!Number.isNaN(v)) fromMatrix.set(film, matrix.coldStart[i] === 1 ? Number(matrix.cold[j]!.toFixed(6)) : roundScore(v));
      });
      expect([answer.subscriberId, fromMatrix]).toEqual([answer.subscriberId, new Map(answer.films.map((f) => [f.tconst, f.score]))]);
    }
    // A title that is no tconst is refused before sending, by its place, never its value.
    const bad = scorer.score([{ subscriberId: 'x', liked: [GODFATHER, 'le parrain'], disliked: [], preferences: { alerts: true, digest: true } }], [JEDI], { reasons: false });
    await expect(bad).rejects.toThrow(/tastes\/0\/liked\/1: not an IMDb title id/);
    await expect(bad).rejects.not.toThrow(/parrain/);
  });

  it('says which field the recommender refused, and that it cannot be reached', async () => {
    const scorer = new HttpBatchScorer({ baseUrl: recommender.url });
    await expect(scorer.score([{ subscriberId: 'x', liked: ['le parrain'], disliked: [], preferences: { alerts: true, digest: true } }], [JEDI])).rejects.toThrow(/400 .*tastes\/0\/liked\/0/);
    const closed = new HttpBatchScorer({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 5000 });
    await expect(closed.score(tastes.slice(0, 1), [JEDI])).rejects.toBeInstanceOf(RecommenderUnavailable);
    expect(await scorer.score([], [JEDI])).toEqual([]);
    expect(await scorer.score(tastes.slice(0, 1), [])).toEqual([{ subscriberId: 'a', fitScore: null, films: [] }]);
  });
});

describe('notifier: HttpBatchScorer while the recommender has no embedding version', () => {
  let t: TestDatabase;
  let recommender: RunningRecommender;

  beforeAll(async () => {
    t = await createTestDatabase();
    recommender = await startRecommender({ handle: t.handle, log: silentLog, pollIntervalMs: 0 });
  });
  afterAll(async () => {
    await recommender?.close();
    await t?.drop();
  });

  it('throws RecommenderUnavailable (the job retries later)', async () => {
    const scorer = new HttpBatchScorer({ baseUrl: recommender.url });
    await expect(scorer.score([{ subscriberId: 'a', liked: [STAR_WARS], disliked: [], preferences: { alerts: true, digest: true } }], [JEDI])).rejects.toThrow(RecommenderUnavailable);
  });
});
