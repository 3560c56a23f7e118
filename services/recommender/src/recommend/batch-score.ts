import { BatchBodyError, type BatchScoredFilm, type BatchScoreResponse, type BatchScoresBinary, type BatchTaste, type BatchTasteScores, decodeBatchTastes, type ReasonPart, tconstCode, tconstOfCode } from '@cine/common';
import type { FeatureRepository } from '../embedding/features.repository';
import { BatchScoreModel } from '../onnx/batch-score-model';
import type { LoadedVersion } from '../serving/loaded-version';
import type { VersionHolder } from '../serving/version-holder';
import { FIT_RANK } from './candidate-ranker';
import { blendedScore } from './exact-scan';
import { FactsCache } from './facts-cache';
import { adaptiveAlpha } from './ranker';
import type { RankingParams } from './ranking';
import { popularPart, reasonLine, reasonParts, similarPart } from './reasons';
import type { FilmFacts, ReasonsRepository } from './reasons.repository';
import { NoVersionError } from './recommend.service';
import { closestOf, normaliseBlocks } from './vector-math';

export interface BatchScoreInput {
  tastes: BatchTaste[];
  candidates: string[];
  top?: number;
  reasons?: boolean;
  fit?: boolean;
}

/** A liked, disliked or candidate title as the version places it: a row of the index, or the encoder's vector. */
interface Placed {
  tconst: string;
  row: number | null;
  vector: Float32Array;
}

interface ResolvedTaste {
  id: string;
  readonly unknown: readonly string[];
  readonly encoded: readonly string[];
  /** The liked titles as placed, for the reasons; [] when no reason is asked. */
  readonly liked: readonly Placed[];
  /**
   * The resolved liked and disliked titles of the index, as rows, once each: left out of this
   * taste's answer and of its fit ranking (those outside the index, `encoded`, out of its answer).
   */
  inputRows: number[];
  /** The profile rankCandidates builds; null on a cold start (nothing liked usable). */
  query: Float32Array | null;
  alpha: number;
}

/**
 * The scores of the index's whole ranking held at once while the fit pass runs (the int8
 * product's int32 output, rows × films): about 32 MB, so 80 tastes per ONNX run at 100 000 films,
 * 8 at a million.
 */
const FIT_RUN_SCORES = 8 * 2 ** 20;
const FIT_RUN_ROWS_MAX = 256;

/**
 * `POST /v1/recommendations/batch`: many tastes against the same candidates, each answered as
 * `RecommendService` answers one taste with `candidates` (candidate-ranker.ts): the same profile
 * (recency-weighted liked films, disliked pushed away, the encoder for titles outside the index),
 * the same adaptive prior weight, the same cold start, the same fitScore, the same reasons.
 *
 * What is batched: the titles outside the index are encoded once for all tastes; the product of
 * every taste with every candidate is ONE ONNX run (onnx/batch-score-model.ts); the fit thresholds
 * go through the version's ONNX index many tastes per run; the reasons' facts are read once.
 *
 * `POST /v1/recommendations/batch/scores` (scoreTastesBinary) computes the same with numbers both
 * ways: 100 000 tastes × 40 films as JSON objects were ~95 % of the call (building, serialising,
 * parsing, collecting them), the product ~5 %; as numbers the call is the tastes' profiles, built
 * in JavaScript as the single route builds them (~3 µs a taste), and the product (~0.2 µs).
 *
 * Not applied, as in the single route's candidate path: the collaborative block (a re-rank of the
 * index's own top films, not a score of given ones) and the filters (the programme is the filter).
 */
export class BatchScoreService {
  private readonly facts: FactsCache;
  private model: Promise<BatchScoreModel> | null = null;
  private readonly codes = new WeakMap<LoadedVersion, Map<number, number>>();

  constructor(
    private readonly holder: VersionHolder,
    reasons: ReasonsRepository,
    private readonly ranking: RankingParams,
    private readonly features: FeatureRepository,
  ) {
    this.facts = new FactsCache(reasons);
  }

