/**
 * npm run bench:notify [-- --subscribers 100000 --films 40 --catalogue 100000 --seed 1
 *                          --fit-sample 1000 --fit-loop-sample 100 --digests 10000 --chunk 5000]
 * BENCH_CPU_PROF_DIR=dir: the recommender writes a CPU profile there (run the bench itself under
 * `node --cpu-prof --import tsx` for the notifier's side).
 *
 * Matching (issue 16, "bench:notify"): a synthetic catalogue of real size (100 000 films × 64,
 * in neighbourhoods, IMDb-like votes) stored as an embedding version in a throwaway database and
 * served by the real recommender, started as its own process as in production; N subscribers
 * (3–10 liked films drawn by popularity, seeded) × the programme's films (drawn by popularity).
 * In one run: every subscriber scored against every film through the recommender's batch call
 * (`POST /v1/recommendations/batch/scores`, numbers both ways) with the notifier's own
 * HttpBatchScorer (scoreMatrix: its chunks, its requests in flight) to a float32 tastes × films
 * array; the same call against a stand-in that computes nothing (null-recommender.ts, its own
 * process: what carrying the bytes costs, the path's floor); the CPU each side spent (the
 * recommender's read in /proc); then the same array by a plain TypeScript loop (the same taste
 * vectors and dot products, written plainly), compared value by value; the loop's profiles alone,
 * timed apart (the recommender computes them too); then HttpBatchScorer.score's sorted FilmScore
 * objects, the form the jobs receive, timed apart. Then the fit thresholds (the alert path: the
 * 100th film of the whole index for each taste) on samples: through the endpoint, and by a plain
 * full scan; their cost per taste, extrapolated to N. Targets (issue 16): the batch ≥ 10× the
 * loop, ≤ 2 s for 100k × 40.
 *
 * Digests (first, so that the matching's arrays do not weigh on the memory figure): 10 000 into a
 * local smtp-server through the notifier's rules, composition and sender, against a bare
 * nodemailer pool in the same run (digest-bench.ts). Targets: ratio ≥ 0.5, peak RSS ≤ 500 MB.
 *
 * Last line: `notify: matching 100000×40 batch X.XX s vs loop Y.YY s = Z.Z×`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { type DigestFigures, runDigests } from './digest-bench';
import { type MatchingFigures, runMatching, storeCatalogue, syntheticCatalogue } from './matching-bench';

const say = (line: string) => process.stderr.write(`${line}\n`);
const ROOT = join(__dirname, '..', '..', '..');

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** `npm run recommender` on the throwaway database, ready once its version is loaded. */
async function startRecommenderProcess(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  // BENCH_CPU_PROF_DIR: the recommender writes a CPU profile there when it stops (node --cpu-prof).
  const profile = process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', join(ROOT, 'services/recommender/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', RECOMMENDER_POLL_MS: '3600000' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the recommender exited with code ${child.exitCode}`);
    const ready = await fetch(`${url}/health/ready`).then((r) => r.status === 200, () => false);
    if (ready) return { url, child };
    if (performance.now() - started > 300_000) throw new Error('the recommender was not ready after 5 minutes');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** null-recommender.ts as its own process (the matching's floor): its URL once it prints it. */
async function startNullRecommenderProcess(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'null-recommender.main.ts')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let printed = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the null recommender exited with code ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
      if (printed.includes('\n')) resolve(printed.trim());
    });
  });
  return { url, child };
}

