import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { ADMIN_KEY, type RunningGateway, startGateway } from './gateway-harness';
import { deadline } from '@cine/common/testing';

interface ApiError {
  statusCode: number;
  error: string;
  message: string;
}

/**
 * Text that has no UTF-8 form (a lone UTF-16 surrogate in JSON, invalid UTF-8 behind a
 * percent sign) must be refused at the door with a 400 naming the field, whatever the database:
 * PostgreSQL took it, PGlite failed on it with a 500.
 */
describe.each([
  ['PostgreSQL', () => createTestDatabase()],
  ['embedded PGlite', () => createEmbeddedTestDatabase()],
])('text that cannot be encoded, on %s', (_backend, create) => {
  let t: TestDatabase;
  let gw: RunningGateway;
  beforeAll(async () => {
    t = await create();
    gw = await startGateway({ handle: t.handle });
  }, deadline(120_000));
  afterAll(async () => {
    await gw?.close();
    await t?.drop();
  });

  const send = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${gw.url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body }),
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as ApiError, headers: res.headers };
  };
  const refused = (field: RegExp) => ({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(field) });

  it('refuses a lone surrogate in a JSON body, naming the field', async () => {
    const liked = await send('POST', '/api/v1/recommendations', '{"liked":["\\u00e9\\udc00"]}');
    expect(liked).toMatchObject({ status: 400, body: refused(/^body\/liked\/0 .*UTF-8/) });
    expect(Object.keys(liked.body).sort()).toEqual(['error', 'message', 'statusCode']);
    const nested = await send('POST', '/api/v1/recommendations', '{"liked":["amelie"],"filters":{"genres":["Drama","\\ud800x"]}}');
    expect(nested).toMatchObject({ status: 400, body: refused(/^body\/filters\/genres\/1 /) });
    const admin = await send('POST', '/api/v1/admin/etl-runs', '{"reason":"import \\udfff"}', { 'x-api-key': ADMIN_KEY });
    expect(admin).toMatchObject({ status: 400, body: refused(/^body\/reason /) });
    const key = await send('POST', '/api/v1/recommendations', '{"liked":["amelie"],"filters":{"\\udc00":1}}');
    expect(key).toMatchObject({ status: 400, body: refused(/^body\/filters \(a field name\) /) });
    // Deeply nested (a walk that recursed would overflow the stack: a 500).
    const deep = await send('POST', '/api/v1/recommendations', `{"liked":${'['.repeat(30_000)}"\\udc00"${']'.repeat(30_000)}}`);
    expect(deep.status).toBe(400);
    // A well-formed pair (an emoji) is text like any other.
    const emoji = await send('POST', '/api/v1/recommendations', '{"liked":["\\ud83c\\udfac"]}');
    expect(emoji.status).not.toBe(400);
  });

  it('refuses invalid UTF-8 in the query string, naming the parameter', async () => {
    for (const q of ['%ED%B0%80', '%C3%A9%ED%B0%80', 'abc%FF', '%C3']) {
      const res = await send('GET', `/api/v1/films/search?q=${q}`);
      expect({ q, ...res, headers: undefined }).toMatchObject({ q, status: 400, body: refused(/^querystring\/q .*UTF-8/) });
    }
    // Valid percent-encoding still reads as text.
    const ok = await send('GET', '/api/v1/films/search?q=%C3%A9t%C3%A9');
    expect([ok.status, (ok.body as unknown as { query: string }).query]).toEqual([200, 'été']);
  });

  it('refuses invalid UTF-8 in a path parameter, naming it, in the documented shape with the usual headers', async () => {
    for (const [path, field] of [
      ['/api/v1/films/%ED%B0%80', /^params\/tconst .*UTF-8/],
      ['/api/v1/kpis/%ff', /^params\/name .*UTF-8/],
    ] as const) {
      const res = await send('GET', path, undefined, { 'x-request-id': 'bad-path-1' });
      expect({ path, status: res.status, body: res.body }).toEqual({ path, status: 400, body: refused(field) });
      expect(res.headers.get('x-request-id')).toBe('bad-path-1');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});