  /** The JSON answer: each taste's films sorted, as objects, with reasons when asked. */
  async score(input: BatchScoreInput): Promise<BatchScoreResponse> {
    const withReasons = input.reasons ?? false;
    const { version, films, unknownCandidates, tastes, scores, rowOf, fits } = await this.compute(input, withReasons);

    // Ties are broken by tconst, as the single route does: each film's place in tconst order, once.
    const byTconst = new Int32Array(films.length);
    films
      .map((f, j) => ({ t: f.tconst, j }))
      .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0))
      .forEach(({ j }, place) => {
        byTconst[j] = place;
      });
    const cold = coldScores(version, films);
    // Indexes and numbers until the answer: 100 000 tastes × 40 films are 4 M objects otherwise.
    const picked = tastes.map((taste) => {
      const i = rowOf.get(taste);
      const score = (j: number) => (i === undefined ? cold[j]! : scores[i * films.length + j]!);
      const order: number[] = [];
      const own = taste.inputRows.length + taste.encoded.length === 0 ? null : new Set([...taste.inputRows.map((r) => version.items[r]!.tconst), ...taste.encoded]);
      for (let j = 0; j < films.length; j++) if (own === null || !own.has(films[j]!.tconst)) order.push(j);
      order.sort((a, b) => score(b) - score(a) || byTconst[a]! - byTconst[b]!);
      const kept = input.top === undefined ? order : order.slice(0, input.top);
      return kept.map((j) => ({ film: films[j]!, score: score(j) }));
    });

    let facts = new Map<string, FilmFacts>();
    if (withReasons) {
      const wanted = new Set<string>();
      tastes.forEach((taste, t) => {
        for (const l of taste.liked) wanted.add(l.tconst);
        for (const p of picked[t]!) wanted.add(p.film.tconst);
      });
      facts = await this.facts.facts(version.id, [...wanted]);
    }

    const answers: BatchTasteScores[] = tastes.map((taste, t) => {
      const i = rowOf.get(taste);
      const coldStart = taste.query === null;
      const likedFacts = withReasons ? taste.liked.map((l) => facts.get(l.tconst)).filter((f): f is FilmFacts => f !== undefined) : [];
      const items = picked[t]!.map(({ film, score }): BatchScoredFilm => {
        const item: BatchScoredFilm = { tconst: film.tconst, score: Number(score.toFixed(6)) };
        if (!withReasons) return item;
        const parts = reasonsFor(version, film, coldStart, facts, likedFacts, taste.liked);
        return { ...item, reason: reasonLine(parts), reasons: parts };
      });
      const fit = i === undefined || fits === null ? null : fits[i]!;
      return { id: taste.id, coldStart, unknown: [...taste.unknown], encoded: [...taste.encoded], ...(fit === null ? {} : { fitScore: Number(fit.toFixed(6)) }), items };
    });
    return { version: version.id, unknown: unknownCandidates, tastes: answers };
  }

  /**
   * The scores as numbers (common's BATCH_SCORES_BINARY layout): one float32 row per taste in the
   * candidates' order, NaN for its own inputs, no sorting, no object per film, no reasons (the
   * caller sorts anyway). The notifier's scores-only calls (scoreTastesBinary).
   */
  private binaryAnswer({ version, films, unknownCandidates, tastes, scores, rowOf, fits }: Computed): BatchScoresBinary {
    const count = films.length;
    const column = new Map(films.map((f, j) => [f.tconst, j]));
    const columnOfRow = new Map<number, number>();
    films.forEach((f, j) => {
      if (f.row !== null) columnOfRow.set(f.row, j);
    });
    const cold = coldScores(version, films);
    const coldStart: number[] = [];
    const unknownOf: Record<string, string[]> = {};
    const encodedOf: Record<string, string[]> = {};
    // The product's rows are the tastes with a profile, in order: with no cold taste they are the answer as they are.
    const out = rowOf.size === tastes.length ? scores : new Float32Array(tastes.length * count);
    const fitScores = fits === null ? null : new Float64Array(tastes.length).fill(Number.NaN);
    tastes.forEach((taste, t) => {
      const i = rowOf.get(taste);
      if (i === undefined) {
        coldStart.push(t);
        for (let j = 0; j < count; j++) out[t * count + j] = cold[j]!;
      } else {
        if (out !== scores) out.set(scores.subarray(i * count, (i + 1) * count), t * count);
        if (fitScores && fits![i] !== null) fitScores[t] = Number(fits![i]!.toFixed(6));
      }
      for (const row of taste.inputRows) {
        const j = columnOfRow.get(row);
        if (j !== undefined) out[t * count + j] = Number.NaN;
      }
      for (const input of taste.encoded) {
        const j = column.get(input);
        if (j !== undefined) out[t * count + j] = Number.NaN;
      }
      if (taste.unknown.length > 0) unknownOf[t] = [...taste.unknown];
      if (taste.encoded.length > 0) encodedOf[t] = [...taste.encoded];
    });
    return {
      header: {
        version: version.id,
        films: films.map((f) => f.tconst),
        unknown: unknownCandidates,
        tastes: tastes.length,
        coldStart,
        cold: coldStart.length === 0 ? [] : [...cold],
        unknownOf,
        encodedOf,
        fit: fitScores !== null,
      },
      scores: out,
      fitScores,
    };
  }

  /**
   * `POST /v1/recommendations/batch/scores`: the tastes as numbers (common's encodeBatchTastes),
   * the scores as numbers. Each title code is looked up in the version's code → row table; the
   * tconst used from there on is the version's own string (nothing parsed, nothing hashed again).
   * A malformed body throws BatchBodyError naming the field.
   */
  async scoreTastesBinary(body: Uint8Array): Promise<BatchScoresBinary> {
    const version = this.holder.version;
    if (!version) throw new NoVersionError();
    const { header, counts, titles } = decodeBatchTastes(body);
    const rows = this.codeRows(version);
    // Every title's row, -1 outside the index (then its tconst is read from its code).
    const titleRows = new Int32Array(titles.length);
    const outsideIds = new Set<string>();
    for (let at = 0, t = 0; t < header.tastes; t++) {
      const nLiked = counts[2 * t]!;
      const end = at + nLiked + counts[2 * t + 1]!;
      for (let i = at; i < end; i++) {
        const row = rows.get(titles[i]!);
        titleRows[i] = row ?? -1;
        if (row !== undefined) continue;
        const tconst = tconstOfCode(titles[i]!);
        if (tconst === null) throw new BatchBodyError(i - at < nLiked ? `tastes/${t}/liked/${i - at}: not a title code` : `tastes/${t}/disliked/${i - at - nLiked}: not a title code`);
        outsideIds.add(tconst);
      }
      at = end;
    }
    for (const t of header.candidates) if (!version.rowOf.has(t)) outsideIds.add(t);
    const outside = await this.outside(version, outsideIds);
    const mean = new Float32Array(version.dims);
    const tastes: ResolvedTaste[] = new Array(header.tastes);
    // Every profile a view on one block: a typed array of its own per taste is a buffer allocated
    // outside the heap and finalised by the collector, 100 000 times a run.
    const queries = new Float32Array(header.tastes * version.dims);
    for (let at = 0, t = 0; t < header.tastes; t++) {
      const nLiked = counts[2 * t]!;
      const n = nLiked + counts[2 * t + 1]!;
      let inIndex = true;
      for (let i = at; i < at + n; i++) if (titleRows[i]! < 0) inIndex = false;
      if (inIndex) tastes[t] = this.resolveRows(version, onceEach(titleRows, at, at + nLiked), onceEach(titleRows, at + nLiked, at + n), mean, queries.subarray(t * version.dims, (t + 1) * version.dims));
      else {
        // A title outside the index: the general path, with tconsts.
        const tconsts = Array.from(titles.subarray(at, at + n), (code, i) => (titleRows[at + i]! >= 0 ? version.items[titleRows[at + i]!]!.tconst : tconstOfCode(code)!));
        tastes[t] = this.resolve(version, { id: '', liked: tconsts.slice(0, nLiked), disliked: tconsts.slice(nLiked) }, outside, false, mean);
      }
      at += n;
    }
    return this.binaryAnswer(await this.finish(version, header.candidates, header.fit, tastes, outside));
  }

  /**
   * resolve() for a taste whose titles are all rows of the index (the common case of the binary
   * request): numbers only, no tconst looked up, nothing outside to encode.
   */
  private resolveRows(version: LoadedVersion, liked: number[], disliked: number[], mean: Float32Array, query: Float32Array): ResolvedTaste {
    const inputRows = liked.slice();
    for (const row of disliked) if (!inputRows.includes(row)) inputRows.push(row);
    if (liked.length === 0) return { id: '', unknown: NONE, encoded: NONE, liked: NO_PLACED, inputRows, query: null, alpha: 0 };
    batchProfile(version, liked, disliked, this.ranking.dislike, this.ranking.recency, mean, query);
    return { id: '', unknown: NONE, encoded: NONE, liked: NO_PLACED, inputRows, query, alpha: adaptiveAlpha(version, liked, this.ranking) };
  }

  /** The version's tconstCode → row table, built on its first binary request (~20 ms per 100 000 films). */
  private codeRows(version: LoadedVersion): Map<number, number> {
    let rows = this.codes.get(version);
    if (!rows) {
      rows = new Map();
      for (let row = 0; row < version.items.length; row++) {
        const code = tconstCode(version.items[row]!.tconst);
        if (code !== null) rows.set(code, row);
      }
      this.codes.set(version, rows);
    }
    return rows;
  }

  /** What both answers share: the films placed, the tastes resolved, their product, their fitScore. */
  private async compute(input: Pick<BatchScoreInput, 'tastes' | 'candidates' | 'fit'>, keepLiked: boolean) {
    const version = this.holder.version;
    if (!version) throw new NoVersionError();
    // Titles outside the index, of every taste and the candidates: one read, one encoder run.
    const outsideIds = new Set<string>();
    for (const taste of input.tastes) {
      for (const t of taste.liked) if (!version.rowOf.has(t)) outsideIds.add(t);
      for (const t of taste.disliked ?? []) if (!version.rowOf.has(t)) outsideIds.add(t);
    }
    for (const t of input.candidates) if (!version.rowOf.has(t)) outsideIds.add(t);
    const outside = await this.outside(version, outsideIds);
    const mean = new Float32Array(version.dims);
    const tastes = input.tastes.map((taste) => this.resolve(version, taste, outside, keepLiked, mean));
    return this.finish(version, input.candidates, input.fit, tastes, outside);
  }

  private async outside(version: LoadedVersion, ids: ReadonlySet<string>): Promise<ReadonlyMap<string, Float32Array>> {
    return ids.size > 0 && version.canEncode ? version.embedOutside(await this.features.titlesWithPeople([...ids])) : new Map<string, Float32Array>();
  }

  private async finish(version: LoadedVersion, candidates: readonly string[], fit: boolean | undefined, tastes: ResolvedTaste[], outside: ReadonlyMap<string, Float32Array>) {
    const films: Placed[] = [];
    const unknownCandidates: string[] = [];
    for (const t of new Set(candidates)) {
      const placed = place(version, t, outside);
      if (placed) films.push(placed);
      else unknownCandidates.push(t);
    }
    const scored = tastes.filter((t) => t.query !== null);
    const scores = await this.product(version, scored, films);
    const fits = fit === false ? null : await fitScores(version, scored);
    const rowOf = new Map(scored.map((t, i) => [t, i]));
    return { version, films, unknownCandidates, tastes, scores, rowOf, fits };
  }

  async close(): Promise<void> {
    const model = this.model;
    this.model = null;
    if (model) await (await model.catch(() => null))?.close();
  }

  /**
   * One taste as rankCandidates resolves it: inputs in request order (each list once each, first
   * place kept), the profile, the prior's weight. Written for 100 000 calls a batch: index rows as
   * numbers, a placed object per liked title only when the reasons need it.
   */
  private resolve(version: LoadedVersion, taste: BatchTaste, outside: ReadonlyMap<string, Float32Array>, keepLiked: boolean, mean: Float32Array): ResolvedTaste {
    const unknown: string[] = [];
    const encoded: string[] = [];
    const inputRows: number[] = [];
    const liked: Placed[] = [];
    const likedRefs: (number | Float32Array)[] = [];
    const likedRows: number[] = [];
    const dislikedRefs: (number | Float32Array)[] = [];
    const take = (list: readonly string[], refs: (number | Float32Array)[], isLiked: boolean) => {
      for (let i = 0; i < list.length; i++) {
        const t = list[i]!;
        if (list.indexOf(t) !== i) continue;
        const row = version.rowOf.get(t);
        const vector = row === undefined ? outside.get(t) : undefined;
        if (row === undefined && vector === undefined) {
          unknown.push(t);
          continue;
        }
        refs.push(row ?? vector!);
        if (row !== undefined && !inputRows.includes(row)) inputRows.push(row);
        if (row === undefined) encoded.push(t);
        if (isLiked) {
          if (row !== undefined) likedRows.push(row);
          if (keepLiked) liked.push(row === undefined ? { tconst: t, row: null, vector: vector! } : { tconst: t, row, vector: version.vector(row) });
        }
      }
    };
    take(taste.liked, likedRefs, true);
    take(taste.disliked ?? [], dislikedRefs, false);
    if (likedRefs.length === 0) return { id: taste.id, unknown, encoded, liked, inputRows, query: null, alpha: 0 };
    const query = batchProfile(version, likedRefs, dislikedRefs, this.ranking.dislike, this.ranking.recency, mean, new Float32Array(version.dims));
    return { id: taste.id, unknown, encoded, liked, inputRows, query, alpha: adaptiveAlpha(version, likedRows, this.ranking) };
  }

  /** Every taste × every film, one ONNX run: tastes × films float32 scores, row-major. */
  private async product(version: LoadedVersion, tastes: readonly ResolvedTaste[], films: readonly Placed[]): Promise<Float32Array> {
    if (tastes.length === 0 || films.length === 0) return new Float32Array(0);
    const dims = version.dims;
    const query = new Float64Array(tastes.length * dims);
    const alpha = new Float64Array(tastes.length);
    tastes.forEach((taste, i) => {
      query.set(taste.query!, i * dims);
      alpha[i] = taste.alpha;
    });
    // dims × films: column j is film j's vector. A film outside the index gets the catalogue's
    // mean prior, as in the single route (nothing says it is more or less liked than average).
    const matrix = new Float64Array(dims * films.length);
    const prior = new Float64Array(films.length);
    films.forEach((film, j) => {
      for (let k = 0; k < dims; k++) matrix[k * films.length + j] = film.vector[k]!;
      prior[j] = film.row === null ? version.meanPrior : version.prior[film.row]!;
    });
    const model = await this.session();
    return model.scores(query, alpha, matrix, prior);
  }

  private session(): Promise<BatchScoreModel> {
    if (!this.model) {
      this.model = BatchScoreModel.create();
      // A failed creation is retried by the next request rather than remembered.
      this.model.catch(() => {
        this.model = null;
      });
    }
    return this.model;
  }
}

