import type { DbHandle } from '@cine/db';
import { EmbeddingRepository, type ItemMeta } from '@cine/recommender';
import { HttpBatchScorer } from '../src/matching/http-batch-scorer';
import type { SubscriberTaste } from '../src/matching/matching.contract';

/**
 * bench:notify's matching half, also run at a tiny size by the test suite (so it cannot rot):
 * a synthetic catalogue of real size stored as an embedding version, subscribers' tastes drawn
 * over it, the programme's films; then the same scores twice in one run — through the
 * recommender's batch endpoint over HTTP, in the chunks the notifier sends, and by a plain
 * TypeScript loop (the same taste vectors and dot products, written plainly) — compared value by
 * value.
 */

/** The recommender's defaults (services/recommender/src/recommend/ranking.ts), written again for the plain loop; a drift shows as a score mismatch. */
const RANKING = { alpha: 0.6, quality: 0.5, adaptive: 3, recency: 0.7, adaptiveBounds: [0.25, 4] as const };
/** The recommender's FIT_RANK: a film fits a taste when it scores at least as well as the 100th of the index. */
const FIT_RANK = 100;

/** Small, fast, seeded: the same catalogue, tastes and programme for the same seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticCatalogue {
  dims: number;
  items: ItemMeta[];
  /** films × dims, unit rows. */
  vectors: Float32Array;
}

const GENRES = ['Drama', 'Comedy', 'Crime', 'Action', 'Romance', 'Thriller', 'Horror', 'Documentary', 'Adventure', 'Animation', 'Sci-Fi', 'Western'];

/**
 * Films in 60 neighbourhoods (a centre plus noise, normalised: like a learned space, taste
 * neighbours exist), votes heavy-tailed as IMDb's (a few films have most of them), ratings 3–9.
 */
