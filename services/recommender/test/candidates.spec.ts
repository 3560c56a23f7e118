/**
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { type ErrorBody, RECOMMEND_CANDIDATES_MAX } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { deadline } from '@cine/common/testing';
import { type RunningRecommender, startRecommender } from '../src';
import { FIT_RANK } from '../src/recommend/candidate-ranker';
import { blendedScores } from '../src/recommend/exact-scan';
import { DEFAULT_RANKING } from '../src/recommend/ranking';
import { adaptiveAlpha, profileOf } from '../src/recommend/ranker';
import { post, silentLog } from './recommender-harness';

const GODFATHER = 'tt0068646';
const JEDI = 'tt0086190'; // Return of the Jedi
const PULP_FICTION = 'tt0110912';
const AMELIE = 'tt0211915';
const STAR_WARS = 'tt0076759';
const LION_KING = 'tt0110357';

/** `candidates`: the programme's few films scored for one taste, in one call. */
describeWithSamples('recommender: scoring a given list of films (candidates)', () => {
  let t: TestDatabase;
  let svc: RunningRecommender;

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples-with-embeddings' });
    svc = await startRecommender({ handle: t.handle, log: silentLog });
  }, deadline(180_000));
  afterAll(async () => {
    await svc?.close();
    await t?.drop();
  });

  it('answers every candidate, best first, with the very scores of the full ranking, and the fit threshold of the 100th film', async () => {
    const v = svc.holder.version!;
    const candidates = [AMELIE, JEDI, GODFATHER, LION_KING, PULP_FICTION];
    const res = await post(svc.url, { liked: [STAR_WARS], candidates });
    expect(res.status).toBe(200);
    expect(res.body.coldStart).toBe(false);
    expect(res.body.items.map((i) => i.tconst).sort()).toEqual([...candidates].sort());
    const query = profileOf(v, [v.rowOf.get(STAR_WARS)!], [], DEFAULT_RANKING.dislike, DEFAULT_RANKING.recency);
    const alpha = adaptiveAlpha(v, [v.rowOf.get(STAR_WARS)!], DEFAULT_RANKING);
    const all = blendedScores(v.vectors, v.dims, v.prior, query, alpha);
    for (const item of res.body.items) expect(item.score).toBeCloseTo(all[v.rowOf.get(item.tconst)!]!, 5);
    const scores = res.body.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // Each says why (a shared genre, a collection, people, or the closest liked film).
    for (const item of res.body.items) expect(item.reasons.length).toBeGreaterThan(0);
    expect(res.body.items[0]!.reasons.length).toBeGreaterThan(0);
    expect(res.body.items[0]!.reason.fr).toMatch(/\S/);
    // fitScore is the 100th best score of the index, the liked film left out.
    const sorted = [...all].filter((_, row) => row !== v.rowOf.get(STAR_WARS)).sort((a, b) => b - a);
    expect(res.body.fitScore).toBeCloseTo(sorted[FIT_RANK - 1]!, 5);
    expect(res.body.items[0]!.score).toBeGreaterThanOrEqual(res.body.fitScore!);
  });

  it('the same film ranks the same with or without candidates: a candidate list only restricts', async () => {
    const open = await post(svc.url, { liked: [PULP_FICTION, STAR_WARS], k: 50 });
    const inTop = open.body.items.slice(0, 6).map((i) => i.tconst);
    const restricted = await post(svc.url, { liked: [PULP_FICTION, STAR_WARS], candidates: [...inTop].reverse() });
    expect(restricted.body.items.map((i) => i.tconst)).toEqual(inTop);
    expect(restricted.body.items.map((i) => i.score)).toEqual(open.body.items.slice(0, 6).map((i) => i.score));
    // k keeps the best ones.
    const two = await post(svc.url, { liked: [PULP_FICTION, STAR_WARS], candidates: inTop, k: 2 });
    expect(two.body.items.map((i) => i.tconst)).toEqual(inTop.slice(0, 2));
  });

  it('leaves out inputs, reports unknown candidates, places a title outside the index by the encoder', async () => {
    const { rows } = await sql<{ tconst: string }>`
      SELECT tconst FROM title WHERE title_type = 'tvSeries' AND cardinality(genres) > 0 AND num_votes > 0 ORDER BY num_votes DESC, tconst LIMIT 1`.execute(t.handle.db);
    const series = rows[0]!.tconst;
    expect(svc.holder.version!.rowOf.has(series)).toBe(false);
    const res = await post(svc.url, { liked: [GODFATHER], disliked: [AMELIE], candidates: [GODFATHER, AMELIE, series, 'tt0000000009', STAR_WARS] });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i) => i.tconst).sort()).toEqual([series, STAR_WARS].sort());
    expect(res.body.unknown).toEqual(['tt0000000009']);
    // An encoded candidate is not an input: `encoded` names inputs only.
    expect(res.body.encoded).toEqual([]);
  });

  it('with nothing liked: candidates by weighted rating, a popular reason, no fit threshold', async () => {
    const res = await post(svc.url, { liked: [], candidates: [AMELIE, GODFATHER, LION_KING] });
    expect(res.body.coldStart).toBe(true);
    expect(res.body.fitScore).toBeUndefined();
    expect(res.body.items[0]!.tconst).toBe(GODFATHER);
    for (const item of res.body.items) expect(item.reasons.map((r) => r.kind)).toEqual(['popular']);
  });

  it('refuses more candidates than the bound, or a malformed one, naming the field', async () => {
    const many = Array.from({ length: RECOMMEND_CANDIDATES_MAX + 1 }, (_, i) => `tt${String(i + 1).padStart(7, '0')}`);
    const tooMany = await post<ErrorBody>(svc.url, { liked: [GODFATHER], candidates: many });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/candidates/);
    const bad = await post<ErrorBody>(svc.url, { liked: [GODFATHER], candidates: ['le parrain'] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/candidates/);
  });
});
