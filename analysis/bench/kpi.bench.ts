import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '@cine/common';
import { migrateToLatest, openDatabase, refreshKpis } from '@cine/db';
import { createEtlServices } from '@cine/etl-worker';
import postgres from 'postgres';
import { loadBenchConfig } from '@cine/etl-worker/bench/bench.config';
import { ensureImdbFiles } from '@cine/etl-worker/bench/imdb-cache';
import { createThrowawayDatabase, type ThrowawayDatabase } from '@cine/etl-worker/bench/throwaway-database';
import { expandedPanelQueries } from '../src/grafana/dashboard-queries';
import { writeSyntheticTmdb } from './synthetic-tmdb';

/**
 * `npm run bench:kpi -- [--scale S] [--min-votes N] [--runs N]`: every Grafana panel query, as
 * Grafana sends it (variables at their defaults, macros expanded) and as the read-only role, on
 * a catalogue generated at --scale and imported by the real ETL, the KPI views refreshed. The
 * generator writes no TMDB file, so the bench writes a synthetic one for 40 % of the films. The
 * baseline, timed the same way in the same run, is `SELECT count(*) FROM title`.
 */

const USAGE = `usage: npm run bench:kpi -- [--scale S] [--min-votes N] [--runs N] [--keep]

  --scale S       size of the generated IMDb files, 0 < S <= 1 (default 0.1)
  --min-votes N   the import's vote threshold for films and series (default 0: every title, the heaviest catalogue)
  --runs N        timed runs per query after one warm-up (default 20)
  --keep          keep the throwaway database instead of dropping it`;

const TARGET_MS = 200;
const READER_ROLE = 'cine_kpi_reader';
const say = (line: string) => process.stdout.write(`${line}\n`);
const note = (line: string) => process.stderr.write(`[bench:kpi] ${line}\n`);

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '0.1' },
      'min-votes': { type: 'string', default: '0' },
      runs: { type: 'string', default: '20' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be in (0, 1], got "${values.scale}"`);
  const minVotes = Number(values['min-votes']);
  if (!(Number.isInteger(minVotes) && minVotes >= 0)) throw new Error(`--min-votes must be a non-negative integer`);
  const runs = Number(values.runs);
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error('--runs must be a positive integer');
  return { help: values.help, scale, minVotes, runs, keep: values.keep };
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

async function time(reader: postgres.Sql, sql: string, runs: number): Promise<{ p50: number; p95: number; max: number; rows: number }> {
  let rows = (await reader.unsafe(sql)).length;
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rows = (await reader.unsafe(sql)).length;
    ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), max: ms.at(-1)!, rows };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseCommandLine();
  } catch (err) {
    process.stderr.write(`bench:kpi: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    say(USAGE);
    return 0;
  }
  const config = loadBenchConfig();
  const files = await ensureImdbFiles({ scale: args.scale });
  note(`${files.reused ? 'reusing' : 'generated'} IMDb files at scale ${args.scale} in ${files.dir} (${files.rows.toLocaleString('en')} rows)`);

  const database: ThrowawayDatabase = await createThrowawayDatabase(config.adminUrl, 'cine_bench_kpi');
  let reader: postgres.Sql | undefined;
  const handle = await openDatabase({ databaseUrl: database.url, maxConnections: 4, applicationName: 'kpi-bench' });
  try {
    await migrateToLatest(handle.db);
    const etl = createEtlServices(handle, { log: createLogger('bench', { level: 'silent' }), http: { attempts: 1, retryDelayMs: 0, connectTimeoutMs: 1000 } });
    let started = performance.now();
    await etl.importer.imdb({ sources: [files.dir], policy: { movieMinVotes: args.minVotes, seriesMinVotes: args.minVotes } });
    const tmdbDir = await mkdtemp(join(tmpdir(), 'cine-bench-kpi-'));
    try {
      const tmdbFile = join(tmdbDir, 'tmdb_full.csv');
      const tmdbRows = await writeSyntheticTmdb(handle, tmdbFile);
      await etl.importer.tmdb({ sources: [tmdbFile] });
      note(`imported in ${((performance.now() - started) / 1000).toFixed(1)} s (TMDB: ${tmdbRows.toLocaleString('en')} synthetic rows)`);
    } finally {
      await rm(tmdbDir, { recursive: true, force: true });
    }
    const counts = await handle.db
      .selectFrom('title')
      .select((eb) => [eb.fn.countAll<number>().as('titles')])
      .executeTakeFirstOrThrow();
    const credits = await handle.db.selectFrom('credit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const tmdb = await handle.db.selectFrom('title_tmdb').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    started = performance.now();
    const refresh = await refreshKpis(handle);
    const refreshMs = performance.now() - started;

    reader = postgres(database.url, { max: 1, onnotice: () => {} });
    await reader.unsafe(`SET ROLE ${READER_ROLE}`);
    const queries = await expandedPanelQueries((q) => reader!.unsafe(q));

    say(`catalogue: scale ${args.scale}, min votes ${args.minVotes}: ${Number(counts.titles).toLocaleString('en')} titles, ${Number(credits.n).toLocaleString('en')} credits, ${Number(tmdb.n).toLocaleString('en')} TMDB records (synthetic)`);
    say(`KPI refresh (post-import hook): ${(refreshMs / 1000).toFixed(2)} s; slowest views: ${[...refresh].sort((a, b) => b.ms - a.ms).slice(0, 3).map((r) => `${r.view} ${r.ms} ms`).join(', ')}`);
    say(`each query: 1 warm-up + ${args.runs} runs as role ${READER_ROLE}`);
    say('');
    // The baseline runs as the owner: the read-only role may not read the catalogue itself.
    const owner = postgres(database.url, { max: 1, onnotice: () => {} });
    const baseline = await time(owner, 'SELECT count(*) FROM title', args.runs).finally(() => owner.end());
    const rows: Array<[string, string, number, number, number, number]> = [];
    for (const q of queries) {
      const t = await time(reader, q.sql, args.runs);
      rows.push([q.dashboard, q.panel, t.rows, t.p50, t.p95, t.max]);
    }
    const width = Math.max(...rows.map((r) => `${r[0]} › ${r[1]}`.length), 40);
    say(`${'panel'.padEnd(width)}  rows   p50 ms   p95 ms   max ms`);
    const line = (name: string, n: number, p50: number, p95: number, max: number) =>
      say(`${name.padEnd(width)} ${String(n).padStart(5)} ${p50.toFixed(2).padStart(8)} ${p95.toFixed(2).padStart(8)} ${max.toFixed(2).padStart(8)}`);
    for (const [d, p, n, p50, p95, max] of rows) line(`${d} › ${p}`, n, p50, p95, max);
    line('baseline: SELECT count(*) FROM title', baseline.rows, baseline.p50, baseline.p95, baseline.max);
    const slowest = rows.reduce((a, b) => (b[4] > a[4] ? b : a));
    const over = rows.filter((r) => r[4] > TARGET_MS);
    say('');
    say(`slowest panel: ${slowest[0]} › ${slowest[1]}, p95 ${slowest[4].toFixed(2)} ms (target ≤ ${TARGET_MS} ms): ${over.length === 0 ? 'every panel within target' : `${over.length} panel(s) over target`}`);
    say(`ratio slowest panel p95 / baseline p95: ${(slowest[4] / baseline.p95).toFixed(2)}`);
    return over.length === 0 ? 0 : 1;
  } finally {
    await reader?.end();
    await handle.close();
    if (!args.keep) await database.drop();
    else note(`kept database ${database.url}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:kpi: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
