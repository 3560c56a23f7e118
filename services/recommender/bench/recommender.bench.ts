/**
 * npm run bench:recommender [-- --sizes 100000,1000000 --dims 64 --http-seconds 30 --threads 1]
 *                             [--build-imdb DIR[,DIR…] --build-tmdb FILE[,FILE…] | --no-build]
 *
 * First, one real embedding build (the catalogue imported from the given samples through the
 * ETL, in a throwaway database) under an event-loop monitor: the longest the caller's loop
 * waited during the build, what BullMQ's lock renewals and `npm start`'s page would wait.
 * Synthetic item matrices (unit vectors, d = 64). For each size, in one run: batch-1 exact top-10
 * latency through the ONNX index in-process (int8 candidates, exact re-ranking, proof; see
 * src/onnx) against a plain TypeScript dot-product scan (the baseline), whether the two answers
 * are equal, how often the index had to widen its search, model load time and memory; then the
 * service's HTTP latency under a loopback load (autocannon) with a synthetic version of the first
 * size stored in a throwaway database (`--http-seconds 0` skips it); the encoder (titles outside
 * the index, src/embedding/encoder.ts) at its vocabulary cap: session, memory, one title through
 * ONNX against the TypeScript reference. Last line: the ONNX/plain-scan speed ratio at the first
 * size.
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createLogger } from '@cine/common';
import { EmbeddingRepository } from '../src/embedding/embedding.repository';
import { ENCODER_MAX_FEATURES, type EncoderData, type EncoderRow, FeatureEncoder } from '../src/embedding/encoder';
import { DEFAULT_GROUP_WEIGHTS } from '../src/embedding/features';
import { gaussian, uniformRandom } from '../src/embedding/svd';
import type { ItemMeta } from '../src/embedding/version';
import { OnnxEncoder } from '../src/onnx/onnx-encoder';
import { OnnxIndex } from '../src/onnx/onnx-index';
import { CoLikeModel, DEFAULT_CO_LIKES } from '../src/recommend/co-likes';
import { blendedScores, topKOf } from '../src/recommend/exact-scan';
import { rank } from '../src/recommend/ranker';
import { DEFAULT_RANKING } from '../src/recommend/ranking';
import { LoadedVersion } from '../src/serving/loaded-version';
import { startRecommender } from '../src/server';
import { type BuildLag, importForBuild, measureBuildLag } from './build-lag';
import { samplePath } from '@cine/etl-worker/testing/sample-path';
import { openScratch } from './quality/catalogue';

const K = 10;
const say = (msg: string) => process.stderr.write(`${msg}\n`);

function unitVectors(n: number, dims: number, seed: number): Float32Array {
  const normal = gaussian(seed);
  const out = new Float32Array(n * dims);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let k = 0; k < dims; k++) {
      const v = normal();
      out[i * dims + k] = v;
      norm += v * v;
    }
    const inv = 1 / Math.sqrt(norm);
    for (let k = 0; k < dims; k++) out[i * dims + k]! *= inv;
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function stats(samples: number[]): { p50: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

const ms = (x: number) => (x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1));

interface SizeResult {
  n: number;
  onnx: { p50: number; p99: number };
  scan: { p50: number; p99: number };
  loadMs: number;
  modelMb: number;
  rssMb: number;
  /** Scan queries whose ONNX top-k differed from the plain scan's (should be 0). */
  mismatches: number;
  widened: number;
  scanned: number;
  rows: number;
}

async function inProcess(n: number, dims: number, threads: number): Promise<SizeResult> {
  const vectors = unitVectors(n, dims, n);
  const normal = gaussian(n + 1);
  const prior = Float32Array.from({ length: n }, () => Math.abs(normal()) / 4);
  const queries = Array.from({ length: 64 }, (_, q) => vectors.slice(((q * 7919) % n) * dims, (((q * 7919) % n) + 1) * dims));

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const index = await OnnxIndex.create(dims, vectors, prior, { threads });
  const loadMs = performance.now() - t0;
  const rssMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  try {
    const onnx: number[] = [];
    const rounds = n >= 1_000_000 ? 200 : 2000;
    for (let i = 0; i < 20; i++) await index.topK(queries[i % queries.length]!, K, DEFAULT_RANKING.alpha);
    for (let i = 0; i < rounds; i++) {
      const s = performance.now();
      await index.topK(queries[i % queries.length]!, K, DEFAULT_RANKING.alpha);
      onnx.push(performance.now() - s);
    }
    const scan: number[] = [];
    const scanRounds = n >= 1_000_000 ? 30 : 150;
    let mismatches = 0;
    for (let i = 0; i < 5; i++) topKOf(blendedScores(vectors, dims, prior, queries[i]!, DEFAULT_RANKING.alpha), K);
    for (let i = 0; i < scanRounds; i++) {
      const query = queries[i % queries.length]!;
      const s = performance.now();
      const exact = topKOf(blendedScores(vectors, dims, prior, query, DEFAULT_RANKING.alpha), K);
      scan.push(performance.now() - s);
      if (i < queries.length) {
        const [onnx] = await index.topK(query, K, DEFAULT_RANKING.alpha);
        if (JSON.stringify(onnx) !== JSON.stringify(exact)) mismatches++;
      }
    }
    const { rows, widened, scanned } = index.stats;
    return { n, onnx: stats(onnx), scan: stats(scan), loadMs, modelMb: index.modelBytes / 2 ** 20, rssMb, mismatches, rows, widened, scanned };
  } finally {
    await index.close();
  }
}

