import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import IORedis from 'ioredis';
import postgres from 'postgres';
import { samplePath } from '@cine/etl-worker/testing/sample-path';
import { COMPOSE_FILE, type ComposeFile, ENV_EXAMPLE, loadCompose, readEnvFile } from '../test/compose-file';
import { freePorts, NativeProcess, nativeEnv, type NativeTargets, runHealthcheck, waitFor } from '../test/native-stack';

/**
 * `npm run bench:soak [-- --minutes 10 --rate 20]` (not in CI): the compose stack run natively on
 * this machine (local PostgreSQL and Redis; migrate, etl-worker, recommender and gateway as child
 * processes with their compose commands and environment) under a steady loopback load for N
 * minutes, the recommender restarted once in the middle. Reports requests, errors (inside and
 * outside the restart window), p99 latency, and each process's RSS at the start and end of the
 * load. Targets: no error outside the restart window; RSS flat within 10 %.
 *
 * Every request goes to 127.0.0.1, each load is bounded in time and in count, and the soak ends by
 * itself. infra/test/soak.spec.ts runs it for seconds on the sample catalogue (`--seconds`).
 */

const USAGE = `usage: npm run bench:soak -- [--minutes N | --seconds N] [--rate requests/s] [--connections C] [--imdb DIR,…] [--tmdb FILE,…]

  --minutes N     length of the measured load (10 by default, at most 120); --seconds for short checks
  --rate R        requests per second over all connections (20 by default, at most 500)
  --connections C concurrent connections (4 by default, at most 64)
  --imdb, --tmdb  the catalogue imported first (comma-separated; the shared samples by default)`;

const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** After a restart the window stays open this long past readiness: pooled connections to the old process are reset. */
const WINDOW_TAIL_MS = 2000;
/** The baseline and the warm-up, shortened to the load's own length for short runs. */
const BASELINE_S = 10;
const WARM_UP_S = 20;
/** Past its duration, a load still running is stopped this much later (a stuck connection). */
const LOAD_GRACE_MS = 30_000;
const IMPORT_LIMIT_MS = 30 * 60_000;

class UsageError extends Error {}

interface SoakOptions {
  durationS: number;
  rate: number;
  connections: number;
  imdb: string[];
  tmdb: string[];
}

function parseOptions(argv: string[]): SoakOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      minutes: { type: 'string' },
      seconds: { type: 'string' },
      rate: { type: 'string', default: '20' },
      connections: { type: 'string', default: '4' },
      imdb: { type: 'string' },
      tmdb: { type: 'string' },
    },
  });
  if (values.minutes !== undefined && values.seconds !== undefined) throw new UsageError('--minutes or --seconds, not both');
  const durationS = values.seconds !== undefined ? Number(values.seconds) : Math.round(Number(values.minutes ?? '10') * 60);
  const rate = Number(values.rate);
  const connections = Number(values.connections);
  if (!Number.isInteger(durationS) || durationS < 1 || durationS > 120 * 60) throw new UsageError('the load lasts 1 s to 120 min');
  if (!(rate > 0 && rate <= 500)) throw new UsageError('--rate is above 0 and at most 500');
  if (!Number.isInteger(connections) || connections < 1 || connections > 64) throw new UsageError('--connections is 1 to 64');
  const list = (value: string | undefined, defaults: string[]) => (value ?? defaults.map((f) => samplePath(f)).join(',')).split(',').filter(Boolean);
  return {
    durationS,
    rate,
    connections,
    imdb: list(values.imdb, ['imdb/head-50k', 'imdb/subset-2000-movies', 'imdb/year-2022', 'imdb/famous-40']),
    tmdb: list(values.tmdb, ['tmdb/movies_metadata_small.csv', 'tmdb/tmdb_full.csv']),
  };
}

/**
 * The films customers say they liked: the famous-40 sample's (in every catalogue the soak imports)
 * and a few titles typed as a customer would.
 */