/** A taste resolved from rows has nothing unknown, encoded or kept for reasons: one frozen empty list for all. */
const NONE: readonly string[] = Object.freeze([]);
const NO_PLACED: readonly Placed[] = Object.freeze([]);

type Computed = Awaited<ReturnType<BatchScoreService['finish']>>;

/** The rows once each, first place kept (as a Set of tconsts iterates them). */
function onceEach(rows: Int32Array, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) if (!out.includes(rows[i]!)) out.push(rows[i]!);
  return out;
}

/**
 * ranker.ts's profileOf, operation for operation (so the float32 profile is the same bit for bit
 * and the scores equal the single route's), without its per-call closures and copies: the index's
 * rows read in place, one scratch mean for every taste of the batch.
 */
function batchProfile(version: LoadedVersion, liked: readonly (number | Float32Array)[], disliked: readonly (number | Float32Array)[], dislikeWeight: number, recency: number, mean: Float32Array, q: Float32Array): Float32Array {
  addMean(version, liked, 1, recency, mean, q);
  addMean(version, disliked, -dislikeWeight, 1, mean, q);
  normaliseBlocks(version.blocks, q, 1);
  return q;
}

function addMean(version: LoadedVersion, rows: readonly (number | Float32Array)[], weight: number, decay: number, mean: Float32Array, q: Float32Array): void {
  if (rows.length === 0) return;
  const dims = version.dims;
  mean.fill(0);
  for (let i = 0; i < rows.length; i++) {
    const w = decay ** (rows.length - 1 - i);
    const r = rows[i]!;
    // A row of the index, or the vector of a title outside it.
    const v = typeof r === 'number' ? version.vectors : r;
    const o = typeof r === 'number' ? r * dims : 0;
    for (let k = 0; k < dims; k++) mean[k]! += w * v[o + k]!;
  }
  if (!normaliseBlocks(version.blocks, mean, weight)) return;
  for (let k = 0; k < dims; k++) q[k]! += mean[k]!;
}


