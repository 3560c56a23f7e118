import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { getJson, postJson, type RunningGateway, startGateway } from './gateway-harness';

/** Headers, CORS, rate limit, body limit, JSON errors, the page: on an empty catalogue. */
describe('gateway HTTP security and behaviour', () => {
  let t: TestDatabase;
  const running: RunningGateway[] = [];
  const start = async (opts: Omit<Parameters<typeof startGateway>[0], 'handle'> = {}) => {
    const gw = await startGateway({ handle: t.handle, ...opts });
    running.push(gw);
    return gw;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    for (const gw of running) await gw.close();
    await t?.drop();
  });

  it('sends helmet headers with a CSP that allows its own scripts and images (posters are ours), never upgrading to https', async () => {
    const gw = await start();
    const res = await fetch(`${gw.url}/api/v1/kpis`);
    await res.arrayBuffer();
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("img-src 'self' data:");
    expect(csp).not.toContain('image.tmdb.org');
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('answers CORS only to the allowlisted origins', async () => {
    const gw = await start({ env: { CORS_ORIGINS: 'https://cinema-creuse.example' } });
    const preflight = (origin: string) =>
      fetch(`${gw.url}/api/v1/recommendations`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight('https://cinema-creuse.example');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://cinema-creuse.example');
    expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
    const denied = await preflight('https://evil.example');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${gw.url}/api/v1/kpis`, { headers: { origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();

    const closed = await start();
    const none = await fetch(`${closed.url}/api/v1/kpis`, { headers: { origin: 'https://cinema-creuse.example' } });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('limits the request rate per client with a JSON 429, probes excepted', async () => {
    const gw = await start({ env: { RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '60000' } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${gw.url}/api/v1/kpis`);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await getJson<{ statusCode: number; error: string; message: string }>(`${gw.url}/api/v1/films/search?q=x`);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.any(String) });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) expect((await getJson(`${gw.url}/health/live`)).status).toBe(200);
  });

  it('refuses a body over the limit with a JSON 413', async () => {
    const gw = await start({ env: { BODY_LIMIT_BYTES: '1024' } });
    const { status, body } = await postJson(`${gw.url}/api/v1/recommendations`, { liked: Array.from({ length: 40 }, () => 'x'.repeat(40)) });
    expect(status).toBe(413);
    expect(body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('answers unknown routes with a JSON 404, and echoes a sane request id', async () => {
    const gw = await start();
    const missing = await getJson(`${gw.url}/api/v1/nothing-here?x=1`);
    expect(missing).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found', message: 'no route GET /api/v1/nothing-here' } });
    const unknownWithMethod = await fetch(`${gw.url}/api/v1/nothing-here`, { method: 'DELETE' });
    expect([unknownWithMethod.status, ((await unknownWithMethod.json()) as { statusCode: number }).statusCode]).toEqual([404, 404]);
    const withId = await fetch(`${gw.url}/api/v1/kpis`, { headers: { 'x-request-id': 'abc-123' } });
    expect(withId.headers.get('x-request-id')).toBe('abc-123');
    const unsafe = await fetch(`${gw.url}/api/v1/kpis`, { headers: { 'x-request-id': 'a b<script>' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a wrong method on a known path with 405 and the allowed methods, from the registered routes', async () => {
    const gw = await start();
    for (const [method, path, allow] of [
      ['DELETE', '/api/v1/films/search?q=x', 'GET, HEAD'],
      ['PUT', '/api/v1/films/tt0068646', 'GET, HEAD'],
      ['POST', '/api/v1/kpis', 'GET, HEAD'],
      ['GET', '/api/v1/recommendations', 'POST'],
      ['PATCH', '/api/v1/admin/etl-runs', 'POST'],
      ['POST', '/health/live', 'GET, HEAD'],
    ] as const) {
      const res = await fetch(`${gw.url}${path}`, { method, headers: { 'x-request-id': 'wrong-method-1' } });
      const body = (await res.json()) as { statusCode: number; error: string; message: string };
      expect({ method, path, status: res.status, allow: res.headers.get('allow'), body }).toEqual({
        method,
        path,
        status: 405,
        allow,
        body: { statusCode: 405, error: 'Method Not Allowed', message: expect.stringContaining(allow) },
      });
      expect(res.headers.get('x-request-id')).toBe('wrong-method-1');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    // HEAD is allowed wherever GET is.
    expect((await fetch(`${gw.url}/api/v1/kpis`, { method: 'HEAD' })).status).toBe(200);
  });

  it('answers router errors (a path parameter too long, a bad URL) in the documented shape with the usual headers', async () => {
    const gw = await start();
    for (const [path, status, error] of [
      [`/api/v1/films/tt${'1'.repeat(250)}`, 414, 'URI Too Long'],
      ['/api/v1/kpis/%ff', 400, 'Bad Request'],
    ] as const) {
      const res = await fetch(`${gw.url}${path}`, { headers: { 'x-request-id': 'router-error-1' } });
      const body = (await res.json()) as unknown;
      expect({ path: path.slice(0, 40), status: res.status, body }).toEqual({
        path: path.slice(0, 40),
        status,
        body: { statusCode: status, error, message: expect.any(String) },
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('x-request-id')).toBe('router-error-1');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    }
  });

  it('counts every request against the rate limit: the page, unknown paths, wrong methods and router errors too', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cine-web-'));
    try {
      await writeFile(join(root, 'index.html'), '<!doctype html><html lang="fr"><body><div id="app">page</div></body></html>');
      const gw = await start({ webRoot: root, env: { RATE_LIMIT_MAX: '6', RATE_LIMIT_WINDOW_MS: '60000' } });
      const html = { accept: 'text/html' };
      const kinds: Array<[string, RequestInit]> = [
        ['/film/tt0068646', { headers: html }],
        ['/', { headers: html }],
        ['/no/such/path', {}],
        ['/api/v1/kpis', { method: 'POST' }],
        [`/api/v1/films/tt${'1'.repeat(250)}`, {}],
        ['/api/v1/kpis/%ff', {}],
      ];
      const first: number[] = [];
      for (const [path, init] of kinds) {
        const res = await fetch(`${gw.url}${path}`, init);
        await res.arrayBuffer();
        first.push(res.status);
      }
      expect(first).toEqual([200, 200, 404, 405, 414, 400]);
      for (const [path, init] of [...kinds, ['/docs/json', {}] as [string, RequestInit]]) {
        const res = await fetch(`${gw.url}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-request-id': 'limited-1' } });
        const text = await res.text();
        const body: unknown = res.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text.slice(0, 40);
        expect({ path: path.slice(0, 30), status: res.status, body }).toEqual({
          path: path.slice(0, 30),
          status: 429,
          body: { statusCode: 429, error: 'Too Many Requests', message: expect.any(String) },
        });
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(res.headers.get('x-request-id')).toBe('limited-1');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
      // Probes stay exempt.
      expect((await getJson(`${gw.url}/health/live`)).status).toBe(200);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("serves the page's HTML from memory: read once at boot, not from disk per request", async () => {
    const root = await mkdtemp(join(tmpdir(), 'cine-web-'));
    try {
      await writeFile(join(root, 'index.html'), '<!doctype html><html lang="fr"><body><div id="app">page</div></body></html>');
      const gw = await start({ webRoot: root });
      await rm(join(root, 'index.html'));
      for (const path of ['/film/tt0068646', '/']) {
        const res = await fetch(`${gw.url}${path}`, { headers: { accept: 'text/html' } });
        expect({ path, status: res.status, type: res.headers.get('content-type'), body: await res.text() }).toEqual({
          path,
          status: 200,
          type: expect.stringMatching(/^text\/html/),
          body: expect.stringContaining('id="app"'),
        });
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('serves /metrics on the metrics port only (admin refusals counted there), never on the public port', async () => {
    const gw = await start();
    const denied = await fetch(`${gw.url}/api/v1/admin/etl-runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(denied.status).toBe(401);
    const publicMetrics = await getJson(`${gw.url}/metrics`);
    expect(publicMetrics).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found' } });
    const scrape = await fetch(`${gw.metricsUrl}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/admin\/etl-runs"[^}]*status_code="401"/);
    expect(text).toContain('service="gateway"');
    // The metrics port is not a second door to the API.
    expect((await fetch(`${gw.metricsUrl}/api/v1/kpis`)).status).toBe(404);
    // The public OpenAPI document no longer lists it.
    const doc = await getJson<{ paths: Record<string, unknown> }>(`${gw.url}/docs/json`);
    expect(Object.keys(doc.body.paths)).not.toContain('/metrics');
  });

  it('sends HSTS only when PUBLIC_URL is https, never because a client says so', async () => {
    const plain = await start();
    const spoofed = await fetch(`${plain.url}/api/v1/kpis`, { headers: { 'x-forwarded-proto': 'https' } });
    await spoofed.arrayBuffer();
    expect(spoofed.headers.get('strict-transport-security')).toBeNull();
    const http = await start({ env: { PUBLIC_URL: 'http://cinema.local:8080' } });
    const overHttp = await fetch(`${http.url}/api/v1/kpis`);
    await overHttp.arrayBuffer();
    expect(overHttp.headers.get('strict-transport-security')).toBeNull();
    expect(overHttp.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    const https = await start({ env: { PUBLIC_URL: 'https://cinema-creuse.example' } });
    const overHttps = await fetch(`${https.url}/api/v1/kpis`);
    await overHttps.arrayBuffer();
    expect(overHttps.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    expect(overHttps.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });

  it('serves a French notice at / while the page is not built', async () => {
    const gw = await start({ webRoot: join(tmpdir(), 'no-such-web-root') });
    const res = await fetch(`${gw.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/<html lang="fr">[\s\S]*Ciné Creuse[\s\S]*pas encore installée/);
  });

  it('serves the built page, its assets, and the page again for deep links; the API stays JSON', async () => {
    const root = await mkdtemp(join(tmpdir(), 'cine-web-'));
    try {
      await mkdir(join(root, 'assets'));
      await writeFile(join(root, 'index.html'), '<!doctype html><html lang="fr"><body><div id="app">page</div><script src="/assets/app.js"></script></body></html>');
      await writeFile(join(root, 'assets', 'app.js'), 'console.log("page");');
      const gw = await start({ webRoot: root });
      const home = await fetch(`${gw.url}/`);
      expect([home.status, await home.text()]).toEqual([200, expect.stringContaining('id="app"')]);
      const asset = await fetch(`${gw.url}/assets/app.js`);
      expect([asset.status, asset.headers.get('content-type')]).toEqual([200, expect.stringMatching(/javascript/)]);
      const deep = await fetch(`${gw.url}/film/tt0068646`, { headers: { accept: 'text/html,application/xhtml+xml' } });
      expect([deep.status, await deep.text()]).toEqual([200, expect.stringContaining('id="app"')]);
      const api = await fetch(`${gw.url}/api/v1/unknown`, { headers: { accept: 'text/html' } });
      expect([api.status, api.headers.get('content-type')]).toEqual([404, expect.stringMatching(/^application\/json/)]);
      const missingAsset = await fetch(`${gw.url}/assets/missing.js`);
      expect(missingAsset.status).toBe(404);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('answers an empty catalogue honestly: no hits, 404 films, status not ready', async () => {
    const gw = await start();
    expect((await getJson<{ items: unknown[] }>(`${gw.url}/api/v1/films/search?q=amelie`)).body.items).toEqual([]);
    expect((await getJson(`${gw.url}/api/v1/films/tt0211915`)).status).toBe(404);
    expect((await getJson(`${gw.url}/api/v1/catalogue/status`)).body).toMatchObject({ films: 0, ready: false });
  });

  it('hides the internals of a server error', async () => {
    const broken = await createTestDatabase();
    const gw = await startGateway({ handle: broken.handle });
    try {
      await sql`drop view public.title cascade`.execute(broken.handle.db);
      const { status, body } = await getJson<{ statusCode: number; error: string; message: string }>(`${gw.url}/api/v1/films/search?q=amelie`, {
        'x-request-id': 'trace-me-1',
      });
      expect(status).toBe(500);
      expect(body).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'something went wrong; request id trace-me-1' });
      expect(JSON.stringify(body)).not.toMatch(/relation|title|select|postgres/i);
    } finally {
      await gw.close();
      await broken.drop();
    }
  });
});