const FILMS = [
  'tt0068646', 'tt0075148', 'tt0075314', 'tt0076759', 'tt0078748', 'tt0084787', 'tt0086190', 'tt0086250',
  'tt0093870', 'tt0095016', 'tt0099685', 'tt0103064', 'tt0107290', 'tt0110357', 'tt0110912', 'tt0111161',
  'tt0114369', 'tt0114709', 'tt0116282', 'tt0120382', 'tt0120689', 'tt0133093', 'tt0137523', 'tt0167260',
  'tt0169547', 'tt0208092', 'tt0211915', 'tt0266697', 'tt0372784', 'tt0405159', 'tt0434409', 'tt0468569',
  'tt0477348', 'tt0816692', 'tt1375666', 'tt1675434', 'tt4154756', 'tt4633694', 'tt6966692', 'tt7286456',
  'Amélie', 'Le Parrain', 'Pulp Fiction', 'Toy Story', 'Seven',
];

/** Deterministic uniform deviates in [0, 1) (mulberry32): every soak asks the same baskets in the same order. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Eight recommendations for every search and film page. Each recommendation asks for another basket
 * (1 to 3 films, k from 5 to 15: some 170,000 different requests), so it reaches the recommender
 * rather than the gateway's answer cache, which ten fixed requests would never leave.
 */
function requests(): autocannon.Request[] {
  const next = uniform(20261207);
  const pick = (n: number) => Math.floor(next() * n);
  const basket = () => {
    const liked = new Set<string>();
    const size = 1 + pick(3);
    while (liked.size < size) liked.add(FILMS[pick(FILMS.length)]!);
    return JSON.stringify({ liked: [...liked], k: 5 + pick(11) });
  };
  const out: autocannon.Request[] = Array.from({ length: 8 }, () => ({
    method: 'POST',
    path: '/api/v1/recommendations',
    headers: { 'content-type': 'application/json' },
    setupRequest: (request: autocannon.Request) => ({ ...request, body: basket() }),
  }));
  out.push({ method: 'GET', path: '/api/v1/films/search?q=parrain&limit=10' });
  out.push({ method: 'GET', path: '/api/v1/films/tt0211915' });
  return out;
}

/** Loads started and not yet finished: a signal stops them before the services go. */
const running = new Set<autocannon.Instance>();

/**
 * One load on the loopback, bounded in time (its duration, then a grace period) and in count
 * (its rate times its duration, with 10 % to spare).
 */
function boundedLoad(
  opts: { url: string; durationS: number; rate: number; connections: number; requests?: autocannon.Request[] },
  watch?: (instance: autocannon.Instance) => void,
): Promise<autocannon.Result> {
  if (new URL(opts.url).hostname !== '127.0.0.1') throw new Error(`the soak only loads the loopback, not ${opts.url}`);
  return new Promise((resolveLoad, rejectLoad) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        overallRate: opts.rate,
        duration: opts.durationS,
        maxOverallRequests: Math.ceil(opts.rate * opts.durationS * 1.1) + opts.connections,
        timeout: 10,
        ...(opts.requests ? { requests: opts.requests } : {}),
      },
      (err, result) => {
        clearTimeout(guard);
        running.delete(instance);
        if (err) rejectLoad(err);
        else resolveLoad(result);
      },
    );
    running.add(instance);
    const guard = setTimeout(() => instance.stop(), opts.durationS * 1000 + LOAD_GRACE_MS);
    watch?.(instance);
  });
}

/** Waits for a one-shot process to end within `limitMs` (stopped otherwise); throws unless it exits 0. */
async function completes(proc: NativeProcess, what: string, limitMs: number): Promise<void> {
  const code = await Promise.race([proc.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), limitMs).unref())]);
  if (code === 'timeout') {
    await proc.stop(15_000);
    throw new Error(`${what}: not finished within ${limitMs / 60_000} min\n${proc.tail()}`);
  }
  if (code !== 0) throw new Error(`${what} failed (exit ${code})\n${proc.tail()}`);
}

interface Sample {
  at: number;
  rss: Record<string, number>;
}

/** The services, the database and the Redis keys of one soak; `close` is safe to call twice. */
class SoakStack {
  readonly procs = new Map<string, NativeProcess>();
  private closing: Promise<void> | undefined;

  private constructor(
    readonly compose: ComposeFile,
    readonly targets: NativeTargets,
    readonly dbName: string,
    private readonly admin: postgres.Sql,
  ) {}

