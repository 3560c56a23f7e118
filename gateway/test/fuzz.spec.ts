/**
 * The real recommender runs onnxruntime in this process: its environment shares the host's typed
 * arrays with the test realm.
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { buildEmbeddings, type RunningRecommender, startRecommender } from '@cine/recommender';
import type { InjectOptions } from 'fastify';
import { etlFor, SAMPLE_POLICY } from '@cine/etl-worker/testing/etl-harness';
import { describeWithSamples, IMDB, TMDB } from '@cine/etl-worker/testing/samples';
import { ADMIN_KEY, type RunningGateway, silentLog, startGateway } from './gateway-harness';
import { deadline } from '@cine/common/testing';

/** Per run, from one seed: `FUZZ_REQUESTS=50000 FUZZ_SEED=… npm run test:integration -- gateway/test/fuzz.spec.ts` goes further. */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 6_000);
/**
 * PGlite answers one query at a time in this process: fewer requests keep the run short, and
 * enough of them reach its search with every kind of text (a lone surrogate failed only there).
 */
const EMBEDDED_REQUESTS = Number(process.env.FUZZ_EMBEDDED_REQUESTS ?? 4_000);
const CONCURRENCY = 8;
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);

/** mulberry32: a small seeded generator, so a failing run can be replayed with FUZZ_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY_STRINGS = [
  '',
  ' ',
  'amelie',
  'le parrain',
  'godfater',
  'tt0068646',
  'tt0211915',
  'tt',
  'tt99999999999',
  'TT0068646',
  "'; drop table title; --",
  '" or 1=1 --',
  '%',
  '%%',
  '_',
  '\\',
  '\u0000',
  'a\u0000b',
  '\uFEFF',
  '\uD800',
  // Lone surrogates beside other text: no UTF-8 form, so PGlite failed on them (500) where PostgreSQL did not.
  '\u00e9\uDC00',
  'a\uD800b',
  '\uDC00\uD800',
  '🎬🍿',
  'Ωμέγα',
  'שלום',
  '東京物語',
  'ǅ',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%2e%2e%2f',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  '0x10',
  '   padded   ',
  '\n\r\t',
  'a'.repeat(199),
  'a'.repeat(201),
  'é'.repeat(300),
  'x'.repeat(5000),
];

/** Percent-encoding that also sends what encodeURIComponent refuses (a lone surrogate) as invalid UTF-8. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text.replace(/[\uD800-\uDFFF]/g, '%ED%A0%80').replace(/[^%A-Za-z0-9]/g, (c) => encodeURIComponent(c));
  }
}

function fuzzer(random: () => number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (max: number) => Math.floor(random() * max);
  const randomText = (): string => {
    if (random() < 0.6) return pick(NASTY_STRINGS);
    const length = int(40);
    let out = '';
    for (let i = 0; i < length; i++) out += String.fromCodePoint(random() < 0.8 ? 32 + int(95) : int(0x2ffff));
    return out;
  };
  const value = (depth = 0): unknown => {
    const r = random();
    if (r < 0.25) return randomText();
    if (r < 0.4) return pick([0, 1, -1, 10, 50, 51, 0.5, 1e9, -1e9, 3.14, Number.MAX_SAFE_INTEGER]);
    if (r < 0.5) return pick([true, false, null]);
    if (depth > 4) return null;
    if (r < 0.75) return Array.from({ length: int(6) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['liked', 'disliked', 'k', 'filters', 'diversity', 'genres', 'decades', 'maxRuntime', 'frenchOnly', 'imdb', 'tmdb', 'policy', 'force', 'x', '__proto__', 'constructor']), value(depth + 1)]));
  };
  const recommendationBody = (): unknown => {
    if (random() < 0.3) return value();
    const body: Record<string, unknown> = { liked: Array.from({ length: int(4) }, () => (random() < 0.8 ? randomText() : value())) };
    if (random() < 0.4) body.disliked = Array.from({ length: int(3) }, randomText);
    if (random() < 0.5) body.k = pick([1, 5, 10, 50, 0, 51, '5', 2.5, -3]);
    if (random() < 0.3) body.diversity = pick([0, 0.5, 1, 1.5, -0.1, '0.2']);
    if (random() < 0.3) {
      body.filters = pick([
        { genres: ['Drama'] },
        { genres: [randomText()] },
        { decades: [1990, 2000] },
        { decades: [1995] },
        { maxRuntime: 120 },
        { maxRuntime: -5 },
        { frenchOnly: true },
        { frenchOnly: 'yes' },
        value(),
      ]);
    }
    return body;
  };
  const query = (): string => {
    const params: string[] = [];
    if (random() < 0.9) params.push(`q=${encode(randomText())}`);
    if (random() < 0.4) params.push(`limit=${encode(String(value()))}`);
    if (random() < 0.3) params.push(`type=${pick(['movie', 'series', 'all', 'films', ''])}`);
    if (random() < 0.1) params.push(`${encode(randomText())}=${encode(randomText())}`);
    if (random() < 0.05) params.push('q=a&q=b');
    if (random() < 0.05) params.push('%zz=%');
    return params.join('&');
  };
  const segment = () => (random() < 0.5 ? encode(randomText()) : randomText().replace(/[/?#\s]/g, ''));

  return (): InjectOptions => {
    const headers: Record<string, string> = {};
    if (random() < 0.2) headers['x-request-id'] = randomText().replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '');
    const kind = int(12);
    switch (kind) {
      case 0:
      case 1:
        return { method: 'GET', url: `/api/v1/films/search?${query()}`, headers };
      case 2:
        return { method: 'GET', url: `/api/v1/films/${random() < 0.5 ? pick(['tt0068646', 'tt0211915', 'tt0110912', 'tt0000001']) : segment()}`, headers };
      case 3:
      case 4:
      case 5: {
        const raw = random() < 0.15;
        const payload = raw ? pick(['{', '{"liked":', '[', 'null', '"x"', '{"liked":["a"]}}', '\u0000', '{"liked":["\\u0000"]}', '{"__proto__":{"liked":[]}}']) : JSON.stringify(recommendationBody());
        const type = random() < 0.9 ? 'application/json' : pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data', '']);
        return { method: 'POST', url: '/api/v1/recommendations', payload, headers: { ...headers, 'content-type': type } };
      }
      case 6:
        return { method: 'GET', url: random() < 0.3 ? '/api/v1/kpis' : `/api/v1/kpis/${random() < 0.5 ? 'catalogue_by_type' : segment()}`, headers };
      case 7:
        return { method: 'GET', url: '/api/v1/catalogue/status', headers };
      case 8: {
        const key = random() < 0.3 ? ADMIN_KEY : randomText().replace(/[^\x20-\x7e]/g, '');
        const adminHeaders = random() < 0.8 ? { ...headers, 'x-api-key': key } : headers;
        if (random() < 0.5) return { method: 'GET', url: `/api/v1/admin/etl-runs/${segment()}`, headers: adminHeaders };
        return { method: 'POST', url: '/api/v1/admin/etl-runs', payload: JSON.stringify(value()), headers: { ...adminHeaders, 'content-type': 'application/json' } };
      }
      case 9:
        return { method: pick(['GET', 'HEAD'] as const), url: pick(['/health/live', '/health/ready', '/metrics', '/docs/json', '/']), headers };
      case 10:
        return { method: pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'GET', 'POST'] as const), url: `/${segment()}/${segment()}`, headers };
      default:
        return {
          method: pick(['GET', 'POST', 'PUT', 'DELETE'] as const),
          url: pick(['/api/v1/films', '/api/v1/films/', '/api/v1//films/search?q=x', '/api/v1/recommendations?x=1', '/api/v1/../v1/kpis', `/${'a/'.repeat(200)}`, '/%', '/%00', '/api/v1/films/%00']),
          headers,
        };
    }
  };
}

function documentedError(response: { statusCode: number; body: string; headers: Record<string, unknown> }): boolean {
  if (typeof response.headers['x-request-id'] !== 'string' || response.headers['x-content-type-options'] !== 'nosniff') return false;
  try {
    const body = JSON.parse(response.body) as Record<string, unknown>;
    return Object.keys(body).sort().join() === 'error,message,statusCode' && body.statusCode === response.statusCode;
  } catch {
    return false;
  }
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** One stack per backend, the same sample catalogue imported into each. */
/** The sample catalogue with one embedding version: a copy of the run's template on PostgreSQL, imported and built here on PGlite. */
async function embeddedWithSamples(): Promise<TestDatabase> {
  const t = await createEmbeddedTestDatabase();
  await etlFor(t.handle).importer.run({ imdb: { sources: [IMDB('famous-40')], policy: SAMPLE_POLICY }, tmdb: { sources: [TMDB('tmdb_full.csv')] } });
  await buildEmbeddings(t.handle, silentLog);
  return t;
}

