import { type ChildProcess, fork } from 'node:child_process';
import { type EventEmitter, once } from 'node:events';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createLogger, RECOMMEND_K_MAX } from '@cine/common';
import { migrateToLatest, openDatabase } from '@cine/db';
import { createEtlServices } from '@cine/etl-worker';
import { buildEmbeddings } from '@cine/recommender';
import { sql } from 'kysely';
import { loadBenchConfig } from '@cine/etl-worker/bench/bench.config';
import { ensureImdbFiles } from '@cine/etl-worker/bench/imdb-cache';
import { createThrowawayDatabase } from '@cine/etl-worker/bench/throwaway-database';

/**
 * `npm run bench:gateway [-- --duration 30 --connections 10 --scale 0.1]`
 *
 * On loopback, each scenario for `duration` seconds after a short warm-up, one after the other:
 *   hello            a bare fastify route with the gateway's server settings: the ceiling
 *   recommendations  POST /api/v1/recommendations (two liked tconsts, k = 10, details of every
 *                    film), twice: every basket new (none repeats during the run, so the
 *                    gateway's response cache never answers), then 400 baskets over and over
 *                    (answered from the cache after their first pass)
 *   search           GET /api/v1/films/search (typed titles: lower case, unaccented, typos, prefixes)
 * on an IMDb catalogue generated at --scale and imported by the real ETL (default policy), with
 * the real recommender. Every server runs in its own process. Each row says how many calls the
 * recommender served during it (from its /metrics) and the servers' CPU time per request. Last
 * line: recommendations/hello with every basket new (the uncached path).
 *
 * Targets: recommendations/hello ≥ 0.3, recommendations p99 ≤ 50 ms, 0 errors; search p95 ≤ 20 ms.
 */

const USAGE = `usage: npm run bench:gateway -- [--duration S] [--connections N] [--scale S] [--scenarios LIST] [--database URL] [--cpu-prof DIR]

  --duration S      seconds per scenario (default 30)
  --connections N   concurrent connections (default 10)
  --scale S         size of the generated IMDb catalogue, 0 < S <= 1 (default 0.1)
  --scenarios LIST  comma list of hello, recommendations, search (default: all three; the ratio
                    line needs hello and recommendations)
  --database URL    an already imported catalogue database to measure instead of generating and
                    importing one (it is migrated, never dropped; the embeddings are rebuilt only
                    when it has no ready version). For iterating on one scenario.
  --cpu-prof DIR    write a V8 CPU profile of every server process into DIR (node --cpu-prof)`;

const SCENARIOS = ['hello', 'recommendations', 'search'] as const;
type Scenario = (typeof SCENARIOS)[number];

const say = (line: string): void => {
  process.stderr.write(`[bench:gateway] ${line}\n`);
};

interface Figures {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  /** Recommendations the recommender computed during the run. */
  recommenderCalls?: number;
  /** CPU milliseconds per answered request, per server process. */
  cpuPerRequest?: number[];
}