/** Each film's cold-start score (the films by weighted rating), as the single route's cold start gives it. */
function coldScores(version: LoadedVersion, films: readonly Placed[]): Float64Array {
  return Float64Array.from(films, (film) => (film.row === null ? 0 : version.weighted[film.row]! / 10));
}

function place(version: LoadedVersion, tconst: string, outside: ReadonlyMap<string, Float32Array>): Placed | null {
  const row = version.rowOf.get(tconst);
  if (row !== undefined) return { tconst, row, vector: version.vector(row) };
  const vector = outside.get(tconst);
  return vector ? { tconst, row: null, vector } : null;
}

/**
 * Each taste's fitScore, as rankCandidates computes it: the score of the FIT_RANK-th film of the
 * whole index once the taste's inputs are left out, through the version's ONNX index (int8
 * candidates, exact re-ranking and its proof), many tastes per run.
 *
 * The index takes one prior weight per run, and alpha is each taste's own (adaptive). A row
 * divided by its alpha ranks the films exactly as the row itself does (score / alpha, alpha > 0),
 * so the rows are sent scaled with alpha 1, and the FIT_RANK-th film found is scored again with
 * the taste's real profile and alpha by the single route's function: the same value, up to the
 * order of films whose scores tie within float rounding.
 */
async function fitScores(version: LoadedVersion, tastes: readonly ResolvedTaste[]): Promise<(number | null)[]> {
  const out: (number | null)[] = new Array(tastes.length).fill(null);
  const dims = version.dims;
  const films = version.items.length;
  const perRun = Math.max(1, Math.min(FIT_RUN_ROWS_MAX, Math.floor(FIT_RUN_SCORES / Math.max(1, films))));
  const scaled = tastes.map((_, i) => i).filter((i) => tastes[i]!.alpha > 0);
  const plain = tastes.map((_, i) => i).filter((i) => !(tastes[i]!.alpha > 0));
  for (const [group, runAlpha] of [
    [scaled, 1],
    [plain, 0],
  ] as const) {
    for (let start = 0; start < group.length; start += perRun) {
      const part = group.slice(start, start + perRun);
      const query = new Float32Array(part.length * dims);
      let inputs = 0;
      part.forEach((t, r) => {
        const taste = tastes[t]!;
        const scale = runAlpha === 1 ? 1 / taste.alpha : 1;
        for (let k = 0; k < dims; k++) query[r * dims + k] = taste.query![k]! * scale;
        inputs = Math.max(inputs, taste.inputRows.length);
      });
      // The inputs would take places in the top of the index: ask for that many more.
      const asked = Math.min(films, FIT_RANK + inputs);
      const tops = await version.index.topK(query, asked, runAlpha);
      part.forEach((t, r) => {
        const taste = tastes[t]!;
        const others = tops[r]!.filter((n) => !taste.inputRows.includes(n.index));
        if (others.length === 0) return;
        const at = others[Math.min(FIT_RANK, others.length) - 1]!;
        out[t] = blendedScore(version.vectors, dims, version.prior, taste.query!, taste.alpha, at.index);
      });
    }
  }
  return out;
}

/** The single route's reason for one candidate (recommend.service.ts, scoreCandidates). */
function reasonsFor(version: LoadedVersion, film: Placed, coldStart: boolean, facts: ReadonlyMap<string, FilmFacts>, likedFacts: FilmFacts[], liked: readonly Placed[]): ReasonPart[] {
  if (coldStart) return film.row === null ? [] : [popularPart(version.items[film.row]!.rating, version.items[film.row]!.votes)];
  const rec = facts.get(film.tconst);
  const parts = rec && likedFacts.length > 0 ? reasonParts(rec, likedFacts) : [];
  if (parts.length > 0) return parts;
  const closest = closestOf(film.vector, liked);
  const closestFacts = closest === null ? undefined : facts.get(closest);
  return closestFacts ? [similarPart(closestFacts)] : [];
}

