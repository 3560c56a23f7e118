import SwaggerParser from '@apidevtools/swagger-parser';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { getJson, type RunningGateway, startGateway } from './gateway-harness';

/** Every route of the gateway's public port (PRODUCT.md's HTTP table, plus the catalogue status; /metrics is on METRICS_PORT), as OpenAPI names them. */
const ROUTES = [
  ['get', '/api/v1/films/search'],
  ['get', '/api/v1/films/{tconst}'],
  ['post', '/api/v1/recommendations'],
  ['get', '/api/v1/kpis'],
  ['get', '/api/v1/kpis/{name}'],
  ['get', '/api/v1/catalogue/status'],
  ['post', '/api/v1/admin/etl-runs'],
  ['get', '/api/v1/admin/etl-runs/{id}'],
  ['post', '/api/v1/auth/login'],
  ['post', '/api/v1/auth/logout'],
  ['get', '/api/v1/auth/me'],
  ['get', '/posters/{size}/{tconst}.jpg'],
  ['get', '/api/v1/screenings'],
  ['post', '/api/v1/screenings/matches'],
  ['get', '/api/v1/screenings/{id}.ics'],
  ['get', '/programme.ics'],
  ['get', '/api/v1/admin/films/search'],
  ['get', '/api/v1/admin/rooms'],
  ['post', '/api/v1/admin/rooms'],
  ['get', '/api/v1/admin/screenings'],
  ['post', '/api/v1/admin/screenings'],
  ['patch', '/api/v1/admin/screenings/{id}'],
  ['delete', '/api/v1/admin/screenings/{id}'],
  ['post', '/api/v1/admin/screenings/import'],
  ['post', '/api/v1/admin/subscribers/erase'],
  ['post', '/api/v1/admin/weeks/{weekStart}/publish'],
  ['post', '/api/v1/admin/weeks/{weekStart}/duplicate'],
  ['get', '/api/v1/admin/films/{tconst}/audience'],
  ['delete', '/api/v1/admin/taste-store'],
  ['get', '/api/v1/subscriptions/consent'],
  ['post', '/api/v1/subscriptions'],
  ['post', '/api/v1/subscriptions/confirm'],
  ['get', '/api/v1/subscriptions/me'],
  ['put', '/api/v1/subscriptions/me'],
  ['delete', '/api/v1/subscriptions/me'],
  ['get', '/api/v1/subscriptions/me/export'],
  ['get', '/u/{token}'],
  ['post', '/u/{token}'],
  ['get', '/api/v1/admin/notifications/stats'],
  ['get', '/api/v1/admin/notifications/preview'],
  ['post', '/api/v1/admin/notifications/digest'],
  ['get', '/health/live'],
  ['get', '/health/ready'],
] as const;

interface Operation {
  tags?: string[];
  summary?: string;
  parameters?: Array<{ in: string; name: string; required?: boolean; schema?: unknown }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
  security?: unknown[];
}
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components?: { securitySchemes?: Record<string, unknown> } };

