/**
 * The real recommender runs onnxruntime in this process: its environment shares the host's typed
 * arrays with the test realm (see the file).
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import type { RecommendationsResponse } from '@cine/common';
import { deadline } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { type RunningRecommender, startRecommender } from '@cine/recommender';
import { sql } from 'kysely';
import { type AuthGateway, sessionCookie, startAuthGateway } from './auth-harness';
import { ADMIN_KEY, postJson, type RunningGateway, silentLog, startGateway } from './gateway-harness';
import { OwnerAccountService } from '../src/auth/owner-account.service';
import { OwnerRepository } from '../src/auth/owner.repository';

const GODFATHER = 'tt0068646';
const PULP_FICTION = 'tt0110912';
const AMELIE = 'tt0211915';
const SHAWSHANK = 'tt0111161';
const URL_PATH = '/api/v1/recommendations';
const WIPE_PATH = '/api/v1/admin/taste-store';

const visit = (n: number) => `${String(n).padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;

interface FilmCounts {
  tconst: string;
  likes: number;
  dislikes: number;
  visits: number;
}

describeWithSamples('gateway: the taste store learns from visits, as counts only', () => {
  let t: TestDatabase;
  let recommender: RunningRecommender;
  let http: RunningGateway;
  let gw: AuthGateway;

  const films = async (): Promise<FilmCounts[]> => t.handle.db.selectFrom('taste_film').selectAll().orderBy('tconst').execute();
  const pairs = async () => t.handle.db.selectFrom('taste_pair').selectAll().orderBy('film_a').orderBy('film_b').execute();
  const wipe = () => gw.app.inject({ method: 'DELETE', url: WIPE_PATH, headers: { 'x-api-key': ADMIN_KEY } });
  /** Through `inject`, so the client's address can be chosen. */
  const ask = (body: Record<string, unknown>, remoteAddress = '198.51.100.7') =>
    gw.app.inject({ method: 'POST', url: URL_PATH, payload: body, remoteAddress });

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples-with-embeddings' });
    recommender = await startRecommender({ handle: t.handle, log: silentLog, port: 0 });
    http = await startGateway({ handle: t.handle, recommenderUrl: recommender.url });
    gw = await startAuthGateway(t.handle, { RECOMMENDER_URL: recommender.url, RECOMMENDER_TIMEOUT_MS: String(deadline(1500)) });
  }, deadline(180_000));
  afterAll(async () => {
    await gw?.close();
    await http?.close();
    await recommender?.close();
    await t?.drop();
  });
  beforeEach(async () => {
    expect((await wipe()).statusCode).toBe(200);
  });

  it("counts a visit's liked and disliked films and its pairs once, by tconst; the same basket again adds nothing, a longer one only what is new", async () => {
    const first = await postJson<RecommendationsResponse>(`${http.url}${URL_PATH}`, { liked: ['le parrain', PULP_FICTION], disliked: [AMELIE], visitId: visit(1) });
    expect(first.status).toBe(200);
    expect(first.body.resolved.liked.map((e) => e.tconst)).toEqual([GODFATHER, PULP_FICTION]);
    const once = [
      { tconst: GODFATHER, likes: 1, dislikes: 0, visits: 1 },
      { tconst: PULP_FICTION, likes: 1, dislikes: 0, visits: 1 },
      { tconst: AMELIE, likes: 0, dislikes: 1, visits: 1 },
    ].sort((a, b) => a.tconst.localeCompare(b.tconst));
    expect(await films()).toEqual(once);
    expect(await pairs()).toEqual([{ film_a: GODFATHER, film_b: PULP_FICTION, co_likes: 1 }]);

    // The same basket in the same visit, spelled by tconst this time (the answer cache serves it).
    for (let i = 0; i < 3; i++) {
      expect((await postJson(`${http.url}${URL_PATH}`, { liked: [GODFATHER, PULP_FICTION], disliked: [AMELIE], visitId: visit(1) })).status).toBe(200);
    }
    expect(await films()).toEqual(once);

    expect((await postJson(`${http.url}${URL_PATH}`, { liked: [GODFATHER, PULP_FICTION, SHAWSHANK], disliked: [AMELIE], visitId: visit(1) })).status).toBe(200);
    expect(await films()).toEqual([...once, { tconst: SHAWSHANK, likes: 1, dislikes: 0, visits: 1 }].sort((a, b) => a.tconst.localeCompare(b.tconst)));
    expect(await pairs()).toEqual([
      { film_a: GODFATHER, film_b: PULP_FICTION, co_likes: 1 },
      { film_a: GODFATHER, film_b: SHAWSHANK, co_likes: 1 },
      { film_a: PULP_FICTION, film_b: SHAWSHANK, co_likes: 1 },
    ]);

    // Another visit adds to the same counts.
    expect((await ask({ liked: [PULP_FICTION, GODFATHER], visitId: visit(2) })).statusCode).toBe(200);
    expect((await pairs())[0]).toEqual({ film_a: GODFATHER, film_b: PULP_FICTION, co_likes: 2 });
    expect((await films()).find((f) => f.tconst === GODFATHER)).toEqual({ tconst: GODFATHER, likes: 2, dislikes: 0, visits: 2 });
  });

  it('learns nothing without a visit id or from one liked film, and refuses a visit id that is not a UUID v4', async () => {
    expect((await ask({ liked: [GODFATHER, PULP_FICTION] })).statusCode).toBe(200);
    expect((await ask({ liked: [GODFATHER], disliked: [AMELIE], visitId: visit(3) })).statusCode).toBe(200);
    expect((await ask({ liked: ['zqxwzqxwzqxw', GODFATHER], visitId: visit(3) })).statusCode).toBe(200);
    expect(await films()).toEqual([]);
    for (const bad of ['not-a-uuid', 'ABCDEF01-2345-4678-89AB-CDEF01234567', '00000001-0000-1000-8000-000000000001', `${visit(3)}x`, 42]) {
      const res = await ask({ liked: [GODFATHER, PULP_FICTION], visitId: bad });
      expect([String(bad), res.statusCode]).toEqual([String(bad), 400]);
      expect(res.json<{ message: string }>().message).toMatch(/visitId/);
    }
    expect(await films()).toEqual([]);
  });

  it('caps one address: a film counts from at most 3 of its visits a day, then from a new day or another address', async () => {
    for (let n = 10; n < 16; n++) expect((await ask({ liked: [GODFATHER, PULP_FICTION], visitId: visit(n) })).statusCode).toBe(200);
    expect((await films()).map((f) => f.likes)).toEqual([3, 3]);
    expect((await pairs()).map((p) => p.co_likes)).toEqual([3]);
    // The same /64 of IPv6 is the same bucket; another address is not.
    expect((await ask({ liked: [GODFATHER, PULP_FICTION], visitId: visit(16) }, '2001:db8:5:6::1')).statusCode).toBe(200);
    expect((await ask({ liked: [GODFATHER, PULP_FICTION], visitId: visit(17) }, '2001:db8:5:6::2')).statusCode).toBe(200);
    expect((await ask({ liked: [GODFATHER, PULP_FICTION], visitId: visit(18) }, '2001:db8:5:6::3')).statusCode).toBe(200);
    expect((await ask({ liked: [GODFATHER, PULP_FICTION], visitId: visit(19) }, '2001:db8:5:6:ffff::4')).statusCode).toBe(200);
    expect((await films()).map((f) => f.likes)).toEqual([6, 6]);
    // A new day: the day's memory (and its salt) is gone, the address may teach again.
    gw.clock.advance(24 * 3600 * 1000);
    expect((await ask({ liked: [GODFATHER, PULP_FICTION], visitId: visit(10) })).statusCode).toBe(200);
    expect((await films()).map((f) => f.likes)).toEqual([7, 7]);
  });

  it('wipes the store for the owner or the key only (401 without either, 403 without the CSRF token), and the store learns again after', async () => {
    expect((await ask({ liked: [GODFATHER, PULP_FICTION, AMELIE], visitId: visit(20) })).statusCode).toBe(200);
    const anonymous = await gw.app.inject({ method: 'DELETE', url: WIPE_PATH });
    expect(anonymous.statusCode).toBe(401);
    expect((await gw.app.inject({ method: 'DELETE', url: WIPE_PATH, headers: { 'x-api-key': 'wrong-key-0123456789abcdef' } })).statusCode).toBe(401);
    await new OwnerAccountService(new OwnerRepository(t.handle)).add('gerante@cine-creuse.test', 'un mot de passe solide 2026');
    const login = await gw.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'gerante@cine-creuse.test', password: 'un mot de passe solide 2026' } });
    const cookie = sessionCookie(login);
    expect(cookie).toBeDefined();
    const noCsrf = await gw.app.inject({ method: 'DELETE', url: WIPE_PATH, cookies: { cine_owner: cookie! } });
    expect(noCsrf.statusCode).toBe(403);
    expect(await films()).toHaveLength(3);

    const me = await gw.app.inject({ url: '/api/v1/auth/me', cookies: { cine_owner: cookie! } });
    const csrf = me.json<{ csrfToken: string }>().csrfToken;
    const wiped = await gw.app.inject({ method: 'DELETE', url: WIPE_PATH, cookies: { cine_owner: cookie! }, headers: { 'x-csrf-token': csrf } });
    expect(wiped.statusCode).toBe(200);
    expect(wiped.json()).toEqual({ wiped: { films: 3, pairs: 3 } });
    expect(await films()).toEqual([]);
    expect(await pairs()).toEqual([]);
    // The same visit teaches again: the day's memory went with the counts.
    expect((await ask({ liked: [GODFATHER, PULP_FICTION, AMELIE], visitId: visit(20) })).statusCode).toBe(200);
    expect(await films()).toHaveLength(3);
    expect((await wipe()).json()).toEqual({ wiped: { films: 3, pairs: 3 } });
  });

  it('learns nothing when LEARN_FROM_VISITS=false, says so in the public status, and the owner can still wipe', async () => {
    const off = await startAuthGateway(t.handle, { RECOMMENDER_URL: recommender.url, LEARN_FROM_VISITS: 'false' });
    try {
      // The page reads the switch from the public status: no visit id, no notice when off.
      expect((await off.app.inject({ url: '/api/v1/catalogue/status' })).json()).toMatchObject({ learnsFromVisits: false });
      expect((await gw.app.inject({ url: '/api/v1/catalogue/status' })).json()).toMatchObject({ learnsFromVisits: true });
      const res = await off.app.inject({ method: 'POST', url: URL_PATH, payload: { liked: [GODFATHER, PULP_FICTION], disliked: [AMELIE], visitId: visit(30) } });
      expect(res.statusCode).toBe(200);
      expect(res.json<RecommendationsResponse>().items.length).toBeGreaterThan(0);
      expect(await films()).toEqual([]);
      expect((await off.app.inject({ method: 'DELETE', url: WIPE_PATH, headers: { 'x-api-key': ADMIN_KEY } })).json()).toEqual({ wiped: { films: 0, pairs: 0 } });
    } finally {
      await off.close();
    }
    // The same request to the gateway that learns does count.
    expect((await ask({ liked: [GODFATHER, PULP_FICTION], disliked: [AMELIE], visitId: visit(30) })).statusCode).toBe(200);
    expect(await films()).toHaveLength(3);
  });

  it('keeps nothing personal: no visit id, address or basket in any table or in the log, only counts per film and per pair', async () => {
    const id = visit(40);
    const address = '203.0.113.77';
    expect((await ask({ liked: [GODFATHER, PULP_FICTION, SHAWSHANK], disliked: [AMELIE], visitId: id }, address)).statusCode).toBe(200);
    expect(await films()).toHaveLength(4);

    // The store's columns are counts and tconsts, nothing else.
    const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name IN ('taste_film', 'taste_pair') ORDER BY table_name, ordinal_position`.execute(t.handle.db);
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual([
      'taste_film.tconst',
      'taste_film.likes',
      'taste_film.dislikes',
      'taste_film.visits',
      'taste_pair.film_a',
      'taste_pair.film_b',
      'taste_pair.co_likes',
    ]);
    // No row of any table holds the visit id or the address, in any form a row prints to.
    const { rows: tables } = await sql<{ name: string }>`
      SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema', 'catalogue_a', 'catalogue_b')`.execute(t.handle.db);
    expect(tables.map((r) => r.name)).toEqual(expect.arrayContaining(['public.taste_film', 'public.taste_pair', 'public.owner_session']));
    for (const { name } of tables) {
      for (const needle of [id, id.replace(/-/g, ''), address]) {
        const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.raw(name)} r WHERE r::text LIKE ${`%${needle}%`}`.execute(t.handle.db);
        expect([name, needle, rows[0]!.n]).toEqual([name, needle, 0]);
      }
    }
    // Nor the log, which was kept at debug level (the request log names the route, not the client).
    const logged = gw.logs();
    expect(logged).toContain('incoming request');
    expect(logged).not.toContain(id);
    expect(logged).not.toContain(address);
  });
});