/**
 * The collaborative block's cost (issue 17): `rank()` on one loaded synthetic version, the same
 * requests without the block and with it over a synthetic taste store (`pairs` co-liked pairs
 * among the 5 000 most-voted films, as a busy cinema's store would be), back to back in one run.
 */
async function coLikeCost(n: number, dims: number, pairs: number): Promise<{ without: { p50: number; p99: number }; with: { p50: number; p99: number }; pairs: number; buildMs: number }> {
  const items = syntheticItems(n);
  const loaded = await LoadedVersion.load({ id: 1, dims, items, vectors: unitVectors(n, dims, 11), createdAt: new Date(), stats: {} }, DEFAULT_RANKING);
  try {
    const draw = uniformRandom(5);
    const popular = Math.min(n, 5000);
    const byVotes = Int32Array.from(items.keys()).sort((a, b) => items[b]!.votes - items[a]!.votes).slice(0, popular);
    const seen = new Map<string, { filmA: string; filmB: string; coLikes: number }>();
    while (seen.size < pairs) {
      const a = items[byVotes[Math.floor(draw() * popular)]!]!.tconst;
      const b = items[byVotes[Math.floor(draw() * popular)]!]!.tconst;
      if (a === b) continue;
      const [x, y] = a < b ? [a, b] : [b, a];
      seen.set(`${x} ${y}`, { filmA: x, filmB: y, coLikes: 1 + Math.floor(draw() * 20) });
    }
    const started = performance.now();
    const model = CoLikeModel.from({ films: [...byVotes].map((r) => ({ tconst: items[r]!.tconst, likes: 30, visits: 30 })), pairs: [...seen.values()] }, loaded.rowOf, n);
    const buildMs = performance.now() - started;
    const baskets = Array.from({ length: 64 }, (_, q) => Array.from({ length: 3 }, (_, j) => items[byVotes[(q * 37 + j * 101) % popular]!]!.tconst));
    const co = { ...DEFAULT_CO_LIKES, gamma: 0.4 };
    const time = async (withBlock: boolean) => {
      const samples: number[] = [];
      for (let i = 0; i < 1020; i++) {
        const s = performance.now();
        await rank(loaded, { liked: baskets[i % baskets.length]!, disliked: [], k: K, filters: {}, diversity: 0, ...(withBlock ? { coLikes: { model, params: co } } : {}) }, DEFAULT_RANKING);
        if (i >= 20) samples.push(performance.now() - s);
      }
      return stats(samples);
    };
    // Interleaved halves, so a load change during the run weighs on both alike.
    const a1 = await time(false);
    const b1 = await time(true);
    const a2 = await time(false);
    const b2 = await time(true);
    const mean = (x: { p50: number; p99: number }, y: { p50: number; p99: number }) => ({ p50: (x.p50 + y.p50) / 2, p99: (x.p99 + y.p99) / 2 });
    return { without: mean(a1, a2), with: mean(b1, b2), pairs: model.pairs, buildMs };
  } finally {
    await loaded.close();
  }
}

function syntheticItems(n: number): ItemMeta[] {
  return Array.from({ length: n }, (_, i) => ({
    tconst: `tt${String(i + 1).padStart(8, '0')}`,
    title: `Film ${i + 1}`,
    year: 1950 + (i % 70),
    runtime: 80 + (i % 60),
    genres: [['Drama'], ['Comedy'], ['Crime', 'Drama'], ['Action']][i % 4]!,
    french: i % 9 === 0,
    rating: 5 + (i % 50) / 10,
    votes: 1000 + ((i * 7919) % 100_000),
  }));
}