describe('gateway OpenAPI document', () => {
  let t: TestDatabase;
  let gw: RunningGateway;
  let doc: Document;
  beforeAll(async () => {
    t = await createTestDatabase();
    gw = await startGateway({ handle: t.handle });
    const { status, body } = await getJson<Document>(`${gw.url}/docs/json`);
    expect(status).toBe(200);
    doc = body;
  });
  afterAll(async () => {
    await gw?.close();
    await t?.drop();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
  });

  it('documents every route and nothing else, each with a summary, a tag and its responses', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`));
    expect(documented.sort()).toEqual(ROUTES.map(([m, p]) => `${m} ${p}`).sort());
    for (const [method, path] of ROUTES) {
      const op = doc.paths[path]![method]!;
      expect([path, typeof op.summary]).toEqual([path, 'string']);
      expect(op.tags?.length).toBeGreaterThan(0);
      const success = op.responses['200'] ?? op.responses['201'] ?? op.responses['202'];
      // An erasure answers 204: no body to describe.
      const described = success?.content ? 'has schema' : op.responses['204'] ? 'no content' : 'none';
      expect([method, path, described]).toEqual([method, path, method === 'delete' && path === '/api/v1/subscriptions/me' ? 'no content' : 'has schema']);
    }
  });

  it('describes parameters, bodies and error answers from the same schemas that validate requests', () => {
    const search = doc.paths['/api/v1/films/search']!.get!;
    expect(search.parameters?.map((p) => [p.in, p.name, p.required ?? false])).toEqual([
      ['query', 'q', true],
      ['query', 'limit', false],
      ['query', 'type', false],
    ]);
    const film = doc.paths['/api/v1/films/{tconst}']!.get!;
    expect(film.parameters?.[0]).toMatchObject({ in: 'path', name: 'tconst', required: true, schema: { pattern: '^tt[0-9]{7,10}$' } });
    expect(Object.keys(film.responses).sort()).toEqual(['200', '400', '404', '429', '500']);

    const recommendations = doc.paths['/api/v1/recommendations']!.post!;
    const body = recommendations.requestBody?.content['application/json']?.schema as { required: string[]; additionalProperties: boolean; properties: Record<string, unknown> };
    expect(body.required).toEqual(['liked']);
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(body.properties).sort()).toEqual(['disliked', 'diversity', 'filters', 'k', 'liked', 'visitId']);
    expect(body.properties.visitId).toMatchObject({ type: 'string', pattern: expect.stringContaining('4[0-9a-f]{3}') });
    expect(recommendations.responses['503']).toBeDefined();
    const error = recommendations.responses['400']!.content!['application/json']!.schema as { required: string[] };
    expect(error.required.sort()).toEqual(['error', 'message', 'statusCode']);

    const admin = doc.paths['/api/v1/admin/etl-runs']!.post!;
    expect(admin.security).toEqual([{ apiKey: [] }, { ownerSession: [] }]);
    const wipe = doc.paths['/api/v1/admin/taste-store']!.delete!;
    expect(wipe.security).toEqual([{ apiKey: [] }, { ownerSession: [] }]);
    expect(Object.keys(wipe.responses).sort()).toEqual(['200', '401', '403', '429', '500', '503']);
    expect(doc.components?.securitySchemes?.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    expect(doc.components?.securitySchemes?.ownerSession).toEqual({ type: 'apiKey', in: 'cookie', name: 'cine_owner' });
    const login = doc.paths['/api/v1/auth/login']!.post!;
    const loginBody = login.requestBody?.content['application/json']?.schema as { required: string[]; additionalProperties: boolean };
    expect([loginBody.required.sort(), loginBody.additionalProperties]).toEqual([['email', 'password'], false]);
    expect(Object.keys(login.responses).sort()).toEqual(['200', '400', '401', '413', '415', '429', '500']);
  });

  it('describes the programme: the CSV import as text/csv, the calendars as text/calendar, the editor behind the admin security', () => {
    const csvImport = doc.paths['/api/v1/admin/screenings/import']!.post!;
    expect(Object.keys(csvImport.requestBody?.content ?? {})).toEqual(['text/csv']);
    for (const path of ['/api/v1/screenings/{id}.ics', '/programme.ics']) {
      expect([path, Object.keys(doc.paths[path]!.get!.responses['200']!.content ?? {})]).toEqual([path, ['text/calendar']]);
    }
    for (const [method, path] of ROUTES.filter(([, p]) => p.startsWith('/api/v1/admin/') && !p.includes('etl-runs'))) {
      expect([method, path, doc.paths[path]![method]!.security]).toEqual([method, path, doc.paths['/api/v1/admin/etl-runs']!.post!.security]);
    }
    const screening = doc.paths['/api/v1/admin/screenings']!.post!.requestBody?.content['application/json']?.schema as { required: string[] };
    expect(screening.required.sort()).toEqual(['room', 'startsAt', 'tconst', 'version']);
  });

  it('describes the notifications: the manage routes behind the Bearer token, the one-click POST as a form, the owner\'s behind the admin security', () => {
    expect(doc.components?.securitySchemes?.manageToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const [method, path] of ROUTES.filter(([, p]) => p.startsWith('/api/v1/subscriptions/me'))) {
      expect([method, path, doc.paths[path]![method]!.security]).toEqual([method, path, [{ manageToken: [] }]]);
      expect([method, path, doc.paths[path]![method]!.tags]).toEqual([method, path, ['notifications']]);
    }
    for (const [method, path] of ROUTES.filter(([, p]) => p.startsWith('/api/v1/admin/notifications'))) {
      expect([method, path, doc.paths[path]![method]!.tags]).toEqual([method, path, ['notifications-admin']]);
    }
    const oneClick = doc.paths['/u/{token}']!.post!;
    expect(Object.keys(oneClick.requestBody?.content ?? {}).sort()).toEqual(['application/x-www-form-urlencoded', 'multipart/form-data']);
    expect(oneClick.security).toBeUndefined();
    expect(Object.keys(doc.paths['/u/{token}']!.get!.responses['200']!.content ?? {})).toEqual(['text/html']);
    const subscribe = doc.paths['/api/v1/subscriptions']!.post!.requestBody?.content['application/json']?.schema as { required: string[]; additionalProperties: boolean };
    expect([subscribe.required.sort(), subscribe.additionalProperties]).toEqual([['consent', 'email', 'liked', 'preferences'], false]);
    expect(Object.keys(doc.paths['/api/v1/subscriptions']!.post!.responses).sort()).toEqual(['202', '400', '413', '415', '429', '500', '503']);
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await fetch(`${gw.url}/docs`, { redirect: 'follow' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });
});
