import { createHash } from 'node:crypto';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMDB_FILES, imdbFileName } from '../tools/generator/imdb-files';
import { DEFAULT_SEED, type GenerateImdbReport, generateImdb, type GenerationProgress } from '../tools/generator/imdb-generator.service';

/**
 * Generated IMDb files kept between benchmark runs: scale 1 takes minutes to generate and the
 * files do not change unless the generator does. A manifest records the generator's source hash;
 * a stale or incomplete cache is regenerated, never silently reused.
 */

export interface CachedImdbFiles {
  dir: string;
  reused: boolean;
  rows: number;
  gzBytes: number;
  rawBytes: number;
  /** Time spent generating in this run (0 when reused). */
  generateMs: number;
}

interface Manifest {
  fingerprint: string;
  rows: number;
  gzBytes: number;
  rawBytes: number;
}

const MANIFEST = '.cine-bench-manifest.json';
const GENERATOR_DIR = join(__dirname, '..', 'tools', 'generator');

export function cacheDirFor(scale: number, seed: number): string {
  return join(tmpdir(), `cine-bench-imdb-${scale}${seed === DEFAULT_SEED ? '' : `-seed${seed}`}`);
}

async function generatorFingerprint(scale: number, seed: number): Promise<string> {
  const hash = createHash('sha256').update(`${scale}:${seed}\n`);
  const sources = (await readdir(GENERATOR_DIR)).filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts')).sort();
  for (const f of sources) hash.update(f).update(await readFile(join(GENERATOR_DIR, f)));
  return hash.digest('hex');
}

async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

async function complete(dir: string): Promise<boolean> {
  const names = new Set(await readdir(dir).catch(() => [] as string[]));
  return IMDB_FILES.every((f) => names.has(imdbFileName(f)));
}

export async function ensureImdbFiles(opts: {
  scale: number;
  seed?: number;
  jobs?: number;
  regenerate?: boolean;
  onProgress?: (p: GenerationProgress) => void;
  signal?: AbortSignal;
}): Promise<CachedImdbFiles> {
  const seed = opts.seed ?? DEFAULT_SEED;
  const dir = cacheDirFor(opts.scale, seed);
  const fingerprint = await generatorFingerprint(opts.scale, seed);
  const manifest = await readManifest(dir);
  if (!opts.regenerate && manifest?.fingerprint === fingerprint && (await complete(dir))) {
    return { dir, reused: true, rows: manifest.rows, gzBytes: manifest.gzBytes, rawBytes: manifest.rawBytes, generateMs: 0 };
  }
  await rm(dir, { recursive: true, force: true });
  const report: GenerateImdbReport = await generateImdb({
    outDir: dir,
    scale: opts.scale,
    seed,
    jobs: opts.jobs,
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
  const written: Manifest = { fingerprint, rows: report.rows, gzBytes: report.gzBytes, rawBytes: report.rawBytes };
  await writeFile(join(dir, MANIFEST), `${JSON.stringify(written, null, 2)}\n`);
  return { dir, reused: false, rows: report.rows, gzBytes: report.gzBytes, rawBytes: report.rawBytes, generateMs: report.wallMs };
}

export function imdbFilePaths(dir: string): string[] {
  return IMDB_FILES.map((f) => join(dir, imdbFileName(f)));
}