describeWithSamples.each([
  { backend: 'PostgreSQL', create: () => createTestDatabase({ from: 'samples-with-embeddings' }), requests: REQUESTS },
  { backend: 'embedded PGlite', create: embeddedWithSamples, requests: EMBEDDED_REQUESTS },
])('gateway fuzz on $backend: random and malformed requests across every route', ({ backend, create, requests: REQUESTS }) => {
  let t: TestDatabase;
  let recommender: RunningRecommender;
  let gw: RunningGateway;

  beforeAll(async () => {
    t = await create();
    recommender = await startRecommender({ handle: t.handle, log: silentLog, port: 0 });
    // An admin import the fuzz manages to start must fail fast, not download the real dumps.
    // The fuzz looks for wrong answers, not slow ones: the readiness checks and the recommender
    // call get long deadlines, not the product's 2 s, so a loaded machine (load average 10 and 22
    // seen, PGlite's queries queued behind the fuzz) is no 503 "did not answer in time".
    gw = await startGateway({
      handle: t.handle,
      recommenderUrl: recommender.url,
      env: { IMDB_SOURCE: '/nonexistent/imdb-source', RECOMMENDER_TIMEOUT_MS: String(Math.min(deadline(20_000), 60_000)) },
      readinessCheckTimeoutMs: deadline(20_000),
    });
  }, deadline(300_000));
  afterAll(async () => {
    await gw?.close();
    await recommender?.close();
    await t?.drop();
  });

  it(`answers ${REQUESTS} requests without a 5xx, stays alive, and its memory stays flat (seed ${SEED})`, async () => {
    const next = fuzzer(prng(SEED));
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const misshapen: string[] = [];
    let heapAfterWarmup = 0;
    let sent = 0;
    let broken: unknown = null;
    let unsendable = 0;
    const worker = async () => {
      while (sent < REQUESTS && broken === null) {
        const request = next();
        sent++;
        if (sent === Math.floor(REQUESTS / 5)) {
          collectGarbage();
          heapAfterWarmup = process.memoryUsage().heapUsed;
        }
        let response: Awaited<ReturnType<typeof gw.app.inject>>;
        try {
          response = await gw.app.inject(request);
        } catch (err) {
          // A URL no HTTP client can even send (light-my-request parses it first): not the server's.
          if (/Invalid URL/.test(String((err as { message?: unknown } | null)?.message))) {
            unsendable++;
            continue;
          }
          broken = err;
          throw err;
        }
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        // Every refusal, the router's own included, in the documented shape with its request id.
        if (response.statusCode >= 400 && request.method !== 'HEAD' && misshapen.length < 10 && !documentedError(response)) {
          misshapen.push(`${request.method} ${String(request.url).slice(0, 120)} → ${response.statusCode} ${JSON.stringify(response.headers).slice(0, 300)} ${response.body.slice(0, 200)}`);
        }
        if (response.statusCode >= 500 && failures.length < 10) {
          failures.push(
            `${request.method} ${String(request.url).slice(0, 120)} ${JSON.stringify(request.headers ?? {}).slice(0, 120)} ${String(request.payload ?? '').slice(0, 120)} → ${response.statusCode} ${response.body.slice(0, 200)}`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    collectGarbage();
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapAfterWarmup) / 1024 / 1024;

    process.stdout.write(
      `fuzz on ${backend}, seed ${SEED}: ${sent} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}, unsendable ${unsendable}, heap growth ${heapGrowthMb.toFixed(1)} MB\n`,
    );
    expect(failures).toEqual([]);
    expect(misshapen).toEqual([]);
    expect(unsendable).toBeLessThan(REQUESTS / 20);
    expect([...statuses.keys()].every((s) => s < 500)).toBe(true);
    // The fuzz reached the routes, not only the validation: real answers and real refusals.
    expect(statuses.get(200)).toBeGreaterThan(REQUESTS / 10);
    expect(statuses.get(400)).toBeGreaterThan(REQUESTS / 10);
    expect(statuses.get(401)).toBeGreaterThan(REQUESTS / 200);
    expect(statuses.get(404)).toBeGreaterThan(REQUESTS / 50);
    expect(heapGrowthMb).toBeLessThan(40);
    // Still alive, over the network too.
    expect((await fetch(`${gw.url}/health/live`)).status).toBe(200);
    const search = await fetch(`${gw.url}/api/v1/films/search?q=parrain`);
    expect(((await search.json()) as { items: Array<{ tconst: string }> }).items[0]?.tconst).toBe('tt0068646');
  }, deadline(240_000));
});
