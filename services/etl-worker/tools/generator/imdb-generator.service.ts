import { mkdir, readdir, unlink } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { DEFAULT_GZIP_LEVEL, GzipTsvWriter } from './gzip-tsv.writer';
import { IMDB_FILES, IMDB_HEADERS, type ImdbFile, imdbFileName, type RowTargets, rowTargets } from './imdb-files';
import {
  AkasRows, BasicsRows, CrewRows, EpisodeRows, type GeneratorContext, NamesRows, PrincipalsRows, RatingsRows,
  type TitleRowsFormatter,
} from './imdb-rows';
import { PersonModel } from './person-model';
import { TitleModel } from './title-model';

/**
 * Writes the seven IMDb-shaped files. Files are split into bins balanced by expected size; each
 * bin runs in its own worker thread (JS formatting is the bottleneck and is single-threaded per
 * isolate), and inside a bin every file streams concurrently so zlib keeps the thread pool busy.
 * The bytes of a file never depend on the binning: only on seed and scale.
 */

export const DEFAULT_SEED = 20_260_101;

export interface GenerateImdbOptions {
  outDir: string;
  scale: number;
  seed?: number;
  /** Worker threads; 1 keeps everything in the calling thread. Default: available cores. */
  jobs?: number;
  gzipLevel?: number;
  files?: readonly ImdbFile[];
  onProgress?: (progress: GenerationProgress) => void;
  signal?: AbortSignal;
}

export interface FileReport {
  file: ImdbFile;
  path: string;
  rows: number;
  rawBytes: number;
  gzBytes: number;
  ms: number;
}

export interface GenerateImdbReport {
  outDir: string;
  scale: number;
  seed: number;
  targets: RowTargets;
  files: FileReport[];
  wallMs: number;
  rows: number;
  rawBytes: number;
  gzBytes: number;
}

export interface GenerationProgress {
  /** Rows written so far, per file. */
  rows: Partial<Record<ImdbFile, number>>;
  targets: RowTargets;
  elapsedMs: number;
}

/** Settings a bin needs; plain data so it can cross into a worker. */
export interface BinSettings {
  outDir: string;
  scale: number;
  seed: number;
  gzipLevel: number;
}

/**
 * Relative cost per row (≈ ns of one core, formatting + gzip level 1), measured file by file and
 * adjusted so that, at scale 1 on two cores, the principals bin and the bin with everything else
 * finish together. Used only to balance bins: principals alone is about half of all the work.
 */
const COST_PER_ROW_NS: Readonly<Record<ImdbFile, number>> = {
  'title.basics': 1330,
  'title.akas': 780,
  'title.crew': 1330,
  'title.episode': 490,
  'title.principals': 1110,
  'title.ratings': 700,
  'name.basics': 2780,
};

/** Longest-processing-time-first: good enough for seven items of very unequal size. */
export function planBins(files: readonly ImdbFile[], bins: number, targets: RowTargets): ImdbFile[][] {
  const count = Math.max(1, Math.min(bins, files.length));
  const plan: { files: ImdbFile[]; load: number }[] = Array.from({ length: count }, () => ({ files: [], load: 0 }));
  const bySize = [...files].sort((a, b) => targets[b] * COST_PER_ROW_NS[b] - targets[a] * COST_PER_ROW_NS[a]);
  for (const file of bySize) {
    const lightest = plan.reduce((min, bin) => (bin.load < min.load ? bin : min));
    lightest.files.push(file);
    lightest.load += targets[file] * COST_PER_ROW_NS[file];
  }
  return plan.filter((bin) => bin.files.length > 0).map((bin) => IMDB_FILES.filter((f) => bin.files.includes(f)));
}