  static async create(imdb: string[], tmdb: string[]): Promise<SoakStack> {
    const compose = loadCompose([COMPOSE_FILE], {
      ...readEnvFile(ENV_EXAMPLE),
      // The local catalogue, not the download: nothing of the stack reaches past this machine.
      IMDB_SOURCE: imdb.join(','),
      TMDB_SOURCE: tmdb.join(','),
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
    // Every port every service listens on, so a service that gains one cannot stop the soak again.
    const targets: NativeTargets = { databaseUrl: dbUrl.toString(), redisUrl: REDIS_URL, ports: await freePorts(compose), queuePrefix: `cine-soak-${process.pid}` };
    return new SoakStack(compose, targets, dbName, admin);
  }

  get gatewayUrl(): string {
    return `http://127.0.0.1:${this.targets.ports.gateway}`;
  }

  env(name: string): Record<string, string> {
    return {
      ...nativeEnv(this.compose, name, this.targets),
      // One loopback client stands for a town's worth of phones: the per-IP limit would answer 429.
      ...(name === 'gateway' ? { RATE_LIMIT_MAX: '1000000' } : {}),
      LOG_LEVEL: 'warn',
    };
  }

  start(name: string): NativeProcess {
    const proc = NativeProcess.start(name, this.compose.services[name]!.command!, this.env(name));
    this.procs.set(name, proc);
    return proc;
  }

  async healthy(name: string, opts: { timeoutMs: number; intervalMs: number; what?: string }): Promise<void> {
    await waitFor(opts.what ?? `${name} healthy`, () => runHealthcheck(this.compose.services[name]!, this.env(name)), { ...opts, process: this.procs.get(name) });
  }

  /**
   * migrate, the catalogue imported (so the recommender builds its embeddings as it starts, as
   * after a restore), then the long-running services in compose's order, each waited healthy.
   */
  async up(imdb: string[], tmdb: string[]): Promise<void> {
    await completes(this.start('migrate'), 'migrate', 5 * 60_000);
    const etl = NativeProcess.start(
      'etl',
      ['node', '--import', 'tsx', 'services/etl-worker/src/etl.cli.ts', '--imdb', imdb.join(','), '--tmdb', tmdb.join(','), '--min-votes', '0'],
      { DATABASE_URL: this.targets.databaseUrl, LOG_LEVEL: 'warn' },
    );
    this.procs.set('etl', etl);
    await completes(etl, 'import', IMPORT_LIMIT_MS);
    this.procs.delete('etl');
    this.start('etl-worker');
    this.start('recommender');
    await this.healthy('etl-worker', { timeoutMs: 120_000, intervalMs: 1000 });
    await this.healthy('recommender', { timeoutMs: 180_000, intervalMs: 1000 });
    this.start('gateway');
    await this.healthy('gateway', { timeoutMs: 120_000, intervalMs: 1000 });
  }

  rss(): Record<string, number> {
    return Object.fromEntries([...this.procs.entries()].filter(([, p]) => p.running).map(([n, p]) => [n, p.rssBytes()]));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const instance of running) instance.stop();
      await Promise.all([...this.procs.values()].map((p) => p.stop(15_000)));
      try {
        await this.admin.unsafe(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`);
      } finally {
        await this.admin.end();
        const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
        try {
          const keys = await redis.keys(`${this.targets.queuePrefix}:*`);
          if (keys.length > 0) await redis.del(...keys);
        } finally {
          redis.disconnect();
        }
      }
    })();
    return this.closing;
  }
}

async function soak(stack: SoakStack, options: SoakOptions, log: (line: string) => void): Promise<void> {
  const mb = (n: number) => `${(n / 1048576).toFixed(0)} MB`;
  const { durationS, rate, connections } = options;
  log(`soak: ${durationS >= 60 ? `${(durationS / 60).toFixed(durationS % 60 ? 1 : 0)} min` : `${durationS} s`} at ${rate} req/s over ${connections} connections; database ${stack.dbName}`);
  await stack.up(options.imdb, options.tmdb);
  const url = stack.gatewayUrl;

  // Baseline, same run, same rate: the gateway's cheapest route (no database, no recommender).
  const baseline = await boundedLoad({ url: `${url}/health/live`, connections, rate, durationS: Math.min(BASELINE_S, durationS) });
  log(`baseline GET /health/live: ${baseline.requests.total} requests, p99 ${baseline.latency.p99} ms`);

  // Warm-up outside the measurement: JIT, pools and caches settle before "start" RSS is taken.
  await boundedLoad({ url, connections, rate, durationS: Math.min(WARM_UP_S, durationS), requests: requests() });

  const samples: Sample[] = [];
  const responses: Array<{ at: number; status: number; ms: number }> = [];
  const errors: Array<{ at: number; what: string }> = [];
  const loadStart = Date.now();
  samples.push({ at: loadStart, rss: stack.rss() });
  const sampler = setInterval(() => samples.push({ at: Date.now(), rss: stack.rss() }), 10_000);

  const loaded = boundedLoad({ url, connections, rate, durationS, requests: requests() }, (instance) => {
    instance.on('response', (_client, status, _bytes, ms) => {
      responses.push({ at: Date.now(), status, ms });
      if (status >= 400) errors.push({ at: Date.now(), what: `HTTP ${status}` });
    });
    instance.on('reqError', (err: Error) => errors.push({ at: Date.now(), what: err.message }));
  });

  // The restart, half way: docker compose restart recommender.
  const restart = (async () => {
    await new Promise((r) => setTimeout(r, (durationS * 1000) / 2));
    const first = stack.procs.get('recommender')!;
    const rssBefore = first.rssBytes();
    const windowStart = Date.now();
    const code = await first.stop(15_000);
    stack.start('recommender');
    const startedAt = Date.now();
    await stack.healthy('recommender', { timeoutMs: 180_000, intervalMs: 250, what: 'recommender healthy again' });
    const readyAt = Date.now();
    return { windowStart, windowEnd: readyAt + WINDOW_TAIL_MS, code, stopMs: startedAt - windowStart, readyMs: readyAt - startedAt, rssBefore, firstRssStart: samples[0]!.rss.recommender ?? 0 };
  })();

  const [loadOutcome, restartOutcome] = await Promise.allSettled([loaded, restart]);
  const loadEnd = Date.now();
  clearInterval(sampler);
  samples.push({ at: loadEnd, rss: stack.rss() });
  if (loadOutcome.status === 'rejected') throw loadOutcome.reason;
  if (restartOutcome.status === 'rejected') throw restartOutcome.reason;
  const result = loadOutcome.value;
  const r = restartOutcome.value;

  const inWindow = (at: number) => at >= r.windowStart && at <= r.windowEnd;
  const outside = errors.filter((e) => !inWindow(e.at));
  const inside = errors.filter((e) => inWindow(e.at));
  const okLatencies = responses.filter((x) => x.status < 400 && !inWindow(x.at)).map((x) => x.ms).sort((a, b) => a - b);
  const p99Outside = okLatencies[Math.min(okLatencies.length - 1, Math.floor(okLatencies.length * 0.99))] ?? NaN;
  const loadS = (loadEnd - loadStart) / 1000;

  log('');
  log(`load: ${result.requests.total} requests in ${loadS.toFixed(0)} s (${(result.requests.total / loadS).toFixed(1)} req/s), 2xx ${result['2xx']}, non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`);
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
  // Growth that stops is a bounded cache filling, growth that goes on is a leak: one RSS a minute.
  if (durationS >= 180) {
    log('RSS minute by minute (MB):');
    for (const name of ['gateway', 'etl-worker', 'recommender']) {
      const series: string[] = [];
      for (let minute = 0; minute * 60_000 <= loadEnd - loadStart; minute++) {
        const at = loadStart + minute * 60_000;
        const sample = samples.reduce((best, x) => (Math.abs(x.at - at) < Math.abs(best.at - at) ? x : best));
        series.push(((sample.rss[name] ?? 0) / 1048576).toFixed(0));
      }
      log(`  ${name.padEnd(22)} ${series.join(' ')}`);
    }
  }
  log('');
  log(`targets: errors outside the window ${outside.length === 0 ? 'met' : 'MISSED'} (0); RSS flat ${worst <= 1.1 ? 'met' : 'MISSED'} (≤ 1.10)`);
  log(`ratio: p99 ${result.latency.p99} ms vs baseline ${baseline.latency.p99} ms = ${(result.latency.p99 / Math.max(1, baseline.latency.p99)).toFixed(2)}; worst RSS end/start ${worst.toFixed(3)}`);
}

async function main(): Promise<number> {
  let options: SoakOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`soak: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const stack = await SoakStack.create(options.imdb, options.tmdb);
  // The services run in process groups of their own: Ctrl-C reaches only this process, which
  // must stop them (and drop its database) rather than leave them running.
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`soak: ${signal}, stopping the services…\n`);
    void stack.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await soak(stack, options, (line) => process.stdout.write(`${line}\n`));
    return 0;
  } finally {
    await stack.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`soak: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
