/**
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import {
  BATCH_SCORES_BINARY,
  type BatchScoreRequest,
  type BatchScoreResponse,
  decodeBatchScores,
  encodeBatchTastes,
  type ErrorBody,
  RECOMMEND_BATCH_TASTES_MAX,
  type RecommendResponse,
  roundScore,
} from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { deadline } from '@cine/common/testing';
import { sql } from 'kysely';
import { type RunningRecommender, startRecommender } from '../src';
import { BatchScoreModel } from '../src/onnx/batch-score-model';
import { batch, post, silentLog } from './recommender-harness';

const GODFATHER = 'tt0068646';
const JEDI = 'tt0086190';
const PULP_FICTION = 'tt0110912';
const AMELIE = 'tt0211915';
const STAR_WARS = 'tt0076759';
const LION_KING = 'tt0110357';
const NOWHERE = 'tt0000000009';

/** Two answers agree: same films, scores within float rounding, and the same order but among films whose scores tie within it. */
function expectSameRanking(got: { tconst: string; score: number }[], want: { tconst: string; score: number }[]): void {
  expect(got.map((i) => i.tconst).sort()).toEqual(want.map((i) => i.tconst).sort());
  const wantScore = new Map(want.map((i) => [i.tconst, i.score]));
  for (const item of got) expect(Math.abs(item.score - wantScore.get(item.tconst)!)).toBeLessThanOrEqual(2e-6);
  got.forEach((item, i) => {
    if (item.tconst !== want[i]!.tconst) expect(Math.abs(item.score - want[i]!.score)).toBeLessThanOrEqual(2e-6);
  });
}

