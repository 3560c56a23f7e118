import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED } from '../tools/generator/imdb-generator.service';
import { loadBenchConfig } from './bench.config';
import { formatEtlBench, type EtlBenchFigures } from './etl-bench.report';
import { ensureImdbFiles, imdbFilePaths } from './imdb-cache';
import { createThrowawayDatabase, type ThrowawayDatabase } from './throwaway-database';
import { runTimed } from './timed-process';

/**
 * `npm run bench:etl -- --scale S [--keep]`: the full IMDb import against its own baseline, the
 * time `zcat` needs just to decompress the same files. Their ratio says how much the import
 * costs beyond reading its input, independent of the machine.
 */

const USAGE = `usage: npm run bench:etl -- [--scale S] [--keep] [--seed N] [--jobs N] [--regenerate]

  --scale S       size of the generated IMDb files, 0 < S <= 1 (default 0.1; targets are for 1)
  --keep          keep the throwaway database (its URL is printed) instead of dropping it
  --seed N        generator seed (default ${DEFAULT_SEED})
  --jobs N        generator worker threads (default: available cores)
  --regenerate    generate the files again even if a cached copy exists`;

const REPO_ROOT = join(__dirname, '..', '..', '..');
const ETL_CLI = 'services/etl-worker/src/etl.cli.ts';
const log = (line: string): void => {
  process.stderr.write(`[bench:etl] ${line}\n`);
};

interface EtlReportJson {
  rowsRead: number;
  rowsKept: number;
  maxRssKb?: number;
  wallMs?: number;
}

function parseCommandLine() {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '0.1' },
      seed: { type: 'string' },
      jobs: { type: 'string' },
      keep: { type: 'boolean', default: false },
      regenerate: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const scale = Number(values.scale);
  if (!(scale > 0 && scale <= 1)) throw new Error(`--scale must be in (0, 1], got "${values.scale}"`);
  const seed = values.seed === undefined ? DEFAULT_SEED : Number(values.seed);
  if (!(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new Error('--seed must be an integer in [0, 2^32)');
  const jobs = values.jobs === undefined ? undefined : Number(values.jobs);
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new Error('--jobs must be a positive integer');
  return { help: values.help, scale, seed, jobs, keep: values.keep, regenerate: values.regenerate };
}

async function readEtlReport(file: string): Promise<EtlReportJson> {
  let parsed: Partial<EtlReportJson>;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<EtlReportJson>;
  } catch (err) {
    throw new Error(`the ETL wrote no readable --report-json (${(err as Error).message})`);
  }
  if (typeof parsed.rowsRead !== 'number' || typeof parsed.rowsKept !== 'number') {
    throw new Error(`--report-json lacks rowsRead/rowsKept: ${JSON.stringify(parsed).slice(0, 200)}`);
  }
  return parsed as EtlReportJson;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseCommandLine();
  } catch (err) {
    process.stderr.write(`bench:etl: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadBenchConfig();
  const abort = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      log(`${sig}: stopping the import and cleaning up`);
      abort.abort(new Error(`interrupted by ${sig}`));
    });
  }

  // 1. Input files, generated once per scale and seed.
  log(`scale ${args.scale}, seed ${args.seed}: looking for cached IMDb files`);
  let lastProgress = 0;
  const files = await ensureImdbFiles({
    scale: args.scale,
    seed: args.seed,
    jobs: args.jobs,
    regenerate: args.regenerate,
    signal: abort.signal,
    onProgress: (p) => {
      if (p.elapsedMs - lastProgress < 5000) return;
      lastProgress = p.elapsedMs;
      const done = Object.values(p.rows).reduce((s, n) => s + (n ?? 0), 0);
      log(`generating… ${(done / 1e6).toFixed(1)} M rows after ${(p.elapsedMs / 1000).toFixed(0)} s`);
    },
  });
  log(files.reused ? `reused cached files in ${files.dir}` : `generated ${files.dir} in ${(files.generateMs / 1000).toFixed(1)} s`);
  const paths = imdbFilePaths(files.dir);

  // 2. The floor: decompressing everything, nothing else. Read once untimed so that both
  // measurements see a warm page cache, as the import does.
  await runTimed('cat', paths, { stdio: ['ignore', 'ignore', 'inherit'], signal: abort.signal });
  log('timing zcat of the seven files');
  const zcat = await runTimed('zcat', paths, { stdio: ['ignore', 'ignore', 'inherit'], signal: abort.signal });

  // 3. The import, in a database of its own.
  if (!existsSync(join(REPO_ROOT, ETL_CLI))) {
    log(`${ETL_CLI} not found: cannot time the import`);
    process.stdout.write(`zcat of the 7 files: ${(zcat.wallMs / 1000).toFixed(2)} s\netl/zcat = n/a\n`);
    return 1;
  }
  const scratch = await mkdtemp(join(tmpdir(), 'cine-bench-etl-'));
  let db: ThrowawayDatabase | null = null;
  try {
    db = await createThrowawayDatabase(config.adminUrl);
    log(`database ${db.name} created; migrating`);
    const env = { ...process.env, DATABASE_URL: db.url };
    // Child stdout goes to our stderr: stdout carries only the result table.
    const childStdio: ['ignore', number, number] = ['ignore', 2, 2];
    await runTimed('npm', ['run', '-s', 'migrate'], { cwd: REPO_ROOT, env, stdio: childStdio, signal: abort.signal });
    const reportFile = join(scratch, 'etl-report.json');
    log('running the import');
    const run = await runTimed(
      process.execPath,
      ['--import', 'tsx', ETL_CLI, '--imdb', files.dir, '--min-votes', '1000', '--report-json', reportFile],
      { cwd: REPO_ROOT, env, stdio: childStdio, measureRss: true, signal: abort.signal },
    );
    const report = await readEtlReport(reportFile);

    // 4. The figures.
    const figures: EtlBenchFigures = {
      scale: args.scale,
      seed: args.seed,
      filesDir: files.dir,
      filesReused: files.reused,
      inputRows: files.rows,
      gzBytes: files.gzBytes,
      rawBytes: files.rawBytes,
      zcatMs: zcat.wallMs,
      importMs: run.wallMs,
      importSelfReportedMs: report.wallMs ?? null,
      rowsRead: report.rowsRead,
      rowsKept: report.rowsKept,
      rssOutsideKb: run.maxRssKb,
      rssSelfReportedKb: report.maxRssKb ?? null,
    };
    if (args.keep) log(`kept database ${db.name}: ${db.url}`);
    process.stdout.write(`${formatEtlBench(figures).join('\n')}\n`);
    return 0;
  } finally {
    await rm(scratch, { recursive: true, force: true });
    if (db && !args.keep) {
      await db.drop().catch((err: unknown) => log(`could not drop ${db?.name}: ${(err as Error).message}`));
    }
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:etl: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
