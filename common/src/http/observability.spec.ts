import Fastify, { type FastifyInstance } from 'fastify';
import { type CheckResult, type MetricsRegistry, registerMetricsRoute, registerObservability, REQUEST_ID_HEADER, requestIdServerOptions } from './observability';
import { deadline } from '../testing/wait';

/** A real server on a free port, spoken to over HTTP, as compose's healthchecks and the gateway do. */
async function serve(build: (app: FastifyInstance) => void): Promise<{ app: FastifyInstance; base: string }> {
  const app = Fastify({ logger: false, ...requestIdServerOptions() });
  build(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return { app, base: `http://127.0.0.1:${address.port}` };
}

describe('registerObservability', () => {
  let app: FastifyInstance;
  let base: string;
  let dbState: CheckResult;
  let seenIds: string[];
  let hangs = false;
  let throws = false;

  beforeAll(async () => {
    dbState = { ok: true, detail: 'postgres 16' };
    seenIds = [];
    ({ app, base } = await serve((a) => {
      registerObservability(a, {
        service: 'probe-test',
        checkTimeoutMs: 200,
        readiness: {
          db: async () => dbState,
          // Never answers: the probe must still answer, naming the timeout.
          hung: () => (hangs ? new Promise<CheckResult>(() => {}) : Promise.resolve({ ok: true })),
          throws: async () => {
            if (throws) throw new Error('redis: connection refused');
            return { ok: true };
          },
        },
      });
      a.get('/echo', async (request) => {
        seenIds.push(request.id);
        return { id: request.id };
      });
    }));
  });

  afterAll(async () => {
    await app.close();
  });

  afterEach(() => {
    dbState = { ok: true, detail: 'postgres 16' };
    hangs = false;
    throws = false;
  });

  it('keeps a sane X-Request-Id from the caller and echoes it', async () => {
    const response = await fetch(`${base}/echo`, { headers: { [REQUEST_ID_HEADER]: 'gw-1234.abc:9' } });
    expect(response.headers.get(REQUEST_ID_HEADER)).toBe('gw-1234.abc:9');
    expect(await response.json()).toEqual({ id: 'gw-1234.abc:9' });
  });

  it('replaces an unsafe or missing request id with a fresh UUID', async () => {
    const unsafe = await fetch(`${base}/echo`, { headers: { [REQUEST_ID_HEADER]: 'x'.repeat(129) } });
    const injected = await fetch(`${base}/echo`, { headers: { [REQUEST_ID_HEADER]: 'a b\tc' } });
    const none = await fetch(`${base}/echo`);
    const ids = [unsafe, injected, none].map((r) => r.headers.get(REQUEST_ID_HEADER));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(3);
    expect(seenIds.slice(-3)).toEqual(ids);
  });

  it('answers /health/live whatever the dependencies say', async () => {
    dbState = { ok: false, detail: 'down' };
    const response = await fetch(`${base}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('is ready (200) when every check is ok, with each check timed', async () => {
    const response = await fetch(`${base}/health/ready`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean; detail?: string; ms: number }> };
    expect(body.status).toBe('ready');
    expect(Object.keys(body.checks).sort()).toEqual(['db', 'hung', 'throws']);
    expect(body.checks.db).toMatchObject({ ok: true, detail: 'postgres 16' });
    expect(typeof body.checks.db!.ms).toBe('number');
  });

  it('is not ready (503) when a check fails, throws or hangs past the timeout', async () => {
    dbState = { ok: false, detail: 'database unreachable' };
    throws = true;
    hangs = true;
    const started = performance.now();
    const response = await fetch(`${base}/health/ready`);
    const elapsed = performance.now() - started;
    expect(response.status).toBe(503);
    const body = (await response.json()) as { status: string; checks: Record<string, { ok: boolean; detail?: string }> };
    expect(body.status).toBe('not_ready');
    expect(body.checks.db).toMatchObject({ ok: false, detail: 'database unreachable' });
    expect(body.checks.throws).toMatchObject({ ok: false, detail: 'redis: connection refused' });
    expect(body.checks.hung).toMatchObject({ ok: false, detail: 'no answer within 200 ms' });
    // The hung check is cut at its timeout instead of holding the probe (compose allows 5 s on
    // a quiet machine).
    expect(elapsed).toBeLessThan(deadline(5000));
  });

  it('exposes Prometheus metrics with the service label and per-route request durations', async () => {
    await fetch(`${base}/echo`);
    await fetch(`${base}/no-such-route`);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/process_resident_memory_bytes\{service="probe-test"\} \d+/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/echo"[^}]*status_code="200"[^}]*\} [1-9]/);
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="unmatched"[^}]*status_code="404"[^}]*\} [1-9]/);
  });

  it('serves the metrics on another app only, when asked to (a service whose own port is public)', async () => {
    let registry: MetricsRegistry | undefined;
    const publicApp = await serve((a) => {
      registry = registerObservability(a, { service: 'public-door', metricsRoute: false });
      a.get('/hello', async () => ({ hello: 'world' }));
    });
    const internal = await serve((a) => registerMetricsRoute(a, registry!));
    try {
      await fetch(`${publicApp.base}/hello`);
      expect((await fetch(`${publicApp.base}/metrics`)).status).toBe(404);
      const scrape = await fetch(`${internal.base}/metrics`);
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).toMatch(/http_request_duration_seconds_count\{service="public-door",[^}]*route="\/hello"[^}]*\} 1/);
      // The metrics app's own requests are not counted as the public app's.
      expect(text).not.toContain('route="/metrics"');
    } finally {
      await internal.app.close();
      await publicApp.app.close();
    }
  });

  it('keeps one registry per app, so two services in one process report their own figures', async () => {
    const other = await serve((a) => registerObservability(a, { service: 'second' }));
    try {
      await fetch(`${other.base}/health/live`);
      const text = await (await fetch(`${other.base}/metrics`)).text();
      expect(text).toContain('service="second"');
      expect(text).not.toContain('service="probe-test"');
      expect(text).not.toContain('route="/echo"');
    } finally {
      await other.app.close();
    }
  });
});
