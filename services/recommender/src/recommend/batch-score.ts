import { BatchBodyError, type BatchScoredFilm, type BatchScoreResponse, type BatchScoresBinary, type BatchTaste, type BatchTasteScores, decodeBatchTastes, type ReasonPart, tconstCode, tconstOfCode } from '@cine/common';
import type { FeatureRepository } from '../embedding/features.repository';
import { BatchScoreModel } from '../onnx/batch-score-model';
import type { LoadedVersion } from '../serving/loaded-version';
import type { VersionHolder } from '../serving/version-holder';
import { FIT_RANK } from './candidate-ranker';
import { blendedScore } from './exact-scan';
import { FactsCache } from './facts-cache';
import { CodeRows, OutsideVectors, type Placed, ResolvedTastes } from './batch-tastes';
import type { RankingParams } from './ranking';
import { popularPart, reasonLine, reasonParts, similarPart } from './reasons';
import type { FilmFacts, ReasonsRepository } from './reasons.repository';
import { NoVersionError } from './recommend.service';
import { closestOf } from './vector-math';

export interface BatchScoreInput {
  tastes: BatchTaste[];
  candidates: string[];
  top?: number;
  reasons?: boolean;
  fit?: boolean;
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
 * parsing, collecting them), the product ~5 %. As numbers, the tastes are resolved as numbers too
 * (batch-tastes.ts: no object per taste), and the call is about 70 % the profiles (a weighted sum
 * of ~6 rows of 64 floats a taste, in float32 steps as the single route's), 10 % the title
 * look-ups, 15 % the product, 5 % the answer. The profiles stay in JavaScript: built inside the
 * ONNX graph (Gather of the padded liked rows, a batched MatMul with their weights) they took as
 * long — the Gather alone ~250 ns a row — and would no longer be the single route's to the bit.
 *
 * Not applied, as in the single route's candidate path: the collaborative block (a re-rank of the
 * index's own top films, not a score of given ones) and the filters (the programme is the filter).
 */
export class BatchScoreService {
  private readonly facts: FactsCache;
  private model: Promise<BatchScoreModel> | null = null;
  private readonly codes = new WeakMap<LoadedVersion, CodeRows>();

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
    const version = this.holder.version;
    if (!version) throw new NoVersionError();
    // Titles outside the index, of every taste and the candidates: one read, one encoder run.
    const outsideIds = new Set<string>();
    let titles = 0;
    for (const taste of input.tastes) {
      for (const t of taste.liked) if (!version.rowOf.has(t)) outsideIds.add(t);
      for (const t of taste.disliked ?? []) if (!version.rowOf.has(t)) outsideIds.add(t);
      titles += taste.liked.length + (taste.disliked?.length ?? 0);
    }
    for (const t of input.candidates) if (!version.rowOf.has(t)) outsideIds.add(t);
    const outside = await this.outside(version, outsideIds);
    const tastes = new ResolvedTastes(version, input.tastes.length, titles, this.ranking, outside);
    for (const taste of input.tastes) tastes.addTitles(taste.liked, taste.disliked ?? [], withReasons);
    const { films, unknownCandidates, scores, productRow, fits } = await this.finish(version, input.candidates, input.fit, tastes, outside);

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
    const picked = input.tastes.map((_, t) => {
      const i = productRow[t]!;
      const score = (j: number) => (i < 0 ? cold[j]! : scores[i * films.length + j]!);
      const order: number[] = [];
      const inputs = tastes.inputsOf(t);
      const encoded = tastes.encodedOf(t);
      const own = inputs.length + encoded.length === 0 ? null : new Set([...Array.from(inputs, (r) => version.items[r]!.tconst), ...encoded]);
      for (let j = 0; j < films.length; j++) if (own === null || !own.has(films[j]!.tconst)) order.push(j);
      order.sort((a, b) => score(b) - score(a) || byTconst[a]! - byTconst[b]!);
      const kept = input.top === undefined ? order : order.slice(0, input.top);
      return kept.map((j) => ({ film: films[j]!, score: score(j) }));
    });

    let facts = new Map<string, FilmFacts>();
    if (withReasons) {
      const wanted = new Set<string>();
      input.tastes.forEach((_, t) => {
        for (const l of tastes.likedOf(t)) wanted.add(l.tconst);
        for (const p of picked[t]!) wanted.add(p.film.tconst);
      });
      facts = await this.facts.facts(version.id, [...wanted]);
    }

    const answers: BatchTasteScores[] = input.tastes.map((taste, t) => {
      const coldStart = tastes.profiled[t] === 0;
      const liked = tastes.likedOf(t);
      const likedFacts = withReasons ? liked.map((l) => facts.get(l.tconst)).filter((f): f is FilmFacts => f !== undefined) : [];
      const items = picked[t]!.map(({ film, score }): BatchScoredFilm => {
        const item: BatchScoredFilm = { tconst: film.tconst, score: Number(score.toFixed(6)) };
        if (!withReasons) return item;
        const parts = reasonsFor(version, film, coldStart, facts, likedFacts, liked);
        return { ...item, reason: reasonLine(parts), reasons: parts };
      });
      const fit = fits === null ? Number.NaN : fits[t]!;
      return { id: taste.id, coldStart, unknown: [...tastes.unknownOf(t)], encoded: [...tastes.encodedOf(t)], ...(Number.isNaN(fit) ? {} : { fitScore: Number(fit.toFixed(6)) }), items };
    });
    return { version: version.id, unknown: unknownCandidates, tastes: answers };
  }

  /**
   * `POST /v1/recommendations/batch/scores`: the tastes as numbers (common's encodeBatchTastes),
   * the scores as numbers (common's BATCH_SCORES_BINARY layout): one float32 row per taste in the
   * candidates' order, NaN for its own inputs, no sorting, no object per film, no reasons (the
   * caller sorts anyway). Each title code is looked up in the version's code → row table; a taste
   * whose titles are all rows of the index is resolved from numbers alone. A malformed body
   * throws BatchBodyError naming the field.
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
        titleRows[i] = row;
        if (row >= 0) continue;
        const tconst = tconstOfCode(titles[i]!);
        if (tconst === null) throw new BatchBodyError(i - at < nLiked ? `tastes/${t}/liked/${i - at}: not a title code` : `tastes/${t}/disliked/${i - at - nLiked}: not a title code`);
        outsideIds.add(tconst);
      }
      at = end;
    }
    for (const t of header.candidates) if (!version.rowOf.has(t)) outsideIds.add(t);
    const outside = await this.outside(version, outsideIds);
    const tastes = new ResolvedTastes(version, header.tastes, titles.length, this.ranking, outside);
    for (let at = 0, t = 0; t < header.tastes; t++) {
      const nLiked = counts[2 * t]!;
      const n = nLiked + counts[2 * t + 1]!;
      let inIndex = true;
      for (let i = at; i < at + n; i++) if (titleRows[i]! < 0) inIndex = false;
      if (inIndex) tastes.addRows(titleRows, at, nLiked, n - nLiked);
      else {
        // A title outside the index: the general path, with tconsts.
        const tconsts = Array.from(titles.subarray(at, at + n), (code, i) => (titleRows[at + i]! >= 0 ? version.items[titleRows[at + i]!]!.tconst : tconstOfCode(code)!));
        tastes.addTitles(tconsts.slice(0, nLiked), tconsts.slice(nLiked), false);
      }
      at += n;
    }
    return binaryAnswer(version, tastes, await this.finish(version, header.candidates, header.fit, tastes, outside));
  }

  /** The version's tconstCode → row table, built on its first binary request (~20 ms per 100 000 films). */
  private codeRows(version: LoadedVersion): CodeRows {
    let rows = this.codes.get(version);
    if (!rows) {
      rows = new CodeRows(version.items.map((item) => tconstCode(item.tconst)));
      this.codes.set(version, rows);
    }
    return rows;
  }

  private async outside(version: LoadedVersion, ids: ReadonlySet<string>): Promise<OutsideVectors> {
    const vectors = ids.size > 0 && version.canEncode ? await version.embedOutside(await this.features.titlesWithPeople([...ids])) : new Map<string, Float32Array>();
    return new OutsideVectors(version.dims, vectors);
  }

  /** What both answers share: the films placed, the product of the tastes with a profile, their fitScore. */
  private async finish(version: LoadedVersion, candidates: readonly string[], fit: boolean | undefined, tastes: ResolvedTastes, outside: OutsideVectors): Promise<Computed> {
    const films: Placed[] = [];
    const unknownCandidates: string[] = [];
    for (const t of new Set(candidates)) {
      const placed = place(version, t, outside);
      if (placed) films.push(placed);
      else unknownCandidates.push(t);
    }
    // The product's rows: the tastes with a profile, in order; -1 for a cold start.
    const productRow = new Int32Array(tastes.size).fill(-1);
    let scored = 0;
    for (let t = 0; t < tastes.size; t++) if (tastes.profiled[t] === 1) productRow[t] = scored++;
    const scores = await this.product(version, tastes, productRow, scored, films);
    const fits = fit === false ? null : await fitScores(version, tastes);
    return { films, unknownCandidates, scores, productRow, scored, fits };
  }

  async close(): Promise<void> {
    const model = this.model;
    this.model = null;
    if (model) await (await model.catch(() => null))?.close();
  }

  /** Every taste with a profile × every film, one ONNX run: float32 scores, row-major. */
  private async product(version: LoadedVersion, tastes: ResolvedTastes, productRow: Int32Array, scored: number, films: readonly Placed[]): Promise<Float32Array> {
    if (scored === 0 || films.length === 0) return new Float32Array(0);
    const dims = version.dims;
    // The profiles, as doubles, of the tastes that have one.
    let query: Float64Array;
    let alpha: Float64Array;
    if (scored === tastes.size) {
      query = new Float64Array(tastes.profiles);
      alpha = tastes.alpha;
    } else {
      query = new Float64Array(scored * dims);
      alpha = new Float64Array(scored);
      for (let t = 0; t < tastes.size; t++) {
        const i = productRow[t]!;
        if (i < 0) continue;
        query.set(tastes.profiles.subarray(t * dims, (t + 1) * dims), i * dims);
        alpha[i] = tastes.alpha[t]!;
      }
    }
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

interface Computed {
  films: Placed[];
  unknownCandidates: string[];
  /** scored × films. */
  scores: Float32Array;
  /** Each taste's row in `scores`, -1 for a cold start. */
  productRow: Int32Array;
  scored: number;
  /** Each taste's fitScore when asked, NaN where it has none. */
  fits: Float64Array | null;
}

/**
 * The scores as numbers (common's BATCH_SCORES_BINARY layout): the product's rows as they are
 * when no taste is a cold start, NaN written over each taste's own inputs.
 */
function binaryAnswer(version: LoadedVersion, tastes: ResolvedTastes, { films, unknownCandidates, scores, productRow, scored, fits }: Computed): BatchScoresBinary {
  const count = films.length;
  const column = new Map(films.map((f, j) => [f.tconst, j]));
  // Each row of the index → its column, -1 for a film not programmed.
  const columnOfRow = new Int32Array(version.items.length).fill(-1);
  films.forEach((f, j) => {
    if (f.row !== null) columnOfRow[f.row] = j;
  });
  const cold = coldScores(version, films);
  const coldStart: number[] = [];
  const unknownOf: Record<string, string[]> = {};
  const encodedOf: Record<string, string[]> = {};
  const out = scored === tastes.size ? scores : new Float32Array(tastes.size * count);
  const fitScores = fits === null ? null : new Float64Array(tastes.size).fill(Number.NaN);
  for (let t = 0; t < tastes.size; t++) {
    const i = productRow[t]!;
    if (i < 0) {
      coldStart.push(t);
      for (let j = 0; j < count; j++) out[t * count + j] = cold[j]!;
    } else {
      if (out !== scores) out.set(scores.subarray(i * count, (i + 1) * count), t * count);
      if (fitScores && !Number.isNaN(fits![t]!)) fitScores[t] = Number(fits![t]!.toFixed(6));
    }
    const inputs = tastes.inputsOf(t);
    for (let x = 0; x < inputs.length; x++) {
      const j = columnOfRow[inputs[x]!]!;
      if (j >= 0) out[t * count + j] = Number.NaN;
    }
    const encoded = tastes.encodedOf(t);
    for (const input of encoded) {
      const j = column.get(input);
      if (j !== undefined) out[t * count + j] = Number.NaN;
    }
    const unknown = tastes.unknownOf(t);
    if (unknown.length > 0) unknownOf[t] = [...unknown];
    if (encoded.length > 0) encodedOf[t] = [...encoded];
  }
  return {
    header: {
      version: version.id,
      films: films.map((f) => f.tconst),
      unknown: unknownCandidates,
      tastes: tastes.size,
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

/** Each film's cold-start score (the films by weighted rating), as the single route's cold start gives it. */
function coldScores(version: LoadedVersion, films: readonly Placed[]): Float64Array {
  return Float64Array.from(films, (film) => (film.row === null ? 0 : version.weighted[film.row]! / 10));
}

function place(version: LoadedVersion, tconst: string, outside: OutsideVectors): Placed | null {
  const row = version.rowOf.get(tconst);
  if (row !== undefined) return { tconst, row, vector: version.vector(row) };
  const vector = outside.vector(tconst);
  return vector ? { tconst, row: null, vector } : null;
}

/**
 * Each taste's fitScore (NaN where it has none), as rankCandidates computes it: the score of the
 * FIT_RANK-th film of the whole index once the taste's inputs are left out, through the version's
 * ONNX index (int8 candidates, exact re-ranking and its proof), many tastes per run.
 *
 * The index takes one prior weight per run, and alpha is each taste's own (adaptive). A row
 * divided by its alpha ranks the films exactly as the row itself does (score / alpha, alpha > 0),
 * so the rows are sent scaled with alpha 1, and the FIT_RANK-th film found is scored again with
 * the taste's real profile and alpha by the single route's function: the same value, up to the
 * order of films whose scores tie within float rounding.
 */
async function fitScores(version: LoadedVersion, tastes: ResolvedTastes): Promise<Float64Array> {
  const out = new Float64Array(tastes.size).fill(Number.NaN);
  const dims = version.dims;
  const films = version.items.length;
  const perRun = Math.max(1, Math.min(FIT_RUN_ROWS_MAX, Math.floor(FIT_RUN_SCORES / Math.max(1, films))));
  const withProfile = Array.from({ length: tastes.size }, (_, t) => t).filter((t) => tastes.profiled[t] === 1);
  const scaled = withProfile.filter((t) => tastes.alpha[t]! > 0);
  const plain = withProfile.filter((t) => !(tastes.alpha[t]! > 0));
  for (const [group, runAlpha] of [
    [scaled, 1],
    [plain, 0],
  ] as const) {
    for (let start = 0; start < group.length; start += perRun) {
      const part = group.slice(start, start + perRun);
      const query = new Float32Array(part.length * dims);
      let inputs = 0;
      part.forEach((t, r) => {
        const scale = runAlpha === 1 ? 1 / tastes.alpha[t]! : 1;
        for (let k = 0; k < dims; k++) query[r * dims + k] = tastes.profiles[t * dims + k]! * scale;
        inputs = Math.max(inputs, tastes.inputsOf(t).length);
      });
      // The inputs would take places in the top of the index: ask for that many more.
      const asked = Math.min(films, FIT_RANK + inputs);
      const tops = await version.index.topK(query, asked, runAlpha);
      part.forEach((t, r) => {
        const own = tastes.inputsOf(t);
        const others = tops[r]!.filter((n) => !own.includes(n.index));
        if (others.length === 0) return;
        const at = others[Math.min(FIT_RANK, others.length) - 1]!;
        out[t] = blendedScore(version.vectors, dims, version.prior, tastes.profiles.subarray(t * dims, (t + 1) * dims), tastes.alpha[t]!, at.index);
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

