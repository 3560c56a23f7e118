import { STATUS_CODES } from 'node:http';
import {
  BATCH_SCORES_BINARY,
  BatchBodyError,
  type BatchScoreRequest,
  type BatchScoreResponse,
  type BatchScoresBinary,
  decodeBatchScores,
  encodeBatchTastes,
  type ErrorBody,
  RECOMMEND_BATCH_TASTES_MAX,
  RECOMMEND_CANDIDATES_MAX,
  roundScore,
} from '@cine/common';
import type { BatchScorer, FilmScore, ScoreOptions, SubscriberTaste, TasteScores } from './matching.contract';
import { type RecommenderAnswer, RecommenderHttp, RecommenderUnavailable } from './recommender-http';

export { RecommenderUnavailable };

export interface HttpBatchScorerOptions {
  /** RECOMMENDER_URL, no trailing slash. */
  baseUrl: string;
  /**
   * Tastes per request. By default 2 000 with reasons (JSON: a request's body near 0.5 MB, its
   * answer a few MB) and 5 000 scores only (numbers: 0.3 MB in, 0.8 MB out at 40 films; fewer
   * requests, still enough of them for the next chunk to travel while the recommender computes,
   * see `inFlight`; chunks of 2 500 or 10 000 were no faster).
   */
  chunkSize?: number;
  /** Requests at once: 2 overlaps one chunk's travel and decoding here with the other's profiles and product on the recommender. */
  inFlight?: number;
  /** Per request; a fit pass over a large index takes seconds per thousand tastes. */
  timeoutMs?: number;
}

const NO_REASON = { fr: '', en: '' };

/**
 * BatchScorer over the recommender's batch call — `POST /v1/recommendations/batch` (JSON) when
 * reasons are asked, `POST /v1/recommendations/batch/scores` (numbers both ways, common's
 * encodeBatchTastes and BATCH_SCORES_BINARY) for scores only: the subscribers in chunks, every chunk against
 * all the period's films (split in parts of RECOMMEND_CANDIDATES_MAX in the rare week that has
 * more, merged back; the fit threshold is asked once). Errors carry the status and the
 * recommender's message (a field name, never a taste or an address).
 */
export class HttpBatchScorer implements BatchScorer {
  private readonly chunkSize: number;
  private readonly scoresChunkSize: number;
  private readonly inFlight: number;
  private readonly http: RecommenderHttp;

  constructor(private readonly opts: HttpBatchScorerOptions) {
    this.chunkSize = Math.max(1, Math.min(RECOMMEND_BATCH_TASTES_MAX, opts.chunkSize ?? 2000));
    this.scoresChunkSize = Math.max(1, Math.min(RECOMMEND_BATCH_TASTES_MAX, opts.chunkSize ?? 5000));
    this.inFlight = Math.max(1, opts.inFlight ?? 2);
    // Per request in flight, a buffer per part of the films.
    this.http = new RecommenderHttp(opts.baseUrl, opts.timeoutMs ?? 300_000, 2 * this.inFlight);
  }

  async score(tastes: readonly SubscriberTaste[], candidates: readonly string[], options: ScoreOptions = {}): Promise<TasteScores[]> {
    const films = [...new Set(candidates)];
    if (tastes.length === 0) return [];
    if (films.length === 0) return tastes.map((t) => ({ subscriberId: t.subscriberId, fitScore: null, films: [] }));
    // Scores only: the binary answer, sorted and rounded here as the JSON answer is (same FilmScore values).
    if (options.reasons === false) return tasteScores(tastes, await this.scoreMatrix(tastes, films, { fit: options.fit ?? true }), options.top);
    return (await this.inChunks(tastes, this.chunkSize, (chunk) => this.scoreChunk(chunk, films, options))).flat();
  }