async function httpLoad(n: number, dims: number, seconds: number): Promise<{ p50: number; p99: number; rps: number; errors: number; loadMs: number }> {
  const db = await openScratch();
  const log = createLogger('bench', { level: 'warn', stderr: true });
  try {
    const items = syntheticItems(n);
    await new EmbeddingRepository(db.handle).insert({ dims, items, vectors: unitVectors(n, dims, 7), importRunId: null, stats: { synthetic: true } });
    const t0 = performance.now();
    const svc = await startRecommender({ handle: db.handle, log, pollIntervalMs: 0 });
    const loadMs = performance.now() - t0;
    try {
      const bodies = Array.from({ length: 50 }, (_, i) => JSON.stringify({ liked: [items[(i * 104729) % n]!.tconst, items[(i * 7919 + 3) % n]!.tconst], k: 10 }));
      const result = await autocannon({
        url: `${svc.url}/v1/recommendations`,
        connections: 8,
        duration: seconds,
        requests: bodies.map((body) => ({ method: 'POST' as const, path: '/v1/recommendations', headers: { 'content-type': 'application/json' }, body })),
      });
      // Let the requests autocannon abandoned at the deadline finish before the database goes.
      await new Promise((r) => setTimeout(r, 1000));
      return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, errors: result.errors + result.non2xx, loadMs };
    } finally {
      await svc.close();
    }
  } finally {
    await db.drop();
  }
}

interface EncoderCost {
  tokens: number;
  loadMs: number;
  rssMb: number;
  onnx: { p50: number; p99: number };
  ts: { p50: number; p99: number };
  maxDiff: number;
}

/**
 * The encoder at its vocabulary cap (a full IMDb catalogue fills it): a synthetic projection,
 * titles of 30 tokens (genres, people, words…), one per call as the service encodes them.
 */
