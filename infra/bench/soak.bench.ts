import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import IORedis from 'ioredis';
import postgres from 'postgres';
import { COMPOSE_FILE, type ComposeFile, ENV_EXAMPLE, loadCompose, readEnvFile } from '../test/compose-file';
import { freePort, NativeProcess, nativeEnv, type NativeTargets, runHealthcheck, waitFor } from '../test/native-stack';

/**
 * `npm run bench:soak [-- --minutes 10 --rate 20]` (not in CI): the compose stack run natively on
 * this machine (local PostgreSQL and Redis; migrate, etl-worker, recommender and gateway as child
 * processes with their compose commands and environment) under a steady loopback load for N
 * minutes, the recommender restarted once in the middle. Reports requests, errors (inside and
 * outside the restart window), p99 latency, and each process's RSS at the start and end of the
 * load. Targets: no error outside the restart window; RSS flat within 10 %.
 */

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '20' },
    connections: { type: 'string', default: '4' },
  },
});
const MINUTES = Number(values.minutes);
const RATE = Number(values.rate);
const CONNECTIONS = Number(values.connections);
if (!(MINUTES > 0) || !(RATE > 0) || !(CONNECTIONS > 0)) {
  process.stderr.write('usage: npm run bench:soak -- [--minutes N] [--rate requests/s] [--connections C]\n');
  process.exit(2);
}

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SHARED_DATA = process.env.SHARED_DATA_DIR ?? resolve(__dirname, '../../../shared/data');
/** After a restart the window stays open this long past readiness: pooled connections to the old process are reset. */
const WINDOW_TAIL_MS = 2000;

const LIKED = [
  ['tt0068646'],
  ['Amélie'],
  ['Le Parrain', 'Pulp Fiction'],
  ['tt0133093', 'tt1375666'],
  ['Toy Story'],
  ['tt0110357', 'tt0114709'],
  ['Seven'],
  ['tt0816692'],
];

function requests(): autocannon.Request[] {
  const out: autocannon.Request[] = LIKED.map((liked) => ({
    method: 'POST',
    path: '/api/v1/recommendations',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ liked, k: 10 }),
  }));
  out.push({ method: 'GET', path: '/api/v1/films/search?q=parrain&limit=10' });
  out.push({ method: 'GET', path: '/api/v1/films/tt0211915' });
  return out;
}

interface Sample {
  at: number;
  rss: Record<string, number>;
}