  /**
   * Every taste × every film as numbers, through the binary answer (common's BATCH_SCORES_BINARY):
   * what `score` builds its scores-only answers from, and what a caller that only needs numbers
   * (the benchmark, a count of the audience) can use without one object per pair.
   */
  async scoreMatrix(tastes: readonly SubscriberTaste[], candidates: readonly string[], options: { fit?: boolean } = {}): Promise<ScoreMatrix> {
    const films = [...new Set(candidates)];
    const parts: string[][] = [];
    for (let i = 0; i < films.length; i += RECOMMEND_CANDIDATES_MAX) parts.push(films.slice(i, i + RECOMMEND_CANDIDATES_MAX));
    const fit = options.fit ?? true;
    if (tastes.length === 0 || parts.length === 0) {
      return { films: [], scores: new Float32Array(0), coldStart: new Uint8Array(tastes.length), cold: new Float64Array(0), fitScores: fit ? new Float64Array(tastes.length).fill(Number.NaN) : null };
    }
    // Each chunk's answers copied into the matrix as they arrive, their buffers read into again.
    let matrix: MatrixAssembly | null = null;
    try {
      await this.inChunks(tastes, this.scoresChunkSize, async (chunk, start) => {
        const answers: BatchScoresBinary[] = [];
        const bodies: Uint8Array[] = [];
        for (const [p, part] of parts.entries()) {
          // The threshold is the taste's, not the films': asked with the first part only.
          const { answer, body } = await this.postBinary(chunk, { candidates: part, fit: fit && p === 0 });
          if (answer.header.tastes !== chunk.length) throw new Error('the recommender answered another number of tastes');
          answers.push(answer);
          bodies.push(body);
        }
        matrix ??= new MatrixAssembly(tastes.length, answers, fit);
        matrix.place(start, answers);
        for (const body of bodies) this.http.reuse(body);
      });
    } finally {
      this.http.release();
    }
    return (matrix as MatrixAssembly | null)!.result();
  }