describeWithSamples('recommender: many tastes against the same films (POST /v1/recommendations/batch)', () => {
  let t: TestDatabase;
  let svc: RunningRecommender;
  let series: string;
  let candidates: string[];
  let tastes: BatchScoreRequest['tastes'];

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples-with-embeddings' });
    svc = await startRecommender({ handle: t.handle, log: silentLog, pollIntervalMs: 0 });
    const v = svc.holder.version!;
    const { rows } = await sql<{ tconst: string }>`
      SELECT tconst FROM title WHERE title_type = 'tvSeries' AND cardinality(genres) > 0 AND num_votes > 0 ORDER BY num_votes DESC, tconst LIMIT 1`.execute(t.handle.db);
    series = rows[0]!.tconst;
    expect(v.rowOf.has(series)).toBe(false);
    // The index's 3 000 most-voted films: a programme of 30 of them, tastes drawn among them.
    const popular = [...v.items.keys()].sort((a, b) => v.items[b]!.votes - v.items[a]!.votes || a - b).slice(0, 3000).map((r) => v.items[r]!.tconst);
    candidates = [...popular.filter((_, i) => i % 97 === 5).slice(0, 27), JEDI, AMELIE, series, NOWHERE];
    let seed = 7;
    const draw = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const random = Array.from({ length: 40 }, (_, i) => ({
      id: `random-${i}`,
      liked: Array.from({ length: 2 + (i % 6) }, () => popular[Math.floor(draw() * popular.length)]!),
      ...(i % 3 === 0 ? { disliked: [popular[Math.floor(draw() * popular.length)]!] } : {}),
    }));
    tastes = [
      { id: 'star-wars', liked: [STAR_WARS] },
      { id: 'programme-liked', liked: [PULP_FICTION, JEDI, GODFATHER], disliked: [AMELIE] },
      { id: 'series', liked: [series, LION_KING] },
      { id: 'cold', liked: [] },
      { id: 'only-unknown', liked: [NOWHERE], disliked: [GODFATHER] },
      ...random,
    ];
  }, deadline(180_000));
  afterAll(async () => {
    await svc?.close();
    await t?.drop();
  });

  it("answers each taste as the single route with candidates does: same films, order, scores, fitScore and reasons, with one ONNX product for all", async () => {
    const product = jest.spyOn(BatchScoreModel.prototype, 'scores');
    const res = await batch(svc.url, { tastes, candidates, reasons: true });
    expect(res.status).toBe(200);
    // Every taste against every film in one run, not a run per taste.
    expect(product).toHaveBeenCalledTimes(1);
    const [query, alpha, films] = product.mock.calls[0]!;
    expect(alpha.length).toBe(tastes.length - 2);
    expect(films.length / svc.holder.version!.dims).toBe(candidates.length - 1);
    expect(query.length).toBe(alpha.length * svc.holder.version!.dims);
    product.mockRestore();

    expect(res.body.version).toBe(svc.holder.version!.id);
    expect(res.body.unknown).toEqual([NOWHERE]);
    expect(res.body.tastes.map((a) => a.id)).toEqual(tastes.map((a) => a.id));
    let fits = 0;
    for (const [i, taste] of tastes.entries()) {
      const got = res.body.tastes[i]!;
      const single = await post<RecommendResponse>(svc.url, { liked: taste.liked, ...(taste.disliked ? { disliked: taste.disliked } : {}), candidates });
      expect(single.status).toBe(200);
      expect([taste.id, got.coldStart]).toEqual([taste.id, single.body.coldStart]);
      expect([taste.id, [...got.unknown, ...res.body.unknown]]).toEqual([taste.id, single.body.unknown]);
      expect([taste.id, got.encoded]).toEqual([taste.id, single.body.encoded]);
      expectSameRanking(got.items, single.body.items);
      if (single.body.fitScore === undefined) expect(got.fitScore).toBeUndefined();
      else {
        expect(Math.abs(got.fitScore! - single.body.fitScore)).toBeLessThanOrEqual(2e-6);
        fits++;
      }
      const reasons = new Map(single.body.items.map((item) => [item.tconst, { reason: item.reason, reasons: item.reasons }]));
      for (const item of got.items) expect({ tconst: item.tconst, reason: item.reason, reasons: item.reasons }).toEqual({ tconst: item.tconst, ...reasons.get(item.tconst) });
    }
    expect(fits).toBe(tastes.length - 2);
    // The inputs are left out of their own taste's answer; the series is placed by the encoder.
    const programmeLiked = res.body.tastes.find((a) => a.id === 'programme-liked')!;
    expect(programmeLiked.items.map((i) => i.tconst)).not.toContain(JEDI);
    expect(programmeLiked.items.map((i) => i.tconst)).not.toContain(AMELIE);
    expect(programmeLiked.items.map((i) => i.tconst)).toContain(series);
    expect(res.body.tastes.find((a) => a.id === 'series')!.encoded).toEqual([series]);
    expect(res.body.tastes.find((a) => a.id === 'only-unknown')).toMatchObject({ coldStart: true, unknown: [NOWHERE] });
  });

  it('top keeps the n best of each taste; without reasons or fit, scores only', async () => {
    const full = await batch(svc.url, { tastes: tastes.slice(0, 10), candidates });
    const three = await batch(svc.url, { tastes: tastes.slice(0, 10), candidates, top: 3, fit: false });
    expect(three.status).toBe(200);
    three.body.tastes.forEach((answer, i) => {
      expect(answer.items).toEqual(full.body.tastes[i]!.items.slice(0, 3));
      expect(answer.fitScore).toBeUndefined();
      for (const item of answer.items) expect(Object.keys(item).sort()).toEqual(['score', 'tconst']);
    });
    expect(full.body.tastes[0]!.fitScore).toEqual(expect.any(Number));
  });

  it('answers the same scores and fitScore as numbers on /v1/recommendations/batch/scores (own inputs NaN, cold rows, unknown and encoded per taste)', async () => {
    const json = await batch(svc.url, { tastes, candidates });
    const res = await fetch(`${svc.url}/v1/recommendations/batch/scores`, { method: 'POST', headers: { 'content-type': BATCH_SCORES_BINARY }, body: encodeBatchTastes(tastes, { candidates }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/octet-stream/);
    const { header, scores, fitScores } = decodeBatchScores(new Uint8Array(await res.arrayBuffer()));
    expect([header.version, header.unknown, header.tastes]).toEqual([json.body.version, json.body.unknown, tastes.length]);
    expect(header.films).toEqual(candidates.filter((c) => !json.body.unknown.includes(c)));
    const width = header.films.length;
    for (const [t, want] of json.body.tastes.entries()) {
      expect([want.id, header.coldStart.includes(t), header.unknownOf[t] ?? [], header.encodedOf[t] ?? []]).toEqual([want.id, want.coldStart, want.unknown, want.encoded]);
      if (want.fitScore === undefined) expect(fitScores![t]).toBeNaN();
      else expect([want.id, fitScores![t]]).toEqual([want.id, want.fitScore]);
      // The films the JSON answer holds, each with the very number it writes; the taste's own inputs NaN.
      const got = new Map<string, number>();
      header.films.forEach((film, j) => {
        const v = scores[t * width + j]!;
        if (!Number.isNaN(v)) got.set(film, want.coldStart ? Number(header.cold[j]!.toFixed(6)) : roundScore(v));
      });
      expect([want.id, got]).toEqual([want.id, new Map(want.items.map((i) => [i.tconst, i.score]))]);
    }
    // The encoder's series and the general path: a taste with a title outside the index.
    expect(header.encodedOf[tastes.findIndex((x) => x.id === 'series')]).toEqual([series]);
  });

  it('refuses a malformed numbers body naming the field, and JSON on the numbers route', async () => {
    const post = (body: Uint8Array | string, type = BATCH_SCORES_BINARY) => fetch(`${svc.url}/v1/recommendations/batch/scores`, { method: 'POST', headers: { 'content-type': type }, body });
    const body = encodeBatchTastes([{ liked: [GODFATHER] }, { liked: [JEDI, STAR_WARS] }], { candidates });
    // The second taste's second title overwritten with a number that is no title code.
    new DataView(body.buffer).setFloat64(body.length - 8, 0.5, true);
    for (const [res, field] of [
      [await post(body), /tastes\/1\/liked\/1/],
      [await post(encodeBatchTastes([{ liked: [GODFATHER] }], { candidates: ['le parrain'] as string[] })), /header\/candidates\/0/],
      [await post(body.subarray(0, body.length - 8)), /body/],
    ] as const) {
      expect([res.status, ((await res.json()) as ErrorBody).message]).toEqual([400, expect.stringMatching(field)]);
    }
    const asJson = await post(JSON.stringify({ tastes: [{ id: 'a', liked: [GODFATHER] }], candidates }), 'application/json');
    expect(asJson.status).toBe(415);
  });

  it('refuses a malformed batch, naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ tastes: [], candidates }, /tastes/],
      [{ tastes: [{ id: 'a', liked: ['le parrain'] }], candidates }, /tastes\/0\/liked\/0/],
      [{ tastes: [{ id: 'a', liked: [GODFATHER] }], candidates: ['le parrain'] }, /candidates/],
      [{ tastes: [{ id: 'a', liked: [GODFATHER] }], candidates, top: 0 }, /top/],
      [{ tastes: [{ id: 'a', liked: [GODFATHER] }], candidates, k: 3 }, /"k"/],
      [{ tastes: Array.from({ length: RECOMMEND_BATCH_TASTES_MAX + 1 }, (_, i) => ({ id: `s${i}`, liked: [] })), candidates }, /tastes/],
    ];
    for (const [body, field] of cases) {
      const res = await batch<ErrorBody>(svc.url, body);
      expect([res.status, res.body.message]).toEqual([400, expect.stringMatching(field)]);
    }
  });
});
