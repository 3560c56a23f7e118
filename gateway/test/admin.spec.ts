import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { CatalogueStatus } from '@cine/common';
import { deadline, spawnInGroup, until } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { QueueName, startJobWorker } from '@cine/common';
import { isBadInput } from '@cine/etl-worker';
import { createEmbeddingHandlers } from '@cine/recommender';
import IORedis from 'ioredis';
import { etlFor } from '@cine/etl-worker/testing/etl-harness';
import { describeWithSamples, IMDB, TMDB } from '@cine/etl-worker/testing/samples';
import { ADMIN_KEY, getJson, postJson, type RunningGateway, silentLog, startGateway, TEST_REDIS_URL } from './gateway-harness';

const FAMOUS = { imdb: [IMDB('famous-40')], tmdb: [TMDB('tmdb_full.csv')], policy: { movieMinVotes: 0, seriesMinVotes: 0 }, reason: 'gateway test' };
const key = { 'x-api-key': ADMIN_KEY };

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** Removes every key a test run wrote under its BullMQ prefix, so Redis is left as found. */
async function cleanRedis(prefix: string | null): Promise<void> {
  if (!prefix) return;
  const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

describeWithSamples('gateway admin: imports on the real BullMQ queue, behind the X-Api-Key', () => {
  let t: TestDatabase;
  let gw: RunningGateway & { prefix: string | null };
  beforeAll(async () => {
    t = await createTestDatabase();
    gw = await startGateway({ handle: t.handle, redis: { url: TEST_REDIS_URL } });
  });
  afterAll(async () => {
    await gw?.close();
    await cleanRedis(gw?.prefix ?? null);
    await t?.drop();
  });

  it('refuses a missing or wrong key with 401, whatever its length, before looking at the body', async () => {
    const url = `${gw.url}/api/v1/admin/etl-runs`;
    const attempts: Record<string, string>[] = [{}, { 'x-api-key': '' }, { 'x-api-key': 'wrong' }, { 'x-api-key': `${ADMIN_KEY}x` }, { 'x-api-key': ADMIN_KEY.toUpperCase() }];
    for (const headers of attempts) {
      const { status, body } = await postJson(url, { bogus: true }, headers);
      expect([status, body]).toEqual([401, { statusCode: 401, error: 'Unauthorized', message: expect.stringMatching(/X-Api-Key/) }]);
    }
    expect((await getJson(`${url}/some-id`)).status).toBe(401);
  });

  it('validates the body, naming the field', async () => {
    const url = `${gw.url}/api/v1/admin/etl-runs`;
    const cases: Array<[unknown, RegExp]> = [
      [{ imdb: 'folder' }, /^body\/imdb must be array$/],
      [{ imdb: [''] }, /^body\/imdb\/0 must NOT have fewer than 1 characters$/],
      [{ policy: { movieMinVotes: -1 } }, /^body\/policy\/movieMinVotes must be >= 0$/],
      [{ policy: { minVotes: 5 } }, /^body\/policy\/minVotes is not allowed/],
      [{ imdb: [], tmdb: [] }, /^body\/imdb or body\/tmdb must name at least one source$/],
    ];
    for (const [body, message] of cases) {
      const answer = await postJson<{ message: string }>(url, body, key);
      expect([answer.status, answer.body.message]).toEqual([400, expect.stringMatching(message)]);
    }
  });

  it('enqueues an import (the same one twice is one run), a worker carries it out, progress is followed', async () => {
    const started = await postJson<{ id: string; deduplicated: boolean; statusUrl: string }>(`${gw.url}/api/v1/admin/etl-runs`, FAMOUS, key);
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ id: expect.stringMatching(/^post-import-/), deduplicated: false, statusUrl: `/api/v1/admin/etl-runs/${started.body.id}` });
    const again = await postJson<{ id: string; deduplicated: boolean }>(`${gw.url}/api/v1/admin/etl-runs`, FAMOUS, key);
    expect(again.body).toMatchObject({ id: started.body.id, deduplicated: true });

    // No worker yet: queued, and the public status says so.
    const queued = await getJson<{ state: string; steps: Array<{ name: string; state: string }> }>(`${gw.url}${started.body.statusUrl}`, key);
    expect(queued.status).toBe(200);
    expect(queued.body.state).toBe('waiting');
    expect(queued.body.steps.map((s) => s.name)).toEqual(['import-catalogue', 'build-embeddings', 'refresh-kpis', 'post-import']);
    expect((await getJson<CatalogueStatus>(`${gw.url}/api/v1/catalogue/status`)).body.import).toMatchObject({ state: 'queued', progress: 0 });

    // The two consumers of a compose stack: the etl-worker and the recommender's build worker.
    const jobs = { redisUrl: TEST_REDIS_URL, prefix: gw.prefix!, lockDurationMs: 30_000, stalledIntervalMs: 30_000 };
    const worker = startJobWorker(etlFor(t.handle).handlers, { queue: QueueName.Etl, ...jobs, isBadInput }, silentLog);
    const builder = startJobWorker(createEmbeddingHandlers(t.handle, silentLog), { queue: QueueName.Embeddings, ...jobs }, silentLog);
    try {
      const done = await until(
        'import completed',
        async () => {
          const view = await getJson<{ state: string; error: string | null; steps: Array<{ state: string; progress: { rowsRead: number } | null }> }>(
            `${gw.url}${started.body.statusUrl}`,
            key,
          );
          if (view.body.state === 'failed') throw new Error(`import failed: ${view.body.error}`);
          return view.body.state === 'completed' ? view.body : null;
        },
        { timeoutMs: 60_000 },
      );
      expect(done.steps.every((s) => s.state === 'completed')).toBe(true);
      expect(done.steps[0]?.progress?.rowsRead).toBeGreaterThan(0);
    } finally {
      await worker.stop('test over');
      await builder.stop('test over');
    }
    // The chain built the embeddings after the swap: ready, and post-import recorded success.
    const state = await t.handle.db.selectFrom('catalogue_state').select('post_import_status').executeTakeFirstOrThrow();
    expect(state.post_import_status).toBe('succeeded');
    const status = (await getJson<CatalogueStatus>(`${gw.url}/api/v1/catalogue/status`)).body;
    expect(status).toMatchObject({ films: 40, ready: true, import: { state: 'idle' } });
    expect(status.import.finishedAt).not.toBeNull();
  });

  it('answers a JSON 404 for an unknown run and 400 for a malformed id', async () => {
    expect(await getJson(`${gw.url}/api/v1/admin/etl-runs/post-import-000000000000000000000000`, key)).toMatchObject({ status: 404, body: { statusCode: 404 } });
    expect((await getJson(`${gw.url}/api/v1/admin/etl-runs/a:b`, key)).status).toBe(400);
  });
});