  /** The tastes in chunks of `size`, inFlight requests at once; the results in chunk order. */
  private async inChunks<T>(tastes: readonly SubscriberTaste[], size: number, each: (chunk: readonly SubscriberTaste[], start: number) => Promise<T>): Promise<T[]> {
    const chunks: SubscriberTaste[][] = [];
    for (let i = 0; i < tastes.length; i += size) chunks.push(tastes.slice(i, i + size));
    const results: T[] = new Array(chunks.length);
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) {
        const i = next++;
        results[i] = await each(chunks[i]!, i * size);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.inFlight, chunks.length) }, worker));
    return results;
  }

  private async scoreChunk(tastes: readonly SubscriberTaste[], films: readonly string[], options: ScoreOptions): Promise<TasteScores[]> {
    const parts: string[][] = [];
    for (let i = 0; i < films.length; i += RECOMMEND_CANDIDATES_MAX) parts.push(films.slice(i, i + RECOMMEND_CANDIDATES_MAX));
    const reasons = options.reasons ?? true;
    const out: TasteScores[] = tastes.map((t) => ({ subscriberId: t.subscriberId, fitScore: null, films: [] }));
    for (const [p, part] of parts.entries()) {
      const body: BatchScoreRequest = {
        tastes: tastes.map((t) => ({ id: t.subscriberId, liked: t.liked, ...(t.disliked.length > 0 ? { disliked: t.disliked } : {}) })),
        candidates: part,
        reasons,
        // The threshold is the taste's, not the films': asked with the first part only.
        fit: (options.fit ?? true) && p === 0,
        ...(options.top === undefined ? {} : { top: options.top }),
      };
      const answer = await this.post(body);
      answer.tastes.forEach((a, i) => {
        const scores = out[i]!;
        if (a.id !== scores.subscriberId) throw new Error('the recommender answered the tastes out of order');
        if (p === 0) scores.fitScore = a.fitScore ?? null;
        for (const item of a.items) scores.films.push({ tconst: item.tconst, score: item.score, reason: item.reason ?? NO_REASON, reasons: item.reasons ?? [] } satisfies FilmScore);
      });
    }
    if (parts.length > 1) {
      for (const scores of out) {
        scores.films.sort((a, b) => b.score - a.score || (a.tconst < b.tconst ? -1 : a.tconst > b.tconst ? 1 : 0));
        if (options.top !== undefined) scores.films.length = Math.min(scores.films.length, options.top);
      }
    }
    return out;
  }

  /** The decoded answer, its arrays views on `body`. */
  private async postBinary(tastes: readonly SubscriberTaste[], header: { candidates: string[]; fit: boolean }): Promise<{ answer: BatchScoresBinary; body: Uint8Array }> {
    let body: Uint8Array;
    try {
      body = encodeBatchTastes(tastes, header);
    } catch (err) {
      // Refused before sending, worded as the recommender would refuse it (the field, never the title).
      if (err instanceof BatchBodyError) throw new Error(`the batch of ${tastes.length} tastes cannot be sent: ${err.message}`);
      throw err;
    }
    const res = await this.http.post('/v1/recommendations/batch/scores', body, BATCH_SCORES_BINARY);
    if (res.status === 200) {
      if (!res.type.startsWith(BATCH_SCORES_BINARY)) throw new Error('the recommender answered the scores in another format');
      return { answer: decodeBatchScores(res.body), body: res.body };
    }
    return this.refused(res, tastes.length);
  }

  private async post(body: BatchScoreRequest): Promise<BatchScoreResponse> {
    const res = await this.http.post('/v1/recommendations/batch', JSON.stringify(body), 'application/json');
    if (res.status === 200) return JSON.parse(Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength).toString('utf8')) as BatchScoreResponse;
    return this.refused(res, body.tastes.length);
  }

  private refused(res: RecommenderAnswer, tastes: number): never {
    let error: ErrorBody | null = null;
    try {
      error = JSON.parse(Buffer.from(res.body.buffer, res.body.byteOffset, res.body.byteLength).toString('utf8')) as ErrorBody;
    } catch {
      // Not JSON: the status says enough.
    }
    const message = `the recommender answered ${res.status} to a batch of ${tastes} tastes: ${error?.message ?? STATUS_CODES[res.status] ?? 'error'}`;
    if (res.status === 503) throw new RecommenderUnavailable(message);
    throw new Error(message);
  }
}

/**
 * The matrix built from the chunks' answers as they arrive: sized by the first chunk's (each part
 * of the films, its columns side by side); every later chunk must have been answered by the same
 * version with the same columns.
 */
class MatrixAssembly {
  private readonly columns: string[];
  private readonly scores: Float32Array;
  private readonly coldStart: Uint8Array;
  private readonly cold: Float64Array;
  private readonly fitScores: Float64Array | null;
  /** The first chunk's headers, one per part: what every chunk must match. */
  private readonly first: BatchScoresBinary['header'][];

  constructor(tastes: number, first: readonly BatchScoresBinary[], fit: boolean) {
    this.first = first.map((a) => a.header);
    this.columns = first.flatMap((a) => a.header.films);
    this.scores = new Float32Array(tastes * this.columns.length);
    this.coldStart = new Uint8Array(tastes);
    this.cold = new Float64Array(this.columns.length);
    this.fitScores = fit ? new Float64Array(tastes).fill(Number.NaN) : null;
  }

  /** One chunk's answers, one per part of the films, its first taste at `start`. */
  place(start: number, answers: readonly BatchScoresBinary[]): void {
    answers.forEach((a, p) => {
      const want = this.first[p]!;
      if (a.header.version !== want.version || a.header.films.length !== want.films.length || a.header.films.some((t, j) => t !== want.films[j])) {
        throw new RecommenderUnavailable('the recommender changed its embedding version during the scoring');
      }
    });
    const width = this.columns.length;
    let offset = 0;
    for (const { header, scores: part, fitScores: partFits } of answers) {
      const count = header.films.length;
      if (count === width) this.scores.set(part, start * width);
      else for (let t = 0; t < header.tastes; t++) this.scores.set(part.subarray(t * count, (t + 1) * count), (start + t) * width + offset);
      for (const t of header.coldStart) this.coldStart[start + t] = 1;
      for (let j = 0; j < header.cold.length; j++) this.cold[offset + j] = header.cold[j]!;
      if (this.fitScores && partFits) this.fitScores.set(partFits, start);
      offset += count;
    }
  }