export async function generateImdb(options: GenerateImdbOptions): Promise<GenerateImdbReport> {
  const started = Date.now();
  const settings: BinSettings = {
    outDir: options.outDir,
    scale: options.scale,
    seed: (options.seed ?? DEFAULT_SEED) >>> 0,
    gzipLevel: options.gzipLevel ?? DEFAULT_GZIP_LEVEL,
  };
  const targets = rowTargets(settings.scale);
  const files = options.files ?? IMDB_FILES;
  await mkdir(settings.outDir, { recursive: true });

  const rows: Partial<Record<ImdbFile, number>> = {};
  const report = (file: ImdbFile, n: number): void => {
    rows[file] = n;
    options.onProgress?.({ rows: { ...rows }, targets, elapsedMs: Date.now() - started });
  };
  const jobs = Math.max(1, Math.floor(options.jobs ?? availableParallelism()));
  const bins = planBins(files, jobs, targets);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const results =
      jobs === 1
        ? [await writeBin(files, settings, report, controller.signal)]
        : await Promise.all(
            bins.map((bin) =>
              runBinInWorker(bin, settings, report, controller.signal).catch((err: unknown) => {
                controller.abort(err);
                throw err;
              }),
            ),
          );
    const byFile = new Map(results.flat().map((r) => [r.file, r]));
    const ordered = IMDB_FILES.flatMap((f) => {
      const r = byFile.get(f);
      return r ? [r] : [];
    });
    return {
      outDir: settings.outDir,
      scale: settings.scale,
      seed: settings.seed,
      targets,
      files: ordered,
      wallMs: Date.now() - started,
      rows: ordered.reduce((s, r) => s + r.rows, 0),
      rawBytes: ordered.reduce((s, r) => s + r.rawBytes, 0),
      gzBytes: ordered.reduce((s, r) => s + r.gzBytes, 0),
    };
  } catch (err) {
    await removePartials(settings.outDir);
    throw err;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function removePartials(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.endsWith('.tsv.gz.partial')).map((n) => unlink(join(dir, n)).catch(() => undefined)));
}

/** Rows between yields to the event loop, so zlib's completion callbacks keep its threads fed. */
const YIELD_EVERY_TITLES = 256;
const PROGRESS_EVERY_MS = 1000;

/** Write a bin's files in the calling thread. Used directly (jobs = 1) and by the worker entry. */
export async function writeBin(
  files: readonly ImdbFile[],
  settings: BinSettings,
  onRows: (file: ImdbFile, rows: number) => void,
  signal?: AbortSignal,
): Promise<FileReport[]> {
  const targets = rowTargets(settings.scale);
  const ctx: GeneratorContext = { seed: settings.seed, targets, persons: new PersonModel(settings.seed, targets['name.basics']) };
  const writers = new Map<ImdbFile, GzipTsvWriter>();
  const startedAt = new Map<ImdbFile, number>();
  for (const file of files) {
    writers.set(file, GzipTsvWriter.open(join(settings.outDir, imdbFileName(file)), IMDB_HEADERS[file], settings.gzipLevel));
    startedAt.set(file, Date.now());
  }
  const reports: FileReport[] = [];
  const finish = async (file: ImdbFile): Promise<void> => {
    const w = writers.get(file) as GzipTsvWriter;
    const gzBytes = await w.close();
    onRows(file, w.rows);
    reports.push({ file, path: w.path, rows: w.rows, rawBytes: w.rawBytes, gzBytes, ms: Date.now() - (startedAt.get(file) as number) });
  };
  try {
    const titleFiles = files.filter((f) => f !== 'name.basics');
    const passes: Promise<void>[] = [];
    if (titleFiles.length > 0) {
      const formatters = titleFiles.map((f) => titleFormatter(f, ctx, writers.get(f) as GzipTsvWriter));
      passes.push(titlesPass(ctx, formatters, writers, onRows, signal).then(() => Promise.all(titleFiles.map(finish)).then(() => undefined)));
    }
    if (files.includes('name.basics')) {
      const w = writers.get('name.basics') as GzipTsvWriter;
      passes.push(namesPass(ctx, new NamesRows(ctx, w), w, onRows, signal).then(() => finish('name.basics')));
    }
    await Promise.all(passes);
    return reports;
  } catch (err) {
    await Promise.all([...writers.values()].map((w) => w.abort()));
    throw err;
  }
}