describe('gateway admin without ADMIN_API_KEY', () => {
  let t: TestDatabase;
  let gw: RunningGateway;
  beforeAll(async () => {
    t = await createTestDatabase();
    gw = await startGateway({ handle: t.handle, env: { ADMIN_API_KEY: '' } });
  });
  afterAll(async () => {
    await gw?.close();
    await t?.drop();
  });

  it('is disabled (503), never open, whatever key is sent', async () => {
    const attempts: Record<string, string>[] = [{}, key, { 'x-api-key': '' }];
    for (const headers of attempts) {
      const { status, body } = await postJson(`${gw.url}/api/v1/admin/etl-runs`, {}, headers);
      expect([status, body]).toEqual([503, { statusCode: 503, error: 'Service Unavailable', message: expect.stringMatching(/admin API disabled/) }]);
    }
  });
});

describe('gateway admin when Redis is down, then back', () => {
  let t: TestDatabase;
  let gw: RunningGateway & { prefix: string | null };
  let redis: ChildProcess | null = null;
  let port: number;
  beforeAll(async () => {
    t = await createTestDatabase();
    port = await freePort();
    gw = await startGateway({ handle: t.handle, redis: { url: `redis://127.0.0.1:${port}` } });
  });
  afterAll(async () => {
    await gw?.close();
    if (redis && redis.exitCode === null) {
      redis.kill('SIGTERM');
      await once(redis, 'exit');
    }
    await t?.drop();
  });

  it('answers 503 with Retry-After at once, readiness says the queue is down, and recovers when Redis returns', async () => {
    const started = performance.now();
    const down = await postJson<{ message: string }>(`${gw.url}/api/v1/admin/etl-runs`, FAMOUS, key);
    expect(down.status).toBe(503);
    expect(down.body.message).toMatch(/queue is unavailable/);
    expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(deadline(1500));
    expect((await getJson(`${gw.url}/api/v1/admin/etl-runs/some-run`, key)).status).toBe(503);
    const ready = await getJson<{ checks: Record<string, { ok: boolean }> }>(`${gw.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(ready.body.checks.queue?.ok).toBe(false);
    expect(ready.body.checks.db?.ok).toBe(true);
    // The public status still answers from the ledger.
    expect((await getJson(`${gw.url}/api/v1/catalogue/status`)).status).toBe(200);

    // A throwaway Redis on that port: nothing persisted, gone with the test.
    redis = spawnInGroup('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const accepted = await until(
      'enqueue accepted after Redis returned',
      async () => {
        const answer = await postJson<{ id: string }>(`${gw.url}/api/v1/admin/etl-runs`, FAMOUS, key);
        return answer.status === 202 ? answer.body : null;
      },
      { timeoutMs: 20_000 },
    );
    expect(accepted.id).toMatch(/^post-import-/);
    expect((await getJson(`${gw.url}/api/v1/admin/etl-runs/${accepted.id}`, key)).status).toBe(200);
  });
});