  result(): ScoreMatrix {
    return { films: this.columns, scores: this.scores, coldStart: this.coldStart, cold: this.cold, fitScores: this.fitScores };
  }
}

/** Every taste × every film as numbers (HttpBatchScorer.scoreMatrix). */
export interface ScoreMatrix {
  /** The columns: the films the recommender knows, once each, in the order given. */
  films: string[];
  /**
   * tastes × films, taste-major: float32 as the product gives them (the JSON answer rounds them to
   * 6 decimals); NaN where the film is one of the taste's own inputs (liked or disliked).
   */
  scores: Float32Array;
  /** 1 for a taste with nothing usable liked: its scores are `cold`. */
  coldStart: Uint8Array;
  /** Each film's cold-start score, unrounded (its row in `scores` holds it rounded to float32). */
  cold: Float64Array;
  /** Each taste's fitScore when asked, NaN where it has none. */
  fitScores: Float64Array | null;
}

/**
 * The scores-only answer from the numbers: each taste's films sorted as the recommender sorts them
 * (score descending, then tconst) and rounded as its JSON answer rounds them, so both forms give
 * the same FilmScore values.
 */
function tasteScores(tastes: readonly SubscriberTaste[], matrix: ScoreMatrix, top: number | undefined): TasteScores[] {
  const { films: columns, scores, coldStart, cold, fitScores } = matrix;
  const width = columns.length;
  const coldRounded = cold.map((v) => Number(v.toFixed(6)));
  // Ties by tconst: each column's place in tconst order.
  const rank = new Int32Array(width);
  columns
    .map((t, j) => ({ t, j }))
    .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0))
    .forEach(({ j }, place) => {
      rank[j] = place;
    });
  const row = new Float64Array(width);
  const order = new Int32Array(width);
  return tastes.map((taste, t): TasteScores => {
    const isCold = coldStart[t] === 1;
    let n = 0;
    for (let j = 0; j < width; j++) {
      const v = scores[t * width + j]!;
      if (Number.isNaN(v)) continue;
      row[j] = isCold ? cold[j]! : v;
      order[n++] = j;
    }
    sortColumns(order, n, row, rank);
    const kept = top === undefined ? n : Math.min(n, top);
    const films: FilmScore[] = new Array(kept);
    for (let r = 0; r < kept; r++) {
      const j = order[r]!;
      films[r] = { tconst: columns[j]!, score: isCold ? coldRounded[j]! : roundScore(row[j]!), reason: NO_REASON, reasons: [] };
    }
    const fit = fitScores === null ? Number.NaN : fitScores[t]!;
    return { subscriberId: taste.subscriberId, fitScore: Number.isNaN(fit) ? null : fit, films };
  });
}

/**
 * order[0..n) sorted by row value descending, then the column's place in tconst order. Insertion
 * sort: a programme is a few dozen films, and this runs once per taste (100 000 times) where a
 * comparator-driven sort would allocate and call back.
 */
function sortColumns(order: Int32Array, n: number, row: Float64Array, rank: Int32Array): void {
  for (let i = 1; i < n; i++) {
    const j = order[i]!;
    const v = row[j]!;
    const r = rank[j]!;
    let k = i - 1;
    while (k >= 0) {
      const o = order[k]!;
      const w = row[o]!;
      if (w > v || (w === v && rank[o]! < r)) break;
      order[k + 1] = o;
      k--;
    }
    order[k + 1] = j;
  }
}