async function encoderCost(rank: number): Promise<EncoderCost> {
  const tokens = ENCODER_MAX_FEATURES;
  const normal = gaussian(21);
  const data: EncoderData = {
    films: 700_000,
    weights: DEFAULT_GROUP_WEIGHTS,
    rank,
    tokens: Array.from({ length: tokens }, (_, j) => `cast:nm${String(j).padStart(7, '0')}`),
    df: new Int32Array(tokens).fill(2),
    projection: Float32Array.from({ length: tokens * rank }, () => normal() / 10),
  };
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const started = performance.now();
  const encoder = await OnnxEncoder.create(data);
  const loadMs = performance.now() - started;
  const rssMb = (process.memoryUsage().rss - rss0) / 1e6;
  const reference = new FeatureEncoder(data);
  const rows: EncoderRow[] = Array.from({ length: 2000 }, () => ({
    indices: Int32Array.from({ length: 30 }, () => Math.floor(Math.abs(normal() * 1e9)) % tokens),
    values: Float32Array.from({ length: 30 }, () => Math.abs(normal()) + 0.1),
  }));
  const onnxMs: number[] = [];
  const tsMs: number[] = [];
  let maxDiff = 0;
  try {
    for (const row of rows) {
      let t = performance.now();
      const [got] = await encoder.encode([row]);
      onnxMs.push(performance.now() - t);
      t = performance.now();
      const want = reference.embed(row)!;
      tsMs.push(performance.now() - t);
      for (let k = 0; k < rank; k++) maxDiff = Math.max(maxDiff, Math.abs(got![k]! - want[k]!));
    }
  } finally {
    await encoder.close();
  }
  return { tokens, loadMs, rssMb, onnx: stats(onnxMs), ts: stats(tsMs), maxDiff };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100000,1000000' },
      dims: { type: 'string', default: '64' },
      'http-seconds': { type: 'string', default: '30' },
      threads: { type: 'string', default: '1' },
      'build-imdb': { type: 'string', default: samplePath('imdb', 'head-50k') },
      'build-tmdb': { type: 'string', default: [samplePath('tmdb', 'movies_metadata_small.csv'), samplePath('tmdb', 'tmdb_full.csv')].join(',') },
      'no-build': { type: 'boolean', default: false },
      'co-like-pairs': { type: 'string', default: '200000' },
    },
  });
  const sizes = values.sizes.split(',').map(Number);
  const dims = Number(values.dims);
  if (sizes.some((s) => !Number.isInteger(s) || s < 10) || !Number.isInteger(dims) || dims < 2) throw new Error('--sizes must be integers ≥ 10 and --dims an integer ≥ 2');

  let lag: BuildLag | null = null;
  if (!values['no-build']) {
    const paths = (v: string) => v.split(',').map((p) => p.trim()).filter(Boolean);
    say(`embedding build on ${values['build-imdb']} under an event-loop monitor…`);
    const db = await openScratch();
    try {
      await importForBuild(db.handle, paths(values['build-imdb']), paths(values['build-tmdb']));
      lag = await measureBuildLag(db.handle);
    } finally {
      await db.drop();
    }
  }

  const results: SizeResult[] = [];
  for (const n of sizes) {
    say(`in-process, ${n.toLocaleString('en-US')} films × ${dims}…`);
    results.push(await inProcess(n, dims, Number(values.threads)));
  }
  const httpSeconds = Number(values['http-seconds']);
  if (httpSeconds > 0) say(`HTTP, ${sizes[0]!.toLocaleString('en-US')} films, ${httpSeconds} s of loopback load…`);
  const http = httpSeconds > 0 ? await httpLoad(sizes[0]!, dims, httpSeconds) : null;
  say(`encoder, ${ENCODER_MAX_FEATURES.toLocaleString('en-US')} tokens × ${dims}…`);
  const enc = await encoderCost(dims);
  const coPairs = Number(values['co-like-pairs']);
  say(`collaborative block, ${sizes[0]!.toLocaleString('en-US')} films, ${coPairs.toLocaleString('en-US')} co-liked pairs…`);
  const colike = coPairs > 0 ? await coLikeCost(sizes[0]!, dims, coPairs) : null;

  if (lag) {
    const st = lag.stats;
    console.log(`\nembedding build (${values['build-imdb']}): ${lag.films.toLocaleString('en-US')} films in ${(lag.buildMs / 1000).toFixed(1)} s (reads ${st.readMs} ms, features ${st.featuresMs} ms, features + SVD ${st.computeMs} ms in the worker thread, encode ${st.encodeMs} ms); caller's event loop: max delay ${lag.maxDelayMs.toFixed(0)} ms, p99 ${lag.p99DelayMs.toFixed(0)} ms, longest gap of a 10 ms timer ${lag.maxTickGapMs.toFixed(0)} ms`);
  }
  console.log(`\nbatch-1 top-${K}, d=${dims}, ${values.threads} intra-op thread(s) (ms)`);
  console.log('| films | ONNX p50 | ONNX p99 | plain TS scan p50 | plain TS scan p99 | speed-up (p50) | model load | model size | RSS growth | ONNX ≠ scan | widened / full scan |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.n.toLocaleString('en-US')} | ${ms(r.onnx.p50)} | ${ms(r.onnx.p99)} | ${ms(r.scan.p50)} | ${ms(r.scan.p99)} | ${(r.scan.p50 / r.onnx.p50).toFixed(1)}× | ${Math.round(r.loadMs)} ms | ${r.modelMb.toFixed(0)} MB | ${r.rssMb.toFixed(0)} MB | ${r.mismatches} | ${r.widened} / ${r.scanned} of ${r.rows} |`);
  }
  if (http) console.log(`\nHTTP POST /v1/recommendations, ${sizes[0]!.toLocaleString('en-US')} films, 8 connections, ${httpSeconds} s: p50 ${http.p50} ms, p99 ${http.p99} ms, ${Math.round(http.rps)} req/s, ${http.errors} errors; service start with version load ${Math.round(http.loadMs)} ms`);
  console.log(
    `\nencoder (titles outside the index), ${enc.tokens.toLocaleString('en-US')} tokens × ${dims} (the vocabulary cap): session ${Math.round(enc.loadMs)} ms, RSS +${enc.rssMb.toFixed(0)} MB; ` +
      `one 30-token title through ONNX p50 ${ms(enc.onnx.p50)} ms, p99 ${ms(enc.onnx.p99)} ms; TypeScript reference p50 ${ms(enc.ts.p50)} ms, p99 ${ms(enc.ts.p99)} ms; largest difference ${enc.maxDiff.toExponential(1)}`,
  );
  if (colike) {
    console.log(
      `\ncollaborative block (taste store), ${sizes[0]!.toLocaleString('en-US')} films, ${colike.pairs.toLocaleString('en-US')} pairs (model built in ${Math.round(colike.buildMs)} ms): rank() of 3 liked films, k=${K}, p50 ${ms(colike.without.p50)} ms → ${ms(colike.with.p50)} ms with the block, p99 ${ms(colike.without.p99)} → ${ms(colike.with.p99)} ms (same run, interleaved)`,
    );
  }
  const first = results[0]!;
  console.log(`recommender: ONNX/plain-scan speed ratio at ${first.n.toLocaleString('en-US')} films = ${(first.scan.p50 / first.onnx.p50).toFixed(1)}× (p50 ${ms(first.onnx.p50)} ms vs ${ms(first.scan.p50)} ms)`);
}

main().catch((err) => {
  process.stderr.write(`bench:recommender failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