function titleFormatter(file: ImdbFile, ctx: GeneratorContext, out: GzipTsvWriter): TitleRowsFormatter {
  switch (file) {
    case 'title.basics':
      return new BasicsRows(ctx, out);
    case 'title.akas':
      return new AkasRows(ctx, out);
    case 'title.crew':
      return new CrewRows(ctx, out);
    case 'title.episode':
      return new EpisodeRows(out);
    case 'title.principals':
      return new PrincipalsRows(ctx, out);
    case 'title.ratings':
      return new RatingsRows(out);
    default:
      throw new Error(`${file} is not a title file`);
  }
}

async function relieve(writers: Iterable<GzipTsvWriter>, signal: AbortSignal | undefined): Promise<void> {
  signal?.throwIfAborted();
  await nextTurn();
  for (const w of writers) if (w.congested) await w.drain();
}

async function titlesPass(
  ctx: GeneratorContext,
  formatters: readonly TitleRowsFormatter[],
  writers: Map<ImdbFile, GzipTsvWriter>,
  onRows: (file: ImdbFile, rows: number) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const model = new TitleModel(ctx.seed, ctx.targets['title.basics'], ctx.targets['title.ratings']);
  const own = formatters.map((f) => writers.get(f.file) as GzipTsvWriter);
  let lastReport = Date.now();
  for (let i = 0; !model.done; i++) {
    const t = model.advance();
    for (let k = 0; k < formatters.length; k++) (formatters[k] as TitleRowsFormatter).emit(t);
    if (i % YIELD_EVERY_TITLES === YIELD_EVERY_TITLES - 1) {
      await relieve(own, signal);
      if (Date.now() - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = Date.now();
        formatters.forEach((f, k) => onRows(f.file, (own[k] as GzipTsvWriter).rows));
      }
    }
  }
}

async function namesPass(
  ctx: GeneratorContext,
  names: NamesRows,
  out: GzipTsvWriter,
  onRows: (file: ImdbFile, rows: number) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const n = ctx.targets['name.basics'];
  let lastReport = Date.now();
  const step = YIELD_EVERY_TITLES * 4;
  for (let j = 0; j < n; j++) {
    names.emit(j);
    if (j % step === step - 1) {
      await relieve([out], signal);
      if (Date.now() - lastReport >= PROGRESS_EVERY_MS) {
        lastReport = Date.now();
        onRows('name.basics', out.rows);
      }
    }
  }
}

type WorkerMessage =
  | { kind: 'rows'; file: ImdbFile; rows: number }
  | { kind: 'done'; reports: FileReport[] }
  | { kind: 'failed'; message: string };

/**
 * The worker is started from an eval'd CommonJS stub that registers tsx first: worker threads do
 * not inherit the parent's TypeScript loader, under tsx or under jest.
 */
function runBinInWorker(
  files: readonly ImdbFile[],
  settings: BinSettings,
  onRows: (file: ImdbFile, rows: number) => void,
  signal: AbortSignal,
): Promise<FileReport[]> {
  const entry = join(__dirname, 'imdb-generator.thread.ts');
  const tsx = require.resolve('tsx/cjs/api');
  const stub = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(stub, { eval: true, workerData: { files, settings } });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', stop);
      fn();
    };
    const stop = (): void => {
      void worker.terminate();
      settle(() => reject(signal.reason ?? new Error('generation aborted')));
    };
    signal.addEventListener('abort', stop, { once: true });
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.kind === 'rows') onRows(msg.file, msg.rows);
      else if (msg.kind === 'done') settle(() => resolve(msg.reports));
      else settle(() => reject(new Error(msg.message)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`generator worker thread exited with code ${code} before finishing`))));
  });
}