interface Server {
  url: string;
  child: ChildProcess;
}

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30' },
      connections: { type: 'string', default: '10' },
      scale: { type: 'string', default: '0.1' },
      scenarios: { type: 'string', default: SCENARIOS.join(',') },
      database: { type: 'string' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const scale = Number(values.scale);
  if (!(Number.isInteger(duration) && duration >= 1)) throw new Error(`--duration must be a whole number of seconds, got "${values.duration}"`);
  if (!(Number.isInteger(connections) && connections >= 1 && connections <= 1000)) throw new Error(`--connections must be 1..1000, got "${values.connections}"`);
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be in (0, 1], got "${values.scale}"`);
  const scenarios = new Set<Scenario>();
  for (const name of values.scenarios.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(SCENARIOS as readonly string[]).includes(name)) throw new Error(`--scenarios: unknown scenario "${name}" (${SCENARIOS.join(', ')})`);
    scenarios.add(name as Scenario);
  }
  if (scenarios.size === 0) throw new Error('--scenarios: name at least one scenario');
  return { help: values.help, duration, connections, scale, scenarios, database: values.database, cpuProf: values['cpu-prof'] };
}

async function startServer(args: string[], cpuProf: string | undefined): Promise<Server> {
  const profile = cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [];
  const child = fork(join(__dirname, 'bench-server.ts'), args, { execArgv: ['--import', 'tsx', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`bench server ${args[0]} exited with ${String(code)} before listening`);
    }),
  ])) as [{ url: string }];
  return { url: message.url.replace('localhost', '127.0.0.1'), child };
}

/** CPU milliseconds (user + system) the server's process has used so far. */
async function cpuMs(server: Server): Promise<number> {
  const reply = new Promise<number>((resolve) => {
    const onMessage = (message: unknown) => {
      const cpu = (message as { cpu?: NodeJS.CpuUsage } | null)?.cpu;
      if (!cpu) return;
      server.child.off('message', onMessage);
      resolve((cpu.user + cpu.system) / 1000);
    };
    server.child.on('message', onMessage);
  });
  server.child.send('cpu');
  return reply;
}

/** Recommendations the recommender has computed so far, read from its Prometheus counter. */
async function recommenderCalls(recommender: Server): Promise<number> {
  const text = await (await fetch(`${recommender.url}/metrics`)).text();
  let calls = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('http_request_duration_seconds_count{') && line.includes('route="/v1/recommendations"')) calls += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return calls;
}

/** `load`, with what the servers spent on it: CPU per request and, when given, the recommender's calls. */
async function measure(servers: Server[], recommender: Server | undefined, run: () => Promise<Figures>): Promise<Figures> {
  const cpuBefore = await Promise.all(servers.map(cpuMs));
  const callsBefore = recommender ? await recommenderCalls(recommender) : 0;
  const figures = await run();
  const cpuAfter = await Promise.all(servers.map(cpuMs));
  const answered = Math.max(1, figures.requests + figures.errors);
  return {
    ...figures,
    cpuPerRequest: cpuAfter.map((after, i) => (after - cpuBefore[i]!) / answered),
    ...(recommender ? { recommenderCalls: (await recommenderCalls(recommender)) - callsBefore } : {}),
  };
}

async function stopServer(server: { child: ChildProcess }): Promise<void> {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(kill);
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** One autocannon run; latencies collected per response so p95 is exact (autocannon reports p97.5). */
async function load(
  name: string,
  url: string,
  opts: { duration: number; connections: number; method?: 'GET' | 'POST'; paths?: () => string; bodies?: () => string },
): Promise<Figures> {
  const latencies: number[] = [];
  let non2xx = 0;
  // Without a callback autocannon returns its tracker, an event emitter that is also a promise.
  const instance = autocannon({
    url,
    connections: opts.connections,
    duration: opts.duration,
    method: opts.method ?? 'GET',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    requests: [
      {
        setupRequest: (request) => ({
          ...request,
          ...(opts.paths ? { path: opts.paths() } : {}),
          ...(opts.bodies ? { body: opts.bodies() } : {}),
        }),
      },
    ],
  }) as unknown as EventEmitter & Promise<autocannon.Result>;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode < 200 || statusCode >= 300) non2xx++;
    else latencies.push(responseTime);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    rps: latencies.length / opts.duration,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: non2xx + result.errors + result.timeouts,
  };
}

function table(rows: Figures[]): string {
  const head = ['scenario', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'recommender calls', 'CPU ms/req (servers)'];
  const body = rows.map((r) => [
    r.name,
    String(r.requests),
    r.rps.toFixed(0),
    r.p50.toFixed(2),
    r.p95.toFixed(2),
    r.p99.toFixed(2),
    String(r.errors),
    r.recommenderCalls === undefined ? '–' : String(r.recommenderCalls),
    r.cpuPerRequest ? r.cpuPerRequest.map((ms) => ms.toFixed(3)).join(' + ') : '–',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(head), `|${widths.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...body.map(line)].join('\n');
}

/** What a customer types: the title in lower case without accents, with a typo, or its start. */
function typedVariants(title: string, index: number): string {
  const plain = title.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
  switch (index % 4) {
    case 0:
      return plain;
    case 1:
      return plain.length > 5 ? `${plain.slice(0, 2)}${plain.slice(3)}` : plain;
    case 2:
      return plain.split(' ').slice(0, 2).join(' ');
    default:
      return title;
  }
}