async function main(): Promise<void> {
  const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const compose: ComposeFile = loadCompose([COMPOSE_FILE], {
    ...readEnvFile(ENV_EXAMPLE),
    POSTGRES_PASSWORD: 'unused-natively',
    ADMIN_API_KEY: `soak-admin-${randomBytes(8).toString('hex')}`,
    GRAFANA_ADMIN_PASSWORD: 'unused-natively',
    KPI_DB_PASSWORD: 'unused-natively',
  });
  const dbName = `cine_soak_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${dbName}`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  const targets: NativeTargets = {
    databaseUrl: dbUrl.toString(),
    redisUrl: REDIS_URL,
    ports: { gateway: await freePort(), recommender: await freePort() },
    queuePrefix: `cine-soak-${process.pid}`,
  };
  const env = (name: string): Record<string, string> => ({
    ...nativeEnv(compose, name, targets),
    // One loopback client stands for a town's worth of phones: the per-IP limit would answer 429.
    ...(name === 'gateway' ? { RATE_LIMIT_MAX: '1000000' } : {}),
    LOG_LEVEL: 'warn',
  });
  const procs = new Map<string, NativeProcess>();
  const start = (name: string) => {
    const p = NativeProcess.start(name, compose.services[name]!.command!, env(name));
    procs.set(name, p);
    return p;
  };

  try {
    log(`soak: ${MINUTES} min at ${RATE} req/s over ${CONNECTIONS} connections; database ${dbName}`);
    const migrate = start('migrate');
    if ((await migrate.exited) !== 0) throw new Error(`migrate failed\n${migrate.tail()}`);
    // The catalogue first, so the recommender builds its embeddings as it starts (as after a restore).
    const etl = NativeProcess.start('etl', ['node', '--import', 'tsx', 'services/etl-worker/src/etl.cli.ts', '--imdb',
      ['imdb/head-50k', 'imdb/subset-2000-movies', 'imdb/year-2022', 'imdb/famous-40'].map((f) => resolve(SHARED_DATA, f)).join(','),
      '--tmdb', ['tmdb/movies_metadata_small.csv', 'tmdb/tmdb_full.csv'].map((f) => resolve(SHARED_DATA, f)).join(','), '--min-votes', '0'], {
      DATABASE_URL: targets.databaseUrl,
      LOG_LEVEL: 'warn',
    });
    if ((await etl.exited) !== 0) throw new Error(`import failed\n${etl.tail()}`);
    start('etl-worker');
    start('recommender');
    await waitFor('recommender healthy', () => runHealthcheck(compose.services.recommender!, env('recommender')), { timeoutMs: 180_000, process: procs.get('recommender'), intervalMs: 1000 });
    start('gateway');
    await waitFor('gateway healthy', () => runHealthcheck(compose.services.gateway!, env('gateway')), { timeoutMs: 120_000, process: procs.get('gateway'), intervalMs: 1000 });
    const url = `http://127.0.0.1:${targets.ports.gateway}`;

    // Baseline, same run, same rate: the gateway's cheapest route (no database, no recommender).
    const baseline = await autocannon({ url: `${url}/health/live`, connections: CONNECTIONS, overallRate: RATE, duration: 10 });
    log(`baseline GET /health/live: ${baseline.requests.total} requests, p99 ${baseline.latency.p99} ms`);

    // Warm-up outside the measurement: JIT, pools and caches settle before "start" RSS is taken.
    await autocannon({ url, connections: CONNECTIONS, overallRate: RATE, duration: 20, requests: requests() });

    const samples: Sample[] = [];
    const rssNow = () => Object.fromEntries([...procs.entries()].filter(([, p]) => p.running).map(([n, p]) => [n, p.rssBytes()]));
    const responses: Array<{ at: number; status: number; ms: number }> = [];
    const errors: Array<{ at: number; what: string }> = [];
    const durationS = Math.round(MINUTES * 60);
    const loadStart = Date.now();
    samples.push({ at: loadStart, rss: rssNow() });
    const sampler = setInterval(() => samples.push({ at: Date.now(), rss: rssNow() }), 10_000);

    const loaded = new Promise<autocannon.Result>((resolveLoad, rejectLoad) => {
      const instance = autocannon({ url, connections: CONNECTIONS, overallRate: RATE, duration: durationS, requests: requests(), timeout: 10 }, (err, res) =>
        err ? rejectLoad(err) : resolveLoad(res),
      );
      instance.on('response', (_client, status, _bytes, ms) => {
        responses.push({ at: Date.now(), status, ms });
        if (status >= 400) errors.push({ at: Date.now(), what: `HTTP ${status}` });
      });
      instance.on('reqError', (err: Error) => errors.push({ at: Date.now(), what: err.message }));
    });

    // The restart, half way: docker compose restart recommender.
    const restart = (async () => {
      await new Promise((r) => setTimeout(r, (durationS * 1000) / 2));
      const first = procs.get('recommender')!;
      const rssBefore = first.rssBytes();
      const windowStart = Date.now();
      const code = await first.stop(15_000);
      const second = start('recommender');
      const startedAt = Date.now();
      await waitFor('recommender healthy again', () => runHealthcheck(compose.services.recommender!, env('recommender')), { timeoutMs: 180_000, process: second, intervalMs: 250 });
      const readyAt = Date.now();
      return { windowStart, windowEnd: readyAt + WINDOW_TAIL_MS, code, stopMs: startedAt - windowStart, readyMs: readyAt - startedAt, rssBefore, firstRssStart: samples[0]!.rss.recommender ?? 0 };
    })();

    const result = await loaded;
    const loadEnd = Date.now();
    clearInterval(sampler);
    samples.push({ at: loadEnd, rss: rssNow() });
    const r = await restart;

    const inWindow = (at: number) => at >= r.windowStart && at <= r.windowEnd;
    const outside = errors.filter((e) => !inWindow(e.at));
    const inside = errors.filter((e) => inWindow(e.at));
    const okLatencies = responses.filter((x) => x.status < 400 && !inWindow(x.at)).map((x) => x.ms).sort((a, b) => a - b);
    const p99Outside = okLatencies[Math.min(okLatencies.length - 1, Math.floor(okLatencies.length * 0.99))] ?? NaN;

    log('');
    log(`load: ${result.requests.total} requests in ${((loadEnd - loadStart) / 1000).toFixed(0)} s (${(result.requests.total / ((loadEnd - loadStart) / 1000)).toFixed(1)} req/s), 2xx ${result['2xx']}, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`);
    log(`latency: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms (all); p99 outside the restart window ${p99Outside.toFixed(0)} ms`);
    log(`recommender restart at +${((r.windowStart - loadStart) / 1000).toFixed(0)} s: stopped in ${r.stopMs} ms (exit ${r.code}), healthy again ${r.readyMs} ms later; window ${((r.windowEnd - r.windowStart) / 1000).toFixed(1)} s`);
    log(`errors inside the restart window: ${inside.length}${inside.length ? ` (${[...new Set(inside.map((e) => e.what))].join(', ')})` : ''}`);
    log(`errors outside the restart window: ${outside.length}${outside.length ? ` (${[...new Set(outside.map((e) => e.what))].slice(0, 5).join(', ')})` : ''}`);

    log('');
    log('RSS at the start and end of the load:');
    const first = samples[0]!.rss;
    const last = samples.at(-1)!.rss;
    const ratios: number[] = [];
    for (const name of ['gateway', 'etl-worker']) {
      const ratio = (last[name] ?? 0) / (first[name] ?? 1);
      ratios.push(ratio);
      log(`  ${name.padEnd(22)} ${mb(first[name] ?? 0).padStart(7)} → ${mb(last[name] ?? 0).padStart(7)}  (${ratio.toFixed(3)})`);
    }
    const firstRec = r.rssBefore / (r.firstRssStart || 1);
    ratios.push(firstRec);
    log(`  ${'recommender (1st)'.padEnd(22)} ${mb(r.firstRssStart).padStart(7)} → ${mb(r.rssBefore).padStart(7)}  (${firstRec.toFixed(3)})`);
    // The restarted recommender's "start": its first sample under load after the window.
    const secondStart = samples.find((s) => s.at > r.windowEnd + 10_000)?.rss.recommender ?? last.recommender ?? 0;
    const secondRec = (last.recommender ?? 0) / (secondStart || 1);
    ratios.push(secondRec);
    log(`  ${'recommender (2nd)'.padEnd(22)} ${mb(secondStart).padStart(7)} → ${mb(last.recommender ?? 0).padStart(7)}  (${secondRec.toFixed(3)})`);
    const worst = Math.max(...ratios);
    log('');
    log(`targets: errors outside the window ${outside.length === 0 ? 'met' : 'MISSED'} (0); RSS flat ${worst <= 1.1 ? 'met' : 'MISSED'} (≤ 1.10)`);
    log(`ratio: p99 ${result.latency.p99} ms vs baseline ${baseline.latency.p99} ms = ${(result.latency.p99 / Math.max(1, baseline.latency.p99)).toFixed(2)}; worst RSS end/start ${worst.toFixed(3)}`);
  } finally {
    await Promise.all([...procs.values()].map((p) => p.stop(15_000)));
    await admin.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${targets.queuePrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
