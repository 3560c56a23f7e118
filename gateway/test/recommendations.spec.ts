/**
 * The real recommender runs onnxruntime in this process: its environment shares the host's typed
 * arrays with the test realm (see the file).
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import type { FilmDetail, RecommendationsResponse } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { type RunningRecommender, startRecommender } from '@cine/recommender';
import { sql } from 'kysely';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { getJson, postJson, type RunningGateway, silentLog, startGateway } from './gateway-harness';
import { deadline, runToEnd, until } from '@cine/common/testing';

const GODFATHER = 'tt0068646';
const PULP_FICTION = 'tt0110912';
const AMELIE = 'tt0211915';
const URL_PATH = '/api/v1/recommendations';

type Recs = RecommendationsResponse;

const REPO_ROOT = resolve(__dirname, '../..');

/** `npm run recommend -- …` as a user runs it (tsx, no build step), against `gatewayUrl`. */
async function recommendCli(args: string[], gatewayUrl: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runToEnd(process.execPath, ['--import', 'tsx', 'gateway/src/cli/recommend.cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, GATEWAY_URL: gatewayUrl },
    timeoutMs: 30_000,
  });
  return { code: code ?? -1, stdout, stderr };
}

/** Recommendations through the gateway, against the real recommender built on the real samples. */
describeWithSamples('gateway: recommendations through the real recommender', () => {
  let t: TestDatabase;
  let recommender: RunningRecommender;
  let gw: RunningGateway;
  const recommend = (body: unknown, headers: Record<string, string> = {}) => postJson<Recs>(`${gw.url}${URL_PATH}`, body, headers);

  beforeAll(async () => {
    // The samples with one version built once for the run; the cache test below adds a copy of it.
    t = await createTestDatabase({ from: 'samples-with-embeddings' });
    recommender = await startRecommender({ handle: t.handle, log: silentLog, port: 0 });
    gw = await startGateway({ handle: t.handle, recommenderUrl: recommender.url });
  }, deadline(180_000));
  afterAll(async () => {
    await gw?.close();
    await recommender?.close();
    await t?.drop();
  });

  it('resolves titles and tconsts, never returns an input, and enriches each film with its details and reason', async () => {
    const { status, body, headers } = await recommend({ liked: ['le parrain', PULP_FICTION], disliked: ['amelie'], k: 8 }, { 'x-request-id': 'gw-test-42' });
    expect(status).toBe(200);
    expect(headers.get('x-request-id')).toBe('gw-test-42');
    expect(body.resolved.liked).toEqual([
      { input: 'le parrain', status: 'resolved', tconst: GODFATHER, title: 'Le Parrain', year: 1972 },
      { input: PULP_FICTION, status: 'resolved', tconst: PULP_FICTION, title: 'Pulp Fiction', year: 1994 },
    ]);
    expect(body.resolved.disliked).toEqual([{ input: 'amelie', status: 'resolved', tconst: AMELIE, title: "Le fabuleux destin d'Amélie Poulain", year: 2001 }]);
    expect(body.coldStart).toBe(false);
    expect(body.version).toBeGreaterThan(0);
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.length).toBeLessThanOrEqual(8);
    const ids = body.items.map((i) => i.tconst);
    expect(new Set(ids).size).toBe(ids.length);
    for (const input of [GODFATHER, PULP_FICTION, AMELIE]) expect(ids).not.toContain(input);
    const scores = body.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const item of body.items) {
      expect(item.titleType).toBe('movie');
      expect(item.reason.fr.length).toBeGreaterThan(0);
      expect(item.reason.en.length).toBeGreaterThan(0);
      expect(Array.isArray(item.reasons)).toBe(true);
    }
    // Each film carries exactly what its own detail route says.
    const first = body.items[0]!;
    const { score, reason, reasons, ...detail } = first;
    // What the recommendation adds to the detail: the best score, a sentence in each language, its parts.
    expect(score).toBe(Math.max(...scores));
    expect(reason).toEqual({ fr: expect.stringMatching(/\S/), en: expect.stringMatching(/\S/) });
    expect(reasons.length).toBeGreaterThan(0);
    const kinds = ['director', 'writer', 'cast', 'collection', 'genres', 'decade', 'country', 'language', 'popular', 'similar'];
    for (const part of reasons) expect(kinds).toContain(part.kind);
    expect(detail).toEqual((await getJson<FilmDetail>(`${gw.url}/api/v1/films/${first.tconst}`)).body);
  });

  it('says which entries could not be resolved: nonsense, an unknown id', async () => {
    const { status, body } = await recommend({ liked: ['godfater', 'zqxwzqxwzqxw', 'tt0000000001'] });
    expect(status).toBe(200);
    expect(body.resolved.liked).toEqual([
      { input: 'godfater', status: 'resolved', tconst: GODFATHER, title: 'Le Parrain', year: 1972 },
      { input: 'zqxwzqxwzqxw', status: 'not_found', tconst: null, title: null, year: null },
      { input: 'tt0000000001', status: 'not_found', tconst: null, title: null, year: null },
    ]);
    expect(body.items.map((i) => i.tconst)).not.toContain(GODFATHER);
  });

  it('a series liked (by id or by title) is used: the recommender embeds it from its features', async () => {
    const { rows } = await sql<{ tconst: string; primary_title: string; start_year: number }>`
      SELECT s.tconst, s.primary_title, s.start_year FROM title s
      WHERE s.title_type = 'tvSeries' AND cardinality(s.genres) > 0 AND s.start_year IS NOT NULL AND s.num_votes > 0
        -- by title, films come first: a series no film's title resembles
        AND NOT EXISTS (SELECT 1 FROM title m WHERE m.title_type = 'movie' AND similarity(search_norm(m.primary_title), search_norm(s.primary_title)) > 0.2)
      ORDER BY s.num_votes DESC, s.tconst LIMIT 1`.execute(t.handle.db);
    const series = rows[0]!;
    for (const input of [series.tconst, series.primary_title]) {
      const { status, body } = await recommend({ liked: [input], k: 5 });
      expect(status).toBe(200);
      expect(body.resolved.liked).toEqual([{ input, status: 'resolved', tconst: series.tconst, title: expect.any(String), year: series.start_year }]);
      expect(body.coldStart).toBe(false);
      expect(body.items).toHaveLength(5);
      for (const item of body.items) expect(item.titleType).toBe('movie');
    }
  });

  it('answers a cold start with well-rated popular films when nothing liked is usable', async () => {
    for (const liked of [[], ['zqxwzqxwzqxw']]) {
      const { status, body } = await recommend({ liked, k: 5 });
      expect(status).toBe(200);
      expect(body.coldStart).toBe(true);
      expect(body.items.length).toBe(5);
    }
  });

  it('passes filters and k through', async () => {
    const { body } = await recommend({ liked: ['le parrain'], k: 3, filters: { genres: ['Comedy'] } });
    expect(body.items.length).toBeLessThanOrEqual(3);
    expect(body.items.length).toBeGreaterThan(0);
    for (const item of body.items) expect(item.genres).toContain('Comedy');
  });

  it('refuses bad bodies with a 400 that names the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /^body\/liked is required$/],
      [{ liked: 'le parrain' }, /^body\/liked must be array$/],
      [{ liked: [42] }, /^body\/liked\/0 must be string$/],
      [{ liked: [''] }, /^body\/liked\/0 must NOT have fewer than 1 characters$/],
      [{ liked: ['x'.repeat(201)] }, /^body\/liked\/0 must NOT have more than 200 characters$/],
      [{ liked: Array.from({ length: 51 }, () => 'x') }, /^body\/liked must NOT have more than 50 items$/],
      [{ liked: [], k: 0 }, /^body\/k must be >= 1$/],
      [{ liked: [], k: 51 }, /^body\/k must be <= 50$/],
      [{ liked: [], k: '5' }, /^body\/k must be integer$/],
      [{ liked: [], diversity: 2 }, /^body\/diversity must be <= 1$/],
      [{ liked: [], filters: { decades: [1995] } }, /^body\/filters\/decades\/0 must be multiple of 10$/],
      [{ liked: [], filters: { mood: 'happy' } }, /^body\/filters\/mood is not allowed/],
      [{ liked: [], userId: 7 }, /^body\/userId is not allowed/],
      [[], /^body must be object$/],
    ];
    for (const [body, message] of cases) {
      const answer = await postJson<{ statusCode: number; error: string; message: string }>(`${gw.url}${URL_PATH}`, body);
      expect([JSON.stringify(body).slice(0, 60), answer.status, answer.body.message]).toEqual([JSON.stringify(body).slice(0, 60), 400, expect.stringMatching(message)]);
      expect(answer.body.error).toBe('Bad Request');
    }
    const notJson = await postJson<{ message: string }>(`${gw.url}${URL_PATH}`, '{"liked": [');
    expect(notJson.status).toBe(400);
    const text = await fetch(`${gw.url}${URL_PATH}`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<liked>le parrain</liked>' });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { statusCode: number }).statusCode).toBe(415);
  });

  describe('npm run recommend', () => {
    it('prints what each entry was understood as, then a table of French titles, years and reasons', async () => {
      const { code, stdout } = await recommendCli(['le parrain', 'xqzzqxw', '--k', '4'], gw.url);
      expect(code).toBe(0);
      const lines = stdout.trimEnd().split('\n');
      expect(lines[0]).toBe('Vous avez aimé : Le Parrain (1972)  ← « le parrain »');
      expect(lines[1]).toMatch(/^Introuvable : « xqzzqxw »/);
      const header = lines.findIndex((l) => /^ #  Titre +Année  Pourquoi$/.test(l));
      expect(header).toBeGreaterThan(0);
      const rows = lines.slice(header + 2);
      expect(rows).toHaveLength(4);
      const api = await recommend({ liked: ['le parrain', 'xqzzqxw'], k: 4 });
      rows.forEach((row, i) => {
        const item = api.body.items[i]!;
        expect(row).toContain(item.title.slice(0, 30));
        expect(row).toContain(String(item.year ?? '?'));
        expect(row).toContain(item.reason.fr);
      });
    });

    it('prints the API answer with --json', async () => {
      const { code, stdout } = await recommendCli([GODFATHER, '--k', '3', '--json'], gw.url);
      expect(code).toBe(0);
      const answer = JSON.parse(stdout) as Recs;
      expect(answer.resolved.liked[0]).toMatchObject({ tconst: GODFATHER, status: 'resolved' });
      expect(answer.items).toHaveLength(3);
    });

    it('says clearly when the gateway is not running, and refuses a bad --k', async () => {
      const away = await recommendCli(['le parrain'], 'http://127.0.0.1:9');
      expect(away.code).toBe(1);
      expect(away.stderr).toMatch(/ne répond pas à http:\/\/127\.0\.0\.1:9[\s\S]*npm start/);
      const badK = await recommendCli(['le parrain', '--k', '0'], gw.url);
      expect(badK.code).toBe(2);
      expect(badK.stderr).toMatch(/--k doit être un entier de 1 à 50/);
    });
  });

  describe('the response cache', () => {
    const basket = { liked: [GODFATHER, PULP_FICTION], k: 6 };

    it('answers a repeat with the same bytes and its own request id, even while the recommender is away; every field is part of the key; a 503 is not kept', async () => {
      const first = await recommend(basket, { 'x-request-id': 'cache-1' });
      const second = await recommend(basket, { 'x-request-id': 'cache-2' });
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(second.body).toEqual(first.body);
      expect([first.headers.get('x-request-id'), second.headers.get('x-request-id')]).toEqual(['cache-1', 'cache-2']);

      const port = Number(new URL(recommender.url).port);
      await recommender.close();
      try {
        // Only a cache can answer now.
        const cached = await recommend(basket, { 'x-request-id': 'cache-3' });
        expect([cached.status, cached.headers.get('x-request-id')]).toEqual([200, 'cache-3']);
        expect(cached.body).toEqual(first.body);
        // The defaults the gateway applies are the same request.
        expect((await recommend({ ...basket, disliked: [] })).status).toBe(200);
        const variants = [
          { ...basket, k: 5 },
          { ...basket, disliked: [AMELIE] },
          { ...basket, diversity: 0.5 },
          { ...basket, filters: { genres: ['Drama'] } },
          { ...basket, liked: [PULP_FICTION, GODFATHER] },
          { ...basket, liked: ['le parrain', PULP_FICTION] },
        ];
        for (const variant of variants) expect([JSON.stringify(variant), (await recommend(variant)).status]).toEqual([JSON.stringify(variant), 503]);
      } finally {
        recommender = await startRecommender({ handle: t.handle, log: silentLog, port });
      }
      const back = await recommend({ ...basket, k: 5 });
      expect([back.status, back.body.items.length]).toEqual([200, 5]);
    });

    it('stops answering from the cache once a new embedding version is ready and served', async () => {
      const before = await recommend(basket);
      expect((await recommend(basket)).body).toEqual(before.body);
      // A newer ready version: a copy of the served one's row under a new id. What the cache
      // follows is the version id, so no build is needed (the recommender's specs test the build).
      await sql`
        INSERT INTO recommender_version (status, dims, films, import_run_id, stats, checksum, items, vectors, encoder)
        SELECT status, dims, films, import_run_id, stats, checksum, items, vectors, encoder FROM recommender_version WHERE id = ${before.body.version}`.execute(t.handle.db);
      await recommender.holder.refresh();
      const served = recommender.holder.version!.id;
      expect(served).toBeGreaterThan(before.body.version);
      // The gateway checks the newest version at most once a second.
      const answer = await until('an answer from the version served', async () => {
        const { body } = await recommend(basket);
        return body.version === served ? body : null;
      }, { timeoutMs: 10_000, intervalMs: 200 });
      expect(answer.items.length).toBeGreaterThan(0);
    }, deadline(120_000));
  });

  it('readiness includes the recommender', async () => {
    const ready = await getJson<{ status: string; checks: Record<string, { ok: boolean }> }>(`${gw.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.checks).sort()).toEqual(['catalogue', 'db', 'queue', 'recommender']);
  });

  describe('when the recommender is slow or down', () => {
    let hung: Server;
    const sockets = new Set<Socket>();
    afterAll(async () => {
      for (const s of sockets) s.destroy();
      hung?.close();
    });

    it('answers 503 with Retry-After within the timeout when the recommender hangs', async () => {
      // A recommender that accepts the connection and never answers (a stuck process).
      hung = createServer((socket) => {
        sockets.add(socket);
      });
      hung.listen(0, '127.0.0.1');
      await once(hung, 'listening');
      const address = hung.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const slow = await startGateway({ handle: t.handle, recommenderUrl: `http://127.0.0.1:${port}`, env: { RECOMMENDER_TIMEOUT_MS: '300' } });
      try {
        const started = performance.now();
        const { status, body, headers } = await postJson<{ message: string }>(`${slow.url}${URL_PATH}`, { liked: ['le parrain'] });
        const elapsed = performance.now() - started;
        expect(status).toBe(503);
        expect(body.message).toMatch(/did not answer within 300 ms/);
        expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
        expect(elapsed).toBeGreaterThanOrEqual(290);
        expect(elapsed).toBeLessThan(deadline(3000));
      } finally {
        await slow.close();
      }
    });

    it('answers 503 when the recommender is stopped, and recovers when it is back', async () => {
      const port = Number(new URL(recommender.url).port);
      await recommender.close();
      const down = await postJson<{ statusCode: number; message: string }>(`${gw.url}${URL_PATH}`, { liked: ['le parrain'] });
      expect(down.status).toBe(503);
      expect(down.body).toEqual({ statusCode: 503, error: 'Service Unavailable', message: 'the recommender is unreachable' });
      expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
      const ready = await getJson<{ checks: Record<string, { ok: boolean }> }>(`${gw.url}/health/ready`);
      expect([ready.status, ready.body.checks.recommender?.ok, ready.body.checks.db?.ok]).toEqual([503, false, true]);
      // Search and details do not depend on the recommender.
      expect((await getJson(`${gw.url}/api/v1/films/${GODFATHER}`)).status).toBe(200);

      recommender = await startRecommender({ handle: t.handle, log: silentLog, port });
      const back = await recommend({ liked: ['le parrain'] });
      expect(back.status).toBe(200);
      expect(back.body.items.length).toBeGreaterThan(0);
    });
  });
});
