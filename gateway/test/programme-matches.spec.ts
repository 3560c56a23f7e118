/**
 * The real recommender runs onnxruntime in this process: its environment shares the host's typed
 * arrays with the test realm (see the file).
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import type { FilmAudience, ScreeningMatchesResponse } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { type RunningRecommender, startRecommender } from '@cine/recommender';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { deadline } from '@cine/common/testing';
import { sql } from 'kysely';
import { addDays, fromLocal, isoWithOffset, toLocal, weekStartOfDate } from '../src/programme/cinema-time';
import { NO_SUBSCRIBERS_MESSAGE } from '../src/audience/audience.service';
import { ADMIN_KEY, getJson, postJson, type RunningGateway, silentLog, startGateway } from './gateway-harness';

const PARIS = 'Europe/Paris';
const STAR_WARS = 'tt0076759';
const JEDI = 'tt0086190'; // Return of the Jedi
const AMELIE = 'tt0211915';
const key = { 'x-api-key': ADMIN_KEY };
const at = (date: string, time: string) => isoWithOffset(fromLocal({ date, time }, PARIS), PARIS);

type Matches = ScreeningMatchesResponse;

/** A published week of séances, ranked for a taste by the real recommender in one call. */
describeWithSamples('programme matches: the week ranked for a taste, through the real recommender', () => {
  let t: TestDatabase;
  let recommender: RunningRecommender;
  let gw: RunningGateway;
  let stopped = false;
  const week = addDays(weekStartOfDate(toLocal(new Date(), PARIS).date), 7);
  const period = { from: week, to: addDays(week, 6) };
  const matches = (body: Record<string, unknown>) => postJson<Matches>(`${gw.url}/api/v1/screenings/matches`, { ...period, ...body });
  /** Obscure films (few votes, far from Star Wars), in the recommender's index. */
  let obscure: string[];

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples-with-embeddings' });
    recommender = await startRecommender({ handle: t.handle, log: silentLog, port: 0 });
    gw = await startGateway({ handle: t.handle, recommenderUrl: recommender.url });
    const index = recommender.holder.version!.rowOf;
    const { rows } = await sql<{ tconst: string }>`
      SELECT tconst FROM title WHERE title_type = 'movie' AND num_votes BETWEEN 5 AND 40 AND 'Documentary' = ANY(genres)
      ORDER BY tconst LIMIT 200`.execute(t.handle.db);
    obscure = rows.map((r) => r.tconst).filter((x) => index.has(x)).slice(0, 3);
    expect(obscure).toHaveLength(3);

    const admin = async (path: string, body?: unknown) => {
      const answer = await postJson<{ id: string }>(`${gw.url}${path}`, body ?? {}, key);
      expect([path, answer.status]).toEqual([path, path.endsWith('/publish') ? 200 : 201]);
      return answer.body;
    };
    await admin('/api/v1/admin/rooms', { name: 'Salle 1', seats: 120 });
    const seance = (tconst: string, day: number, time: string) => admin('/api/v1/admin/screenings', { tconst, startsAt: at(addDays(week, day), time), room: 'Salle 1', version: 'VF' });
    await seance(obscure[0]!, 0, '14:00');
    await seance(JEDI, 1, '20:30');
    await seance(obscure[1]!, 2, '18:00');
    await seance(JEDI, 3, '20:30');
    await seance(obscure[2]!, 4, '16:00');
    const cancelled = await seance(AMELIE, 5, '20:30');
    const res = await fetch(`${gw.url}/api/v1/admin/screenings/${cancelled.id}`, { method: 'DELETE', headers: key });
    expect(res.status).toBe(200);
    await admin(`/api/v1/admin/weeks/${week}/publish`);
  }, deadline(180_000));
  afterAll(async () => {
    await gw?.close();
    if (!stopped) await recommender?.close();
    await t?.drop();
  });

  it('a taste that matches one film: it comes first, "pour vous", with its reason and its séances; the others follow', async () => {
    const { status, body } = await matches({ liked: [STAR_WARS], visitId: 'visit-0123456789' });
    expect(status).toBe(200);
    expect(body.coldStart).toBe(false);
    expect(body.resolved.liked).toEqual([{ input: STAR_WARS, status: 'resolved', tconst: STAR_WARS, title: expect.any(String), year: 1977 }]);
    // Every programmed film once; the cancelled séance's film is not programmed.
    expect(body.items.map((i) => i.film.tconst).sort()).toEqual([JEDI, ...obscure].sort());
    const [first, ...rest] = body.items;
    expect(first!.film.tconst).toBe(JEDI);
    expect(first!.forYou).toBe(true);
    expect(first!.score).toEqual(expect.any(Number));
    expect(first!.reason!.fr).toMatch(/\S/);
    expect(first!.reasons.length).toBeGreaterThan(0);
    expect(first!.screenings.map((s) => s.startsAt)).toEqual([at(addDays(week, 1), '20:30'), at(addDays(week, 3), '20:30')]);
    expect(first!.screenings[0]).toMatchObject({ room: 'Salle 1', version: 'VF', status: 'scheduled', icsUrl: expect.stringMatching(/\.ics$/) });
    // The documentaries do not fit a Star Wars taste: listed after, without "pour vous", by score.
    for (const item of rest) expect(item.forYou).toBe(false);
    const scores = rest.map((i) => i.score!);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('titles resolve as for the recommendations', async () => {
    const { body } = await matches({ liked: ['star wars'] });
    expect(body.resolved.liked[0]).toMatchObject({ input: 'star wars', status: 'resolved', tconst: STAR_WARS });
    expect(body.items[0]!.film.tconst).toBe(JEDI);
  });

  it('nothing liked: the films in the order of their first séance, no scores', async () => {
    const { status, body } = await matches({ liked: [] });
    expect(status).toBe(200);
    expect(body.coldStart).toBe(true);
    expect(body.items.map((i) => i.film.tconst)).toEqual([obscure[0], JEDI, obscure[1], obscure[2]]);
    for (const item of body.items) expect(item).toMatchObject({ score: null, forYou: false, reason: null, reasons: [] });
  });

  it('bad bodies are a 400 naming the field', async () => {
    expect((await matches({ liked: [STAR_WARS], visitId: 'x' })).status).toBe(400);
    expect((await matches({ liked: [STAR_WARS], bogus: 1 })).status).toBe(400);
    const badDate = await postJson<{ message: string }>(`${gw.url}/api/v1/screenings/matches`, { liked: [], from: '2026-13-45' });
    expect(badDate.status).toBe(400);
  });

  it('the audience route: 401 without credentials; with the key, the answer with no confirmed subscriber', async () => {
    const path = `${gw.url}/api/v1/admin/films/${JEDI}/audience`;
    expect((await getJson(path)).status).toBe(401);
    const { status, body } = await getJson<FilmAudience>(path, key);
    expect(status).toBe(200);
    expect(body).toEqual({ tconst: JEDI, tastes: 0, fits: 0, reasons: [], source: 'subscribers', message: NO_SUBSCRIBERS_MESSAGE });
    expect(body.message).toMatch(/^Pas encore d'abonné confirmé/);
    expect((await getJson(`${gw.url}/api/v1/admin/films/nope/audience`, key)).status).toBe(400);
  });

  it('the recommender stopped: a 503 with Retry-After, like the recommendations', async () => {
    await recommender.close();
    stopped = true;
    const res = await fetch(`${gw.url}/api/v1/screenings/matches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...period, liked: [STAR_WARS] }),
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    // Nothing liked needs no recommender.
    expect((await matches({ liked: [] })).status).toBe(200);
  });
});