async function main(): Promise<void> {
  const options = parseCommandLine();
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { adminUrl } = loadBenchConfig();
  const log = createLogger('bench-gateway', { level: 'warn', stderr: true });

  const database = options.database
    ? { url: options.database, drop: async () => {} }
    : await createThrowawayDatabase(adminUrl, 'cine_bench_gw');
  const servers: Array<{ child: ChildProcess }> = [];
  try {
    const handle = await openDatabase({ databaseUrl: database.url, applicationName: 'bench-gateway' });
    let catalogue: { films: number; series: number };
    let likedPool: Array<{ tconst: string; title: string }>;
    try {
      await migrateToLatest(handle.db);
      if (!options.database) {
        say(`IMDb files at scale ${options.scale} (cached in the system temp folder)…`);
        const files = await ensureImdbFiles({ scale: options.scale });
        say(`${files.reused ? 'reused' : 'generated'} ${files.dir}`);
        say('importing with the ETL (default policy)…');
        const etl = createEtlServices(handle, { log, http: { attempts: 1, retryDelayMs: 0, connectTimeoutMs: 1000 } });
        await etl.importer.imdb({ sources: [files.dir], policy: {} });
      }
      const ready = await sql<{ n: number }>`select count(*)::int as n from recommender_version where status = 'ready'`.execute(handle.db);
      if (ready.rows[0]!.n === 0) {
        say('building embeddings…');
        await buildEmbeddings(handle, log);
      }
      const counts = await sql<{ films: number; series: number }>`
        select count(*) filter (where title_type = 'movie')::int as films, count(*) filter (where title_type <> 'movie')::int as series from title`.execute(handle.db);
      catalogue = counts.rows[0]!;
      const popular = await handle.db
        .selectFrom('title')
        .select(['tconst', 'primary_title', 'french_title'])
        .where('title_type', '=', 'movie')
        .orderBy('num_votes', 'desc')
        .limit(400)
        .execute();
      likedPool = popular.map((p) => ({ tconst: p.tconst, title: p.french_title ?? p.primary_title }));
    } finally {
      await handle.close();
    }
    if (likedPool.length < 2) throw new Error('the generated catalogue holds fewer than 2 films');
    say(`catalogue: ${catalogue.films} films, ${catalogue.series} series`);

    // What the page sends once the customer picked films from the suggestions: tconsts. Title
    // resolution is a search, measured by the search scenario.
    const n = likedPool.length;
    let seq = 0;
    const repeatedBodies = () => {
      seq++;
      // The same baskets every n requests (n = 400: 400 different ones, 7 being invertible mod 400).
      const a = likedPool[(seq * 7) % n]!;
      const b = likedPool[(seq * 13 + 1) % n]!;
      return JSON.stringify({ liked: [a.tconst, b.tconst], k: 10 });
    };
    // Every ordered pair of distinct films once (n(n-1) baskets, ≈ 160 000), then again with the
    // next k: no basket repeats, so the response cache never answers.
    let fresh = 0;
    const newBodies = () => {
      const pair = fresh % (n * (n - 1));
      const round = Math.floor(fresh / (n * (n - 1)));
      fresh++;
      if (10 + round > RECOMMEND_K_MAX) throw new Error('ran out of distinct baskets');
      const a = pair % n;
      const b = (a + 1 + Math.floor(pair / n)) % n;
      return JSON.stringify({ liked: [likedPool[a]!.tconst, likedPool[b]!.tconst], k: 10 + round });
    };
    const queries = likedPool.map((p, i) => `/api/v1/films/search?q=${encodeURIComponent(typedVariants(p.title, i))}&limit=10`);
    let q = 0;
    const paths = () => queries[q++ % queries.length]!;
    const run = { duration: options.duration, connections: options.connections };
    const warm = { duration: Math.min(3, options.duration), connections: options.connections };
    const results: Figures[] = [];

    let ceiling: Figures | undefined;
    let recsNew: Figures | undefined;
    let recsRepeated: Figures | undefined;
    let search: Figures | undefined;
    if (options.scenarios.has('hello')) {
      say('hello (ceiling)…');
      const hello = await startServer(['hello'], options.cpuProf);
      servers.push(hello);
      await load('warm-up', `${hello.url}/hello`, warm);
      ceiling = await measure([hello], undefined, () => load('hello (ceiling)', `${hello.url}/hello`, run));
      results.push(ceiling);
      await stopServer(hello);
    }
    if (options.scenarios.has('recommendations') || options.scenarios.has('search')) {
      const recommender = await startServer(['recommender', database.url], options.cpuProf);
      servers.push(recommender);
      const gateway = await startServer(['gateway', database.url, recommender.url], options.cpuProf);
      servers.push(gateway);
      const both = [gateway, recommender];
      say(`recommender at ${recommender.url}, gateway at ${gateway.url}`);
      const url = `${gateway.url}/api/v1/recommendations`;
      if (options.scenarios.has('recommendations')) {
        // The new baskets first: nothing the repeated scenario asks can have been kept before.
        say('POST /api/v1/recommendations, every basket new…');
        await load('warm-up', url, { ...warm, method: 'POST', bodies: newBodies });
        recsNew = await measure(both, recommender, () =>
          load('POST /api/v1/recommendations, every basket new (cache misses)', url, { ...run, method: 'POST', bodies: newBodies }),
        );
        results.push(recsNew);
        say(`POST /api/v1/recommendations, ${n} baskets repeated…`);
        await load('warm-up', url, { ...warm, method: 'POST', bodies: repeatedBodies });
        recsRepeated = await measure(both, recommender, () =>
          load(`POST /api/v1/recommendations, ${n} baskets repeated (from the cache after the first pass)`, url, { ...run, method: 'POST', bodies: repeatedBodies }),
        );
        results.push(recsRepeated);
      }
      if (options.scenarios.has('search')) {
        say('GET /api/v1/films/search…');
        await load('warm-up', `${gateway.url}/api/v1/films/search?q=x`, { ...warm, paths });
        search = await measure(both, undefined, () => load('GET /api/v1/films/search', `${gateway.url}/api/v1/films/search?q=x`, { ...run, paths }));
        results.push(search);
      }
    }

    const targets: string[] = [];
    const ratio = ceiling && recsNew ? recsNew.rps / ceiling.rps : undefined;
    const cachedRatio = ceiling && recsRepeated ? recsRepeated.rps / ceiling.rps : undefined;
    if (ratio !== undefined && cachedRatio !== undefined) {
      targets.push(`recommendations/hello ≥ 0.3 (every basket new ${ratio.toFixed(3)}, repeated ${cachedRatio.toFixed(3)})`);
    }
    if (recsNew && recsRepeated) targets.push(`recommendations p99 ≤ 50 ms (every basket new ${recsNew.p99.toFixed(1)}, repeated ${recsRepeated.p99.toFixed(1)})`);
    targets.push(`0 errors (${results.reduce((sum, r) => sum + r.errors, 0)})`);
    if (search) targets.push(`search p95 ≤ 20 ms (${search.p95.toFixed(1)})`);
    process.stdout.write(
      [
        `gateway benchmark: loopback, ${options.connections} connections, ${options.duration} s per scenario; catalogue ${options.database ? 'given' : `generated at scale ${options.scale}`} (${catalogue.films} films, ${catalogue.series} series), real recommender`,
        '',
        table(results),
        '',
        `targets: ${targets.join(', ')}`,
        `CPU ms/req: per server process, ${options.scenarios.has('hello') ? 'hello alone, then ' : ''}gateway + recommender`,
        ...(cachedRatio !== undefined ? [`recommendations/hello, ${n} baskets repeated (cache hits): ${cachedRatio.toFixed(3)}`] : []),
        ...(ratio !== undefined ? [`recommendations/hello: ${ratio.toFixed(3)} (every basket new: cache misses)`] : []),
        '',
      ].join('\n'),
    );
  } finally {
    for (const server of servers) await stopServer(server).catch(() => {});
    await database.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:gateway: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