export function syntheticCatalogue(films: number, dims: number, seed: number): SyntheticCatalogue {
  const random = seeded(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = Array.from({ length: 60 }, () => Float64Array.from({ length: dims }, normal));
  const vectors = new Float32Array(films * dims);
  const items: ItemMeta[] = [];
  for (let i = 0; i < films; i++) {
    const c = Math.floor(random() * centres.length);
    let norm = 0;
    const v = new Float64Array(dims);
    for (let k = 0; k < dims; k++) {
      v[k] = centres[c]![k]! + 0.9 * normal();
      norm += v[k]! * v[k]!;
    }
    for (let k = 0; k < dims; k++) vectors[i * dims + k] = v[k]! / Math.sqrt(norm);
    items.push({
      tconst: `tt${String(i + 1).padStart(8, '0')}`,
      title: `Film ${i + 1}`,
      year: 1930 + Math.floor(random() * 96),
      runtime: 80 + Math.floor(random() * 70),
      genres: [GENRES[c % GENRES.length]!],
      french: random() < 0.12,
      rating: Math.round((3 + 6 * random()) * 10) / 10,
      votes: Math.max(5, Math.round(2_000_000 / (1 + i * 0.37) ** 1.1 + random() * 50)),
    });
  }
  return { dims, items, vectors };
}

/** Stored as the recommender's build stores a version: the recommender loads it on start. */
export async function storeCatalogue(handle: DbHandle, catalogue: SyntheticCatalogue): Promise<number> {
  return new EmbeddingRepository(handle).insert({ dims: catalogue.dims, items: catalogue.items, vectors: catalogue.vectors, importRunId: null, stats: { synthetic: true, bench: 'notify' } });
}

/** Popularity-weighted draws (by votes) over the catalogue: customers name films many people saw. */
function popularityDraw(items: readonly ItemMeta[], random: () => number): () => number {
  const cumulative = new Float64Array(items.length);
  let total = 0;
  items.forEach((item, i) => {
    total += item.votes;
    cumulative[i] = total;
  });
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** 3–10 liked films each, drawn by popularity, no disliked; preferences as the notifier stores them. */
export function generateTastes(catalogue: SyntheticCatalogue, count: number, seed: number): SubscriberTaste[] {
  const random = seeded(seed);
  const draw = popularityDraw(catalogue.items, random);
  return Array.from({ length: count }, (_, s) => {
    const liked = new Set<string>();
    const size = 3 + Math.floor(random() * 8);
    while (liked.size < size) liked.add(catalogue.items[draw()]!.tconst);
    return { subscriberId: `bench-${s}`, liked: [...liked], disliked: [], preferences: { alerts: true, digest: true } };
  });
}

/** The period's programmed films: drawn by popularity too (a cinema shows films people talk about). */
export function pickProgramme(catalogue: SyntheticCatalogue, films: number, seed: number): string[] {
  const random = seeded(seed);
  const draw = popularityDraw(catalogue.items, random);
  const out = new Set<string>();
  while (out.size < Math.min(films, catalogue.items.length)) out.add(catalogue.items[draw()]!.tconst);
  return [...out];
}

/**
 * The same scores as the recommender, written plainly: the prior of each film, the taste's
 * profile (recency-weighted mean of the liked vectors, normalised), the taste's prior weight, and
 * for each programmed film a dot product plus the weighted prior, in the same float32 steps.
 */
export class PlainScorer {
  private readonly rowOf = new Map<string, number>();
  private readonly prior: Float32Array;
  private readonly meanPrior: number;

  constructor(private readonly catalogue: SyntheticCatalogue) {
    catalogue.items.forEach((item, i) => this.rowOf.set(item.tconst, i));
    this.prior = plainPriors(catalogue.items, RANKING.quality);
    this.meanPrior = this.prior.reduce((sum, p) => sum + p, 0) / Math.max(1, this.prior.length);
  }

  /** The taste's profile and prior weight; null when nothing liked is in the catalogue. */
  profile(taste: SubscriberTaste): { query: Float32Array; alpha: number; rows: number[] } | null {
    const dims = this.catalogue.dims;
    const rows = [...new Set(taste.liked)].map((t) => this.rowOf.get(t)).filter((r): r is number => r !== undefined);
    if (rows.length === 0) return null;
    const mean = new Float32Array(dims);
    rows.forEach((row, i) => {
      const weight = RANKING.recency ** (rows.length - 1 - i);
      for (let k = 0; k < dims; k++) mean[k]! += weight * this.catalogue.vectors[row * dims + k]!;
    });
    const query = new Float32Array(dims);
    normalise(mean);
    for (let k = 0; k < dims; k++) query[k]! += mean[k]!;
    normalise(query);
    let likedPrior = 0;
    for (const row of rows) likedPrior += this.prior[row]!;
    likedPrior /= rows.length;
    const factor = Math.min(RANKING.adaptiveBounds[1], Math.max(RANKING.adaptiveBounds[0], (likedPrior / this.meanPrior) ** RANKING.adaptive));
    return { query, alpha: RANKING.alpha * factor, rows };
  }

  /** tastes × films scores, row-major (NaN where a taste has nothing usable or liked the film). */
  scores(tastes: readonly SubscriberTaste[], films: readonly string[]): Float32Array {
    const dims = this.catalogue.dims;
    const vectors = this.catalogue.vectors;
    const filmRows = films.map((t) => this.rowOf.get(t)!);
    const out = new Float32Array(tastes.length * films.length).fill(Number.NaN);
    tastes.forEach((taste, i) => {
      const p = this.profile(taste);
      if (!p) return;
      const liked = new Set(p.rows);
      filmRows.forEach((row, j) => {
        if (liked.has(row)) return;
        let dot = 0;
        for (let k = 0; k < dims; k++) dot += vectors[row * dims + k]! * p.query[k]!;
        out[i * films.length + j] = Math.fround(dot + p.alpha * this.prior[row]!);
      });
    });
    return out;
  }

  /** The taste's fitScore by a full scan of the catalogue: the 100th best film, its liked ones left out. */
  fitScore(taste: SubscriberTaste): number | null {
    const p = this.profile(taste);
    if (!p) return null;
    const dims = this.catalogue.dims;
    const vectors = this.catalogue.vectors;
    const liked = new Set(p.rows);
    // The best FIT_RANK so far, ascending: the first is the one to beat.
    const best = new Float64Array(FIT_RANK).fill(-Infinity);
    for (let row = 0; row < this.prior.length; row++) {
      if (liked.has(row)) continue;
      let dot = 0;
      for (let k = 0; k < dims; k++) dot += vectors[row * dims + k]! * p.query[k]!;
      const score = Math.fround(dot + p.alpha * this.prior[row]!);
      if (score <= best[0]!) continue;
      let at = 0;
      while (at + 1 < FIT_RANK && best[at + 1]! < score) {
        best[at] = best[at + 1]!;
        at++;
      }
      best[at] = score;
    }
    return best[0] === -Infinity ? null : best[0]!;
  }
}

function normalise(v: Float32Array): void {
  let norm = 0;
  for (let k = 0; k < v.length; k++) norm += v[k]! * v[k]!;
  if (norm === 0) return;
  const s = 1 / Math.sqrt(norm);
  for (let k = 0; k < v.length; k++) v[k]! *= s;
}

/** Popularity (log votes) and quality (IMDb's weighted rating), each scaled to [0, 1], half and half. */
function plainPriors(items: readonly ItemMeta[], quality: number): Float32Array {
  const rated = items.filter((i) => i.rating !== null && i.votes > 0);
  const mean = rated.reduce((s, i) => s + i.rating!, 0) / Math.max(1, rated.length);
  const votes = rated.map((i) => i.votes).sort((a, b) => a - b);
  const m = Math.max(1, votes[Math.floor(votes.length * 0.9)] ?? 1);
  const weighted = Float32Array.from(items, (i) => (i.rating === null || i.votes <= 0 ? mean * 0.9 : (i.votes / (i.votes + m)) * i.rating + (m / (i.votes + m)) * mean));
  const scaled = (values: Float32Array) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const span = hi - lo || 1;
    return values.map((v) => (v - lo) / span);
  };
  const pop = scaled(Float32Array.from(items, (i) => Math.log1p(Math.max(0, i.votes))));
  const qual = scaled(weighted);
  return pop.map((p, i) => (1 - quality) * p + quality * qual[i]!);
}

export interface MatchingFigures {
  subscribers: number;
  films: number;
  catalogue: number;
  /**
   * The batch endpoint over HTTP, every subscriber × every film, scores only, to the same result
   * as the loop: a float32 array tastes × films (HttpBatchScorer.scoreMatrix) (ms).
   */
  batchMs: number;
  /** The same through HttpBatchScorer.score: each subscriber's films sorted, one FilmScore object per pair, as the jobs receive them (ms). */
  objectsMs: number;
  /**
   * The same scoreMatrix against a recommender that computes nothing (null-recommender.ts): the
   * tastes encoded and carried, zeros of the same size carried back and assembled (ms); null
   * without `floorUrl`.
   */
  floorMs: number | null;
  /** CPU time during the batch, each side (ms); the recommender's null when it cannot be read. */
  cpu: { notifierMs: number; recommenderMs: number | null; loopMs: number };

  /** The plain loop, the same scores (ms). */
  loopMs: number;
  /**
   * The loop's tastes alone (each profile and prior weight, no dot product) (ms): work every path
   * does before a single score, the recommender too (in its own process, by its own code).
   */
  profilesMs: number;
  /** Largest |batch − loop| over every score (the endpoint rounds to 6 decimals). */
  maxDiff: number;
  /** Scores compared (tastes × films minus liked films). */
  compared: number;
  fit: {
    /** Tastes whose fitScore the endpoint computed, and in how long (ms). */
    batchTastes: number;
    batchMs: number;
    /** Tastes the plain full scan computed, and in how long (ms). */
    loopTastes: number;
    loopMs: number;
    /** Largest |endpoint − scan| fitScore over the tastes both computed. */
    maxDiff: number;
  };
}

export interface MatchingRunOptions {
  /** Where the recommender serving the stored catalogue answers. */
  recommenderUrl: string;
  catalogue: SyntheticCatalogue;
  subscribers: number;
  films: number;
  seed: number;
  /** Tastes sent with `fit` (the alert path); the full-index cost per taste is measured on these. */
  fitSample: number;
  /** Tastes the plain loop scans the whole catalogue for. */
  fitLoopSample: number;
  /** Tastes per request (HttpBatchScorer's default when absent). */
  chunkSize?: number;
  /** A recommender that computes nothing (null-recommender.ts), for the floor; none by default. */
  floorUrl?: string;
  /** The recommender process's CPU time so far (ms), null when it cannot be read. */
  recommenderCpuMs?: () => number | null;
  /** Progress lines (stderr in the bench). */
  say?: (line: string) => void;
}

/** This process's CPU time so far (ms). */
function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The batch first, then the loop, in one run; then the fit thresholds on samples. */
export async function runMatching(opts: MatchingRunOptions): Promise<MatchingFigures> {
  const say = opts.say ?? (() => {});
  const tastes = generateTastes(opts.catalogue, opts.subscribers, opts.seed);
  const films = pickProgramme(opts.catalogue, opts.films, opts.seed + 1);
  // The notifier's scorer with its defaults: the chunks, and the requests in flight, it sends.
  const chunking = opts.chunkSize === undefined ? {} : { chunkSize: opts.chunkSize };
  const scorer = new HttpBatchScorer({ baseUrl: opts.recommenderUrl, ...chunking });
  const floor = opts.floorUrl === undefined ? null : new HttpBatchScorer({ baseUrl: opts.floorUrl, ...chunking });
  const recommenderCpu = opts.recommenderCpuMs ?? (() => null);
  const plain = new PlainScorer(opts.catalogue);
  // One small call each first: the recommender's lazy ONNX session, and the loop's JIT.
  await scorer.scoreMatrix(tastes.slice(0, 10), films, { fit: false });
  await scorer.score(tastes.slice(0, 10), films, { reasons: false, fit: false });
  await floor?.scoreMatrix(tastes.slice(0, 10), films, { fit: false });
  plain.scores(tastes.slice(0, 10), films);

  say(`batch endpoint: ${tastes.length.toLocaleString('en-US')} subscribers × ${films.length} films…`);
  const notifierCpu = ownCpuMs();
  const recommenderCpuBefore = recommenderCpu();
  let started = performance.now();
  const matrix = await scorer.scoreMatrix(tastes, films, { fit: false });
  const batchMs = performance.now() - started;
  const recommenderCpuAfter = recommenderCpu();
  const cpu = {
    notifierMs: ownCpuMs() - notifierCpu,
    recommenderMs: recommenderCpuBefore === null || recommenderCpuAfter === null ? null : recommenderCpuAfter - recommenderCpuBefore,
    loopMs: 0,
  };
  let floorMs: number | null = null;
  if (floor) {
    say('the same against a recommender that computes nothing…');
    started = performance.now();
    await floor.scoreMatrix(tastes, films, { fit: false });
    floorMs = performance.now() - started;
  }
  say('plain loop…');
  const loopCpu = ownCpuMs();
  started = performance.now();
  const loop = plain.scores(tastes, films);
  const loopMs = performance.now() - started;
  cpu.loopMs = ownCpuMs() - loopCpu;
  started = performance.now();
  let profiled = 0;
  for (const taste of tastes) if (plain.profile(taste)) profiled++;
  const profilesMs = performance.now() - started;
  if (profiled === 0 && tastes.length > 0) throw new Error('no taste had a profile');
  say('the same through HttpBatchScorer.score: sorted, one FilmScore object per pair…');
  started = performance.now();
  const answers = await scorer.score(tastes, films, { reasons: false, fit: false });
  const objectsMs = performance.now() - started;

  let maxDiff = 0;
  let compared = 0;
  const column = new Map(films.map((t, j) => [t, j]));
  if (matrix.films.join() !== films.join()) throw new Error('the endpoint answered other columns than the programme');
  for (let x = 0; x < loop.length; x++) {
    if (Number.isNaN(loop[x]!) !== Number.isNaN(matrix.scores[x]!)) throw new Error(`pair ${x}: the endpoint gave ${matrix.scores[x]}, the loop ${loop[x]}`);
    if (!Number.isNaN(loop[x]!)) maxDiff = Math.max(maxDiff, Math.abs(matrix.scores[x]! - loop[x]!));
  }
  answers.forEach((answer, i) => {
    const expected = films.filter((_, j) => !Number.isNaN(loop[i * films.length + j]!)).length;
    if (answer.films.length !== expected) throw new Error(`subscriber ${i}: the endpoint scored ${answer.films.length} films, the loop ${expected}`);
    for (const f of answer.films) {
      maxDiff = Math.max(maxDiff, Math.abs(f.score - loop[i * films.length + column.get(f.tconst)!]!));
      compared++;
    }
  });

  say(`fit thresholds: ${opts.fitSample} tastes through the endpoint, ${opts.fitLoopSample} by a full scan…`);
  const fitTastes = tastes.slice(0, opts.fitSample);
  started = performance.now();
  const fitAnswers = await scorer.score(fitTastes, films, { reasons: false, fit: true, top: 1 });
  const fitBatchMs = performance.now() - started;
  const loopTastes = tastes.slice(0, Math.min(opts.fitLoopSample, opts.fitSample));
  started = performance.now();
  const loopFits = loopTastes.map((taste) => plain.fitScore(taste));
  const fitLoopMs = performance.now() - started;
  let fitDiff = 0;
  loopFits.forEach((fit, i) => {
    const got = fitAnswers[i]!.fitScore;
    if ((fit === null) !== (got === null)) throw new Error(`subscriber ${i}: fitScore ${got} from the endpoint, ${fit} from the scan`);
    if (fit !== null && got !== null) fitDiff = Math.max(fitDiff, Math.abs(fit - got));
  });

  return {
    subscribers: tastes.length,
    films: films.length,
    catalogue: opts.catalogue.items.length,
    batchMs,
    objectsMs,
    floorMs,
    cpu,
    loopMs,
    profilesMs,
    maxDiff,
    compared,
    fit: { batchTastes: fitTastes.length, batchMs: fitBatchMs, loopTastes: loopTastes.length, loopMs: fitLoopMs, maxDiff: fitDiff },
  };
}
