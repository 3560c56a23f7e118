import { randomBytes } from 'node:crypto';
import { createLogger, type Env, type ImportQueue, InProcessImportQueue, openImportQueue } from '@cine/common';
import { deadline } from '@cine/common/testing';
import type { DbHandle } from '@cine/db';
import type { FastifyInstance } from 'fastify';
import { ImportTracker } from '../src/admin/import-tracker';
import { buildGateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';
import { MetricsServer } from '../src/http/metrics.server';
import { HttpRecommenderClient } from '../src/recommendations/recommender.repository';
import { handlersFor } from '@cine/etl-worker/testing/etl-harness';

export const silentLog = createLogger('gateway-test', { level: 'silent' });
export const ADMIN_KEY = 'gateway-test-admin-key-0123456789';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A port nothing listens on: the recommender or Redis "down". */
export const CLOSED_URL = 'http://127.0.0.1:9';

export interface RunningGateway {
  url: string;
  /** Its metrics port, as Prometheus reaches it: `${metricsUrl}/metrics`. */
  metricsUrl: string;
  app: FastifyInstance;
  queue: ImportQueue;
  imports: ImportTracker;
  close(): Promise<void>;
}

/**
 * The gateway over real HTTP on a random port, against a test database, the given recommender
 * URL and either the in-process queue or BullMQ on the real Redis under a prefix of its own.
 */
export async function startGateway(opts: {
  handle: DbHandle;
  recommenderUrl?: string;
  env?: Env;
  redis?: { url: string; prefix?: string };
  webRoot?: string;
  /** Readiness checks' timeout (the product's 2 s when unset). */
  readinessCheckTimeoutMs?: number;
}): Promise<RunningGateway & { prefix: string | null }> {
  const config = loadGatewayConfig({
    RECOMMENDER_URL: opts.recommenderUrl ?? CLOSED_URL,
    // A loaded machine answers slower: a timeout here must mean a hang, not a busy CPU.
    RECOMMENDER_TIMEOUT_MS: String(deadline(1500)),
    ADMIN_API_KEY: ADMIN_KEY,
    // Tests send thousands of requests from one address; the limit has its own test.
    RATE_LIMIT_MAX: '1000000',
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  let queue: ImportQueue;
  let prefix: string | null = null;
  if (opts.redis) {
    prefix = opts.redis.prefix ?? `gwtest-${process.pid}-${randomBytes(4).toString('hex')}`;
    queue = openImportQueue(opts.redis.url, { attempts: 1, backoffMs: 10, prefix }, silentLog);
  } else {
    queue = new InProcessImportQueue(handlersFor(opts.handle), silentLog);
  }
  const imports = new ImportTracker();
  const metrics = new MetricsServer(silentLog);
  const app = await buildGateway({
    config,
    handle: opts.handle,
    queue,
    recommender: new HttpRecommenderClient(config.recommender.url, config.recommender.timeoutMs),
    log: silentLog,
    imports,
    metrics,
    ...(opts.webRoot ? { webRoot: opts.webRoot } : {}),
    ...(opts.readinessCheckTimeoutMs !== undefined ? { readinessCheckTimeoutMs: opts.readinessCheckTimeoutMs } : {}),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  await metrics.listen('127.0.0.1', 0);
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    metricsUrl: `http://127.0.0.1:${metrics.port}`,
    app,
    queue,
    imports,
    prefix,
    async close() {
      // A response body the test never read keeps its connection busy until the 60 s connection
      // timeout, and app.close() waits for it (CI saw exactly that). The test is over by now:
      // after a short grace, cut what is left.
      const cut = setTimeout(() => app.server.closeAllConnections(), 500);
      try {
        await app.close();
      } finally {
        clearTimeout(cut);
      }
      await metrics.close();
      await queue.close();
    },
  };
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function getJson<T = unknown>(url: string, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

export async function postJson<T = unknown>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}
