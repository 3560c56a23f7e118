import { type ChildProcess, fork } from 'node:child_process';
import { type EventEmitter, once } from 'node:events';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createLogger } from '@cine/common';
import { migrateToLatest, openDatabase } from '@cine/db';
import { createEtlServices } from '@cine/etl-worker';
import { buildEmbeddings } from '@cine/recommender';
import { sql } from 'kysely';
import { loadBenchConfig } from '../../services/etl-worker/bench/bench.config';
import { ensureImdbFiles } from '../../services/etl-worker/bench/imdb-cache';
import { createThrowawayDatabase } from '../../services/etl-worker/bench/throwaway-database';

/**
 * `npm run bench:gateway [-- --duration 30 --connections 10 --scale 0.1]`
 *
 * On loopback, each scenario for `duration` seconds after a short warm-up, one after the other:
 *   hello            a bare fastify route with the gateway's server settings: the ceiling
 *   recommendations  POST /api/v1/recommendations (two liked tconsts, k = 10, details of every film)
 *   search           GET /api/v1/films/search (typed titles: lower case, unaccented, typos, prefixes)
 * on an IMDb catalogue generated at --scale and imported by the real ETL (default policy), with
 * the real recommender. Every server runs in its own process. Last line: recommendations/hello.
 *
 * Targets: recommendations/hello ≥ 0.3, recommendations p99 ≤ 50 ms, 0 errors; search p95 ≤ 20 ms.
 */

const USAGE = `usage: npm run bench:gateway -- [--duration S] [--connections N] [--scale S]

  --duration S      seconds per scenario (default 30)
  --connections N   concurrent connections (default 10)
  --scale S         size of the generated IMDb catalogue, 0 < S <= 1 (default 0.1)`;

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
}

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '30' },
      connections: { type: 'string', default: '10' },
      scale: { type: 'string', default: '0.1' },
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
  return { help: values.help, duration, connections, scale };
}

async function startServer(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = fork(join(__dirname, 'bench-server.ts'), args, { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [message] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`bench server ${args[0]} exited with ${String(code)} before listening`);
    }),
  ])) as [{ url: string }];
  return { url: message.url.replace('localhost', '127.0.0.1'), child };
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
  const head = ['scenario', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'];
  const body = rows.map((r) => [r.name, String(r.requests), r.rps.toFixed(0), r.p50.toFixed(2), r.p95.toFixed(2), r.p99.toFixed(2), String(r.errors)]);
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

  say(`IMDb files at scale ${options.scale} (cached in the system temp folder)…`);
  const files = await ensureImdbFiles({ scale: options.scale });
  say(`${files.reused ? 'reused' : 'generated'} ${files.dir}`);
  const database = await createThrowawayDatabase(adminUrl, 'cine_bench_gw');
  const servers: Array<{ child: ChildProcess }> = [];
  try {
    const handle = await openDatabase({ databaseUrl: database.url, applicationName: 'bench-gateway' });
    let catalogue: { films: number; series: number };
    let likedPool: Array<{ tconst: string; title: string }>;
    try {
      await migrateToLatest(handle.db);
      say('importing with the ETL (default policy)…');
      const etl = createEtlServices(handle, { log, http: { attempts: 1, retryDelayMs: 0, connectTimeoutMs: 1000 } });
      await etl.imdb.run({ sources: [files.dir], policy: {} });
      say('building embeddings…');
      await buildEmbeddings(handle, log);
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

    let seq = 0;
    const bodies = () => {
      seq++;
      const a = likedPool[(seq * 7) % likedPool.length]!;
      const b = likedPool[(seq * 13 + 1) % likedPool.length]!;
      // What the page sends once the customer picked films from the suggestions: tconsts. Title
      // resolution is a search, measured by the search scenario.
      return JSON.stringify({ liked: [a.tconst, b.tconst], k: 10 });
    };
    const queries = likedPool.map((p, i) => `/api/v1/films/search?q=${encodeURIComponent(typedVariants(p.title, i))}&limit=10`);
    let q = 0;
    const paths = () => queries[q++ % queries.length]!;
    const run = { duration: options.duration, connections: options.connections };
    const warm = { duration: Math.min(3, options.duration), connections: options.connections };
    const results: Figures[] = [];

    say('hello (ceiling)…');
    const hello = await startServer(['hello']);
    servers.push(hello);
    await load('warm-up', `${hello.url}/hello`, warm);
    results.push(await load('hello (ceiling)', `${hello.url}/hello`, run));
    await stopServer(hello);

    const recommender = await startServer(['recommender', database.url]);
    servers.push(recommender);
    const gateway = await startServer(['gateway', database.url, recommender.url]);
    servers.push(gateway);
    say(`recommender at ${recommender.url}, gateway at ${gateway.url}`);
    say('POST /api/v1/recommendations…');
    await load('warm-up', `${gateway.url}/api/v1/recommendations`, { ...warm, method: 'POST', bodies });
    results.push(await load('POST /api/v1/recommendations', `${gateway.url}/api/v1/recommendations`, { ...run, method: 'POST', bodies }));
    say('GET /api/v1/films/search…');
    await load('warm-up', `${gateway.url}/api/v1/films/search?q=x`, { ...warm, paths });
    results.push(await load('GET /api/v1/films/search', `${gateway.url}/api/v1/films/search?q=x`, { ...run, paths }));

    const [ceiling, recs, search] = results as [Figures, Figures, Figures];
    const ratio = recs.rps / ceiling.rps;
    process.stdout.write(
      [
        `gateway benchmark: loopback, ${options.connections} connections, ${options.duration} s per scenario; catalogue generated at scale ${options.scale} (${catalogue.films} films, ${catalogue.series} series), real recommender`,
        '',
        table(results),
        '',
        `targets: recommendations/hello ≥ 0.3 (${ratio.toFixed(3)}), recommendations p99 ≤ 50 ms (${recs.p99.toFixed(1)}), 0 errors (${recs.errors + search.errors + ceiling.errors}), search p95 ≤ 20 ms (${search.p95.toFixed(1)})`,
        `recommendations/hello: ${ratio.toFixed(3)}`,
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
