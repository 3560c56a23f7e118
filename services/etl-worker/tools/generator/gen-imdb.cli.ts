import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { IMDB_FILES, type ImdbFile } from './imdb-files';
import { DEFAULT_SEED, type GenerateImdbReport, generateImdb, type GenerationProgress } from './imdb-generator.service';

/** `npm run gen:imdb -- --out DIR --scale S [--seed N] [--jobs N] [--level L] [--files a,b]` */

const USAGE = `usage: npm run gen:imdb -- --out DIR --scale S [options]

Writes the seven IMDb dataset files (gzipped TSV) shaped like the real dump.
  --out DIR      output directory (created if missing)
  --scale S      0 < S <= 1; 1 = the real dump's row counts (12.3 M titles, 98.1 M principals)
  --seed N       random seed (default ${DEFAULT_SEED}); same arguments give byte-identical files
  --jobs N       worker threads (default: available cores; 1 = no workers)
  --level L      gzip level 1-9 (default 1, for speed)
  --files LIST   comma-separated subset, e.g. title.basics,title.ratings`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function numberArg(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) fail(`--${name} must be a number, got "${value}"`);
  return n;
}

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
const millions = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : Math.round(n).toLocaleString('en-US'));

function progressLine(p: GenerationProgress): string {
  const files = Object.keys(p.rows) as ImdbFile[];
  const done = files.reduce((s, f) => s + (p.rows[f] ?? 0), 0);
  const wanted = IMDB_FILES.reduce((s, f) => s + p.targets[f], 0);
  const perFile = IMDB_FILES.filter((f) => p.rows[f] !== undefined)
    .map((f) => `${f.replace('title.', '')} ${Math.floor((100 * (p.rows[f] ?? 0)) / Math.max(1, p.targets[f]))}%`)
    .join(' ');
  const secs = p.elapsedMs / 1000;
  return `[gen:imdb] ${secs.toFixed(0)} s  ${millions(done)} rows (~${Math.floor((100 * done) / wanted)}%)  ${millions(done / Math.max(secs, 0.001))} rows/s | ${perFile}`;
}

function summary(r: GenerateImdbReport): string {
  const lines = [`IMDb-shaped files at scale ${r.scale}, seed ${r.seed}, in ${r.outDir}`];
  lines.push(`${'file'.padEnd(26)}${'rows'.padStart(14)}${'raw MB'.padStart(10)}${'gz MB'.padStart(9)}${'s'.padStart(8)}`);
  for (const f of r.files) {
    lines.push(`${(f.file + '.tsv.gz').padEnd(26)}${f.rows.toLocaleString('en-US').padStart(14)}${mb(f.rawBytes).padStart(10)}${mb(f.gzBytes).padStart(9)}${(f.ms / 1000).toFixed(1).padStart(8)}`);
  }
  const secs = r.wallMs / 1000;
  lines.push(`${'total'.padEnd(26)}${r.rows.toLocaleString('en-US').padStart(14)}${mb(r.rawBytes).padStart(10)}${mb(r.gzBytes).padStart(9)}${secs.toFixed(1).padStart(8)}`);
  lines.push(`speed: ${millions(r.rows / secs)} rows/s, ${(r.rawBytes / 1e6 / secs).toFixed(1)} MB/s uncompressed, ${(r.gzBytes / 1e6 / secs).toFixed(1)} MB/s gzipped`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        out: { type: 'string' },
        scale: { type: 'string' },
        seed: { type: 'string' },
        jobs: { type: 'string' },
        level: { type: 'string' },
        files: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.out) fail('--out is required');
  const scale = numberArg(values.scale, 'scale');
  if (scale === undefined) fail('--scale is required');
  if (!(scale > 0 && scale <= 1)) fail(`--scale must be in (0, 1], got ${scale}`);
  const level = numberArg(values.level, 'level');
  if (level !== undefined && !(Number.isInteger(level) && level >= 1 && level <= 9)) fail('--level must be an integer 1-9');
  const jobs = numberArg(values.jobs, 'jobs');
  if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) fail('--jobs must be a positive integer');
  const seed = numberArg(values.seed, 'seed');
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) fail('--seed must be an integer in [0, 2^32)');
  let files: ImdbFile[] | undefined;
  if (values.files) {
    files = values.files.split(',').map((f) => f.trim().replace(/\.tsv\.gz$/, '')) as ImdbFile[];
    const unknown = files.filter((f) => !IMDB_FILES.includes(f));
    if (unknown.length > 0) fail(`unknown file(s): ${unknown.join(', ')}`);
  }

  const abort = new AbortController();
  const stop = (sig: NodeJS.Signals): void => {
    process.stderr.write(`[gen:imdb] ${sig}: stopping, removing partial files\n`);
    abort.abort(new Error(`interrupted by ${sig}`));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  let lastPrint = 0;
  const report = await generateImdb({
    outDir: resolve(values.out),
    scale,
    seed,
    jobs,
    gzipLevel: level,
    files,
    signal: abort.signal,
    onProgress: (p) => {
      if (p.elapsedMs - lastPrint < 5000) return;
      lastPrint = p.elapsedMs;
      process.stderr.write(`${progressLine(p)}\n`);
    },
  });
  process.stdout.write(`${summary(report)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`[gen:imdb] failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