/** A child's CPU time so far (ms): utime + stime from /proc, in ticks of 10 ms; null where there is no /proc. */
function cpuOf(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

const s = (ms: number) => (ms / 1000).toFixed(2);

function report(f: MatchingFigures, chunk: string): string[] {
  const ratio = f.loopMs / f.batchMs;
  const floor = f.floorMs;
  const { notifierMs, recommenderMs, loopMs: loopCpuMs } = f.cpu;
  const perBatch = f.fit.batchMs / f.fit.batchTastes;
  const perLoop = f.fit.loopMs / Math.max(1, f.fit.loopTastes);
  const n = f.subscribers.toLocaleString('en-US');
  const us = (ms: number) => `${((ms * 1000) / f.subscribers).toFixed(1)} µs`;
  return [
    '',
    `catalogue ${f.catalogue.toLocaleString('en-US')} synthetic films × 64 (one embedding version), ${n} subscribers × ${f.films} programmed films`,
    '| scores, every subscriber × every film | time | per subscriber |',
    '|---|---|---|',
    `| batch endpoint over HTTP, numbers both ways (HttpBatchScorer.scoreMatrix: chunks of ${chunk}, 2 in flight) → float32 tastes × films | ${s(f.batchMs)} s | ${us(f.batchMs)} |`,
    ...(floor === null
      ? []
      : [`| the same against a recommender that computes nothing (bench/null-recommender.ts, its own process): the tastes encoded and carried, zeros of the same size carried back and assembled — this path's floor | ${s(floor)} s | ${us(floor)} |`]),
    `| plain TypeScript loop (same taste vectors and dot products) → float32 tastes × films | ${s(f.loopMs)} s | ${us(f.loopMs)} |`,
    `| the loop's tastes alone (profile and prior weight, no dot product; the recommender computes them too) | ${s(f.profilesMs)} s | ${us(f.profilesMs)} |`,
    `| the batch through HttpBatchScorer.score → each subscriber's films sorted, ${(f.compared / 1e6).toFixed(1)} M FilmScore objects (the jobs' form; the loop builds none) | ${s(f.objectsMs)} s | ${us(f.objectsMs)} |`,
    `scores compared: ${f.compared.toLocaleString('en-US')}, largest difference ${f.maxDiff.toExponential(1)} (the JSON form rounds to 6 decimals)`,
    `CPU during the batch: notifier ${s(notifierMs)} s + recommender ${recommenderMs === null ? 'n/a (no /proc)' : `${s(recommenderMs)} s = ${s(notifierMs + recommenderMs)} s`}; the loop ${s(loopCpuMs)} s (two processes can use both cores, the loop one)`,
    `targets: batch ≥ 10× the loop: ${ratio >= 10 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}×: 10× would be ${s(f.loopMs / 10)} s, ${us(f.loopMs / 10)} a subscriber to send its titles, build its profile in the recommender and bring back its ${f.films} scores` +
      `${floor === null ? '' : `; carrying the bytes alone, the floor above, is ${s(floor)} s, the loop ${(f.loopMs / floor).toFixed(1)}× that`}); ≤ 2 s for ${n} × ${f.films}: ${f.batchMs <= 2000 ? 'met' : 'NOT met'} (${s(f.batchMs)} s)`,
    '',
    `alert path, fit thresholds (the 100th film of the whole index per taste): endpoint ${f.fit.batchTastes.toLocaleString('en-US')} tastes in ${s(f.fit.batchMs)} s (${perBatch.toFixed(2)} ms each, ` +
      `${s(perBatch * f.subscribers)} s extrapolated to ${n}); plain full scan ${f.fit.loopTastes} tastes in ${s(f.fit.loopMs)} s (${perLoop.toFixed(2)} ms each, ${s(perLoop * f.subscribers)} s extrapolated); ` +
      `largest difference ${f.fit.maxDiff.toExponential(1)}`,
    `alert path: batch ${(perLoop / perBatch).toFixed(1)}× the plain scan (target ≥ 10×: ${perLoop / perBatch >= 10 ? 'met' : 'NOT met'})`,
  ];
}

function digestReport(d: DigestFigures): string[] {
  const rate = (ms: number) => (d.digests / (ms / 1000)).toFixed(0);
  const ratio = d.bareMs / d.notifierMs;
  return [
    '',
    `digests: ${d.digests.toLocaleString('en-US')} into a local smtp-server (3 pooled connections, 3 in flight; one digest ≈ ${(d.digestBytes / 1024).toFixed(0)} kB of text + HTML)`,
    '| path | time | emails/s |',
    '|---|---|---|',
    `| the notifier (digest rules, composition, suppression read in Postgres, sender) | ${s(d.notifierMs)} s | ${rate(d.notifierMs)} |`,
    `| bare nodemailer pool, one ready-made digest | ${s(d.bareMs)} s | ${rate(d.bareMs)} |`,
    `accepted by the server: ${d.accepted.notifier} / ${d.accepted.bare}; peak RSS during the notifier's run ${d.peakRssMb.toFixed(0)} MB`,
    `targets: ratio ≥ 0.5: ${ratio >= 0.5 ? 'met' : 'NOT met'} (${ratio.toFixed(2)}); peak RSS ≤ 500 MB: ${d.peakRssMb <= 500 ? 'met' : 'NOT met'}`,
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      subscribers: { type: 'string', default: '100000' },
      films: { type: 'string', default: '40' },
      catalogue: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '1' },
      'fit-sample': { type: 'string', default: '1000' },
      'fit-loop-sample': { type: 'string', default: '100' },
      digests: { type: 'string', default: '10000' },
      chunk: { type: 'string' },
    },
  });
  const int = (name: keyof typeof values, min: number) => {
    const v = Number(values[name]);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return v;
  };
  const subscribers = int('subscribers', 1);
  const films = int('films', 1);
  const catalogueSize = int('catalogue', 200);
  const seed = int('seed', 0);
  const fitSample = Math.min(subscribers, int('fit-sample', 1));
  const fitLoopSample = Math.min(fitSample, int('fit-loop-sample', 1));
  const digests = int('digests', 0);
  const chunkSize = values.chunk === undefined ? undefined : int('chunk', 1);
  console.log(`bench:notify — load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  let db: TestDatabase | null = null;
  let child: ChildProcess | null = null;
  let floorChild: ChildProcess | null = null;
  const outbox = await mkdtemp(join(tmpdir(), 'cine-bench-notify-'));
  try {
    db = await createTestDatabase();
    const digestFigures = digests > 0 ? await runDigests({ handle: db.handle, digests, outboxDir: outbox, say }) : null;
    say(`synthetic catalogue of ${catalogueSize.toLocaleString('en-US')} films, stored as an embedding version in a throwaway database…`);
    const catalogue = syntheticCatalogue(catalogueSize, 64, seed);
    await storeCatalogue(db.handle, catalogue);
    say('the recommender, as its own process…');
    const recommender = await startRecommenderProcess(db.url!);
    child = recommender.child;
    const nullRecommender = await startNullRecommenderProcess();
    floorChild = nullRecommender.child;
    const figures = await runMatching({
      recommenderUrl: recommender.url,
      floorUrl: nullRecommender.url,
      recommenderCpuMs: () => cpuOf(recommender.child.pid),
      catalogue,
      subscribers,
      films,
      seed,
      fitSample,
      fitLoopSample,
      say,
      ...(chunkSize === undefined ? {} : { chunkSize }),
    });
    if (digestFigures) for (const line of digestReport(digestFigures)) console.log(line);
    else console.log('\ndigests: skipped (--digests 0)');
    const end = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    for (const line of report(figures, (chunkSize ?? 5000).toLocaleString('en-US'))) console.log(line);
    console.log(`load average at the end ${end} (2 cores shared: figures vary with what else runs)`);
    console.log(`notify: matching ${subscribers}×${figures.films} batch ${s(figures.batchMs)} s vs loop ${s(figures.loopMs)} s = ${(figures.loopMs / figures.batchMs).toFixed(1)}×`);
  } finally {
    if (floorChild) await stop(floorChild);
    if (child) await stop(child);
    await db?.drop();
    await rm(outbox, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench:notify failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
