import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadline, within } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import IORedis from 'ioredis';
import { samplePath } from '@cine/etl-worker/testing/sample-path';
import { COMPOSE_FILE, type ComposeFile, ENV_EXAMPLE, loadCompose, readEnvFile } from './compose-file';
import { freePort, NativeProcess, nativeEnv, type NativeTargets, runHealthcheck, statusOf, waitFor } from './native-stack';

/**
 * The strong compose check, without an engine: each compose service's own `command`, run here with
 * the environment docker-compose.yml gives it (postgres, redis and recommender pointed at this
 * machine), in compose's start order, waiting on the same conditions and healthchecks. Then a
 * smoke test through the gateway: catalogue status, an import through the admin API carried out
 * by the worker, the recommender's compose healthcheck turning healthy, and a recommendation whose
 * request id reaches the recommender's logs. A wrong port, variable name or command fails here.
 */

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMIN_KEY = `native-admin-${randomBytes(8).toString('hex')}`;

jest.setTimeout(deadline(240_000));

describe('docker-compose.yml, each service run natively with its compose environment', () => {
  let db: TestDatabase;
  let compose: ComposeFile;
  let targets: NativeTargets;
  const processes = new Map<string, NativeProcess>();

  /**
   * The compose environment, with one timing knob turned: the recommender looks for a new
   * embedding version every RECOMMENDER_POLL_MS (30 s by default, unset in compose), so after an
   * import the test waited up to half a minute for its next poll. Here it polls every second; the
   * pick-up by poll is still what the healthcheck after the import waits for.
   */
  const env = (name: string) => ({
    ...nativeEnv(compose, name, targets),
    ...(name === 'recommender' ? { RECOMMENDER_POLL_MS: '1000' } : {}),
    // The container's /app/.data (its outbox volume), here a folder of the test's: not the clone's .data.
    ...(name === 'notifier' ? { DATA_DIR: notifierData } : {}),
  });
  let notifierData: string;
  const start = (name: string) => {
    const service = compose.services[name]!;
    const proc = NativeProcess.start(name, service.command!, env(name));
    processes.set(name, proc);
    return proc;
  };
  const gatewayUrl = () => `http://127.0.0.1:${targets.ports.gateway}`;
  const recommenderUrl = () => `http://127.0.0.1:${targets.ports.recommender}`;

  beforeAll(async () => {
    compose = loadCompose([COMPOSE_FILE], {
      ...readEnvFile(ENV_EXAMPLE),
      // As an operator's .env may: import local folders (mounted at /data in compose) instead of the download.
      IMDB_SOURCE: [samplePath('imdb/head-50k'), samplePath('imdb/famous-40')].join(','),
      TMDB_SOURCE: samplePath('tmdb/tmdb_full.csv'),
      POSTGRES_PASSWORD: 'unused-natively',
      ADMIN_API_KEY: ADMIN_KEY,
      GRAFANA_ADMIN_PASSWORD: 'unused-natively',
      KPI_DB_PASSWORD: 'unused-natively',
    });
    db = await createTestDatabase({ migrate: false });
    notifierData = mkdtempSync(join(tmpdir(), 'cine-native-notifier-'));
    targets = {
      databaseUrl: db.url!,
      redisUrl: REDIS_URL,
      ports: {
        gateway: await freePort(),
        'gateway:metrics': await freePort(),
        recommender: await freePort(),
        notifier: await freePort(),
        'etl-worker': await freePort(),
        'embedding-builder': await freePort(),
      },
      queuePrefix: `cine-native-${process.pid}-${randomBytes(4).toString('hex')}`,
    };
  });

  afterAll(async () => {
    await Promise.all([...processes.values()].map((p) => p.stop(5000)));
    await db?.drop();
    if (notifierData) rmSync(notifierData, { recursive: true, force: true });
    if (targets) {
      const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
      try {
        const keys = await redis.keys(`${targets.queuePrefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    }
  });

  it('migrate runs to completion (exit 0), as the others wait for', async () => {
    const migrate = start('migrate');
    const code = await within(migrate.exited, 90_000, 'timeout' as const);
    expect({ code, output: code === 0 ? '' : migrate.tail() }).toEqual({ code: 0, output: '' });
    // The schema is there (the public views answer), the catalogue still empty.
    const row = await db.handle.db.selectFrom('title').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(row.n)).toBe(0);
  });

  it('the worker, the build worker and the recommender start; the gateway answers once the recommender has started', async () => {
    const worker = start('etl-worker');
    const builder = start('embedding-builder');
    const recommender = start('recommender');
    await waitFor('recommender /health/live', async () => (await statusOf(`${recommenderUrl()}/health/live`)) === 200, { timeoutMs: 90_000, process: recommender });
    const notifier = start('notifier');
    const gateway = start('gateway');
    // Ready without a catalogue: its database and Redis answer (it needs the recommender only for a job).
    await waitFor('notifier healthcheck', () => runHealthcheck(compose.services.notifier!, env('notifier')), { timeoutMs: 90_000, process: notifier, intervalMs: 500 });
    await waitFor('gateway /health/live', async () => (await statusOf(`${gatewayUrl()}/health/live`)) === 200, { timeoutMs: 90_000, process: gateway });
    await waitFor('worker ready', async () => worker.output.join('').includes('etl worker ready'), { timeoutMs: 60_000, process: worker });
    expect(await runHealthcheck(compose.services['etl-worker']!, env('etl-worker'))).toBe(true);
    await waitFor('build worker ready', async () => builder.output.join('').includes('embedding build worker ready'), { timeoutMs: 60_000, process: builder });
    expect(await runHealthcheck(compose.services['embedding-builder']!, env('embedding-builder'))).toBe(true);
    // Before any catalogue the recommender is honestly not ready, and its compose probe says so.
    expect(await runHealthcheck(compose.services.recommender!, env('recommender'))).toBe(false);
  });

  it('smoke: the public catalogue status through the gateway, on an empty catalogue', async () => {
    const response = await fetch(`${gatewayUrl()}/api/v1/catalogue/status`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ films: 0, ready: false });
  });

  it('first-import (one-shot) has the worker import IMDB_SOURCE/TMDB_SOURCE, following it in its logs, then exits 0', async () => {
    const firstImport = start('first-import');
    const code = await within(firstImport.exited, 150_000, 'timeout' as const);
    expect({ code, output: code === 0 ? '' : `${firstImport.tail()}\nworker:\n${processes.get('etl-worker')!.tail()}` }).toEqual({ code: 0, output: '' });
    expect(firstImport.tail(100)).toMatch(/The catalogue is empty: importing .*head-50k.*famous-40.*tmdb_full\.csv/);
    expect(firstImport.tail(100)).toMatch(/Catalogue ready: \d+ films and series/);
    const status = (await (await fetch(`${gatewayUrl()}/api/v1/catalogue/status`)).json()) as { films: number; ready: boolean };
    expect(status.films).toBeGreaterThan(40);
    // Run again (docker compose up on a loaded install): nothing to do.
    const again = start('first-import');
    expect(await again.exited).toBe(0);
    expect(again.tail()).toMatch(/nothing to import/);
  });

  it('after the import, the recommender and gateway compose healthchecks pass', async () => {
    // The build worker builds the embeddings after the swap; the recommender picks them up at its next poll.
    await waitFor('recommender healthcheck', () => runHealthcheck(compose.services.recommender!, env('recommender')), {
      timeoutMs: 90_000,
      process: processes.get('recommender'),
      intervalMs: 500,
    });
    await waitFor('gateway healthcheck', () => runHealthcheck(compose.services.gateway!, env('gateway')), { timeoutMs: 30_000, process: processes.get('gateway'), intervalMs: 250 });
  });

  it('smoke: a recommendation through the gateway, its request id carried to the recommender', async () => {
    const requestId = `native-smoke-${randomBytes(4).toString('hex')}`;
    const response = await fetch(`${gatewayUrl()}/api/v1/recommendations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId },
      body: JSON.stringify({ liked: ['tt0068646', 'Amélie'], k: 5 }),
    });
    const body = (await response.json()) as { items: Array<{ tconst: string; reason: { fr: string } }>; resolved: { liked: Array<{ status: string }> } };
    expect({ status: response.status, body: response.status === 200 ? null : body }).toEqual({ status: 200, body: null });
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(body.resolved.liked.map((e) => e.status)).toEqual(['resolved', 'resolved']);
    expect(body.items).toHaveLength(5);
    expect(body.items.map((i) => i.tconst)).not.toContain('tt0068646');
    for (const item of body.items) expect(item.reason.fr.length).toBeGreaterThan(0);
    // pino JSON logs in both services, the same request id in both.
    await waitFor('request id in the recommender logs', async () => processes.get('recommender')!.jsonLogs().some((l) => l.requestId === requestId), { timeoutMs: 5000 });
    expect(processes.get('gateway')!.jsonLogs().some((l) => l.requestId === requestId)).toBe(true);
  });

  it('an import through the admin API (another source, no vote threshold) is carried out by the worker', async () => {
    const filmsBefore = ((await (await fetch(`${gatewayUrl()}/api/v1/catalogue/status`)).json()) as { films: number }).films;
    const denied = await fetch(`${gatewayUrl()}/api/v1/admin/etl-runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(denied.status).toBe(401);
    const accepted = await fetch(`${gatewayUrl()}/api/v1/admin/etl-runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY },
      body: JSON.stringify({
        // famous-40 alone: a small import and a small embedding build behind it (the first
        // import's head-50k, again without its threshold, cost the workers seconds of CPU more).
        imdb: [samplePath('imdb/famous-40')],
        tmdb: [samplePath('tmdb/tmdb_full.csv')],
        policy: { movieMinVotes: 0, seriesMinVotes: 0 },
        // 40 titles against the 3,396 served: the shrink guard's refusal, unless forced.
        force: true,
        reason: 'compose-native test',
      }),
    });
    expect(accepted.status).toBe(202);
    const { id } = (await accepted.json()) as { id: string };
    let state = '';
    await waitFor(
      'import completed',
      async () => {
        const view = (await (await fetch(`${gatewayUrl()}/api/v1/admin/etl-runs/${id}`, { headers: { 'x-api-key': ADMIN_KEY } })).json()) as { state: string; error: string | null };
        state = view.state;
        if (state === 'failed') throw new Error(`import failed: ${view.error}`);
        return state === 'completed';
      },
      { timeoutMs: 150_000, process: processes.get('etl-worker'), intervalMs: 250 },
    ).catch((err: unknown) => {
      throw new Error(`${err instanceof Error ? err.message : String(err)} (last state ${state})\nworker:\n${processes.get('etl-worker')!.tail()}`);
    });
    const status = (await (await fetch(`${gatewayUrl()}/api/v1/catalogue/status`)).json()) as { films: number; ready: boolean };
    // The new catalogue replaced the first import's whole (swap): famous-40's films only, head-50k's gone.
    expect(status.films).toBeGreaterThan(0);
    expect(status.films).toBeLessThan(filmsBefore);
    expect(status.ready).toBe(true);
  });

  it('every HTTP service exposes Prometheus metrics; the gateway on its metrics port only', async () => {
    expect((await fetch(`${gatewayUrl()}/metrics`)).status).toBe(404);
    for (const [name, base] of [
      ['gateway', `http://127.0.0.1:${targets.ports['gateway:metrics']}`],
      ['recommender', recommenderUrl()],
    ] as const) {
      const text = await (await fetch(`${base}/metrics`)).text();
      expect({ name, has: text.includes(`http_request_duration_seconds_count{`) && text.includes(`service="${name}"`) }).toEqual({ name, has: true });
    }
  });

  it('smoke: a subscription through the gateway reaches the notifier, whose worker writes the confirmation to its outbox', async () => {
    const response = await fetch(`${gatewayUrl()}/api/v1/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'native@example.org', liked: ['tt0068646'], preferences: { alerts: true, digest: true }, consent: { wordingVersion: '2026-12-v1', accepted: true }, source: 'page' }),
    });
    expect({ status: response.status, body: response.status === 202 ? null : await response.text() }).toEqual({ status: 202, body: null });
    // Through Redis: the notifier's own consumer ran send-confirmation (no SMTP_URL in .env: the outbox).
    await waitFor('confirmation in the outbox', async () => readdirSync(join(notifierData, 'outbox')).some((f) => f.endsWith('.eml')), { timeoutMs: 30_000, process: processes.get('notifier') });
    const stats = await fetch(`${gatewayUrl()}/api/v1/admin/notifications/stats`, { headers: { 'x-api-key': ADMIN_KEY } });
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({ subscribers: 1, pending: 1 });
  });

  it('every service stops cleanly on SIGTERM (docker stop), exit code 0', async () => {
    for (const name of ['gateway', 'notifier', 'recommender', 'etl-worker', 'embedding-builder']) {
      const proc = processes.get(name)!;
      const code = await proc.stop(15_000);
      expect({ name, code, output: code === 0 ? '' : proc.tail() }).toEqual({ name, code: 0, output: '' });
    }
  });
});
