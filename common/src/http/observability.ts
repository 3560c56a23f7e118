import { randomUUID } from 'node:crypto';
import { type FastifyInstance, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * What every HTTP service shares: a request id carried across services, Prometheus metrics and
 * the two health routes that compose and the gateway use. One registry per app (not prom-client's
 * global one) so that `npm start`, which runs the gateway and the recommender in one process,
 * exposes each service's own figures.
 */

export const REQUEST_ID_HEADER = 'x-request-id';

/** Where a service's figures are kept (one per app): what `/metrics` serves. */
export type MetricsRegistry = Registry;

/** Ids we accept from a caller: short and log-safe; anything else is replaced by a fresh UUID. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify server options that make `request.id` the caller's `X-Request-Id` (when sane) or a UUID. */
export function requestIdServerOptions(): Pick<FastifyServerOptions, 'genReqId' | 'requestIdHeader' | 'logController'> {
  return {
    requestIdHeader: false,
    // The same label in every service's logs, so one grep follows a request across them.
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    genReqId(req) {
      const given = req.headers[REQUEST_ID_HEADER];
      const value = Array.isArray(given) ? given[0] : given;
      return value !== undefined && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
    },
  };
}

export interface CheckResult {
  ok: boolean;
  /** Shown to operators: a version, a reason, a fallback in use. Never a secret. */
  detail?: string;
}

export type ReadinessCheck = () => Promise<CheckResult>;

export interface ObservabilityOptions {
  /** Service name, a label on every metric. */
  service: string;
  /** Named readiness checks; `/health/ready` is 200 only when all say ok. */
  readiness?: Record<string, ReadinessCheck>;
  /** A check slower than this counts as failed, so a hung dependency cannot hang the probe. */
  checkTimeoutMs?: number;
  /** OpenAPI tag for the health and metrics routes. */
  tag?: string;
  /**
   * `false`: no `/metrics` on this app; the caller serves the returned registry on a port of its
   * own (`registerMetricsRoute`). For a service whose port is public (the gateway): the figures
   * name every route, count refusals and show the process's memory. Default `true`, for the
   * services that only listen on an internal network.
   */
  metricsRoute?: boolean;
}

const checkSchema = {
  type: 'object',
  required: ['ok'],
  properties: { ok: { type: 'boolean' }, detail: { type: 'string' }, ms: { type: 'number' } },
} as const;

const readySchema = {
  type: 'object',
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    checks: { type: 'object', additionalProperties: checkSchema },
  },
} as const;

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult & { ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = await Promise.race([
      check(),
      new Promise<CheckResult>((resolve) => {
        timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
      }),
    ]);
    return { ...result, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, detail: err instanceof Error ? err.message : String(err), ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

/** The route label of a request: its route pattern, so metrics stay low-cardinality. */
function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/**
 * Registers request-id echo, HTTP metrics, `GET /metrics` (unless `metricsRoute: false`),
 * `GET /health/live` and `GET /health/ready` on `app`. Returns the registry so a service can add
 * its own metrics, or serve them elsewhere.
 */
export function registerObservability(app: FastifyInstance, opts: ObservabilityOptions): MetricsRegistry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: opts.service });
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      { method: request.method, route: routeLabel(request), status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const tags = opts.tag ? [opts.tag] : undefined;
  const checks = opts.readiness ?? {};
  const timeoutMs = opts.checkTimeoutMs ?? 2000;

  app.get(
    '/health/live',
    {
      logLevel: 'warn',
      schema: {
        tags,
        summary: 'Liveness: the process answers',
        response: { 200: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['ok'] } } } },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      logLevel: 'warn',
      schema: {
        tags,
        summary: 'Readiness: every dependency this service needs answers',
        response: { 200: readySchema, 503: readySchema },
      },
    },
    async (_request, reply) => {
      const names = Object.keys(checks);
      const results = await Promise.all(names.map((name) => runCheck(checks[name]!, timeoutMs)));
      const byName = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
      const ready = results.every((r) => r.ok);
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: byName });
    },
  );

  if (opts.metricsRoute !== false) registerMetricsRoute(app, registry, { tag: opts.tag });

  return registry;
}

/** `GET /metrics` on `app`: the registry in Prometheus' text exposition format. */
export function registerMetricsRoute(app: FastifyInstance, registry: MetricsRegistry, opts: { tag?: string } = {}): void {
  app.get(
    '/metrics',
    {
      logLevel: 'warn',
      schema: {
        tags: opts.tag ? [opts.tag] : undefined,
        summary: 'Prometheus metrics (text exposition format)',
        produces: ['text/plain'],
        response: { 200: { type: 'string' } },
      },
    },
    async (_request, reply) => {
      const body = await registry.metrics();
      return reply.type(registry.contentType).send(body);
    },
  );
}
