/**
 * The recommender's internal HTTP API, as the gateway calls it. Both sides import these types so
 * a change shows up at compile time on each; the recommender validates requests with its own
 * route schemas built to this shape.
 *
 *   POST {RECOMMENDER_URL}/v1/recommendations   RecommendRequest → 200 RecommendResponse
 *                                               400 ErrorBody (bad request, names the field)
 *                                               503 ErrorBody (no usable embedding version yet)
 *   POST /v1/recommendations/batch              BatchScoreRequest → 200 BatchScoreResponse (400, 503 as above)
 *   GET  /health/live, /health/ready, /metrics   (common/src/http/observability.ts)
 *
 * The caller's `X-Request-Id` is carried through and echoed.
 */

export const RECOMMEND_K_MAX = 50;

export interface RecommendFilters {
  /** IMDb genre names ('Drama', 'Comedy'…); a film matches when it has at least one. */
  genres?: string[];
  /** Decade starts (1990 = 1990–1999); a film matches when its year falls in one. */
  decades?: number[];
  /** Maximum runtime in minutes; films of unknown runtime are kept. */
  maxRuntime?: number;
  /** French films only: original language fr, or France among the production countries. */
  frenchOnly?: boolean;
}

export interface RecommendRequest {
  /** tconsts the customer liked (may be empty: cold start), oldest first: the last weighs most. */
  liked: string[];
  /** tconsts the customer did not like: pushed away, never returned. */
  disliked?: string[];
  /** How many films to return, 1..50 (default 10). */
  k?: number;
  filters?: RecommendFilters;
  /** 0 = pure similarity, 1 = most diverse (MMR re-ranking); default 0. */
  diversity?: number;
  /**
   * Score these films only (at most RECOMMEND_CANDIDATES_MAX): all of them are answered, best
   * first (the k best when k is given), inputs and films the filters refuse left out; `diversity`
   * is ignored. A film outside the index is placed by the encoder as liked titles are. The
   * programme's films ranked for one taste.
   */
  candidates?: string[];
}

export const RECOMMEND_CANDIDATES_MAX = 200;

/** One piece of evidence for a recommendation, true to the data. */
export interface ReasonPart {
  kind: 'director' | 'writer' | 'cast' | 'collection' | 'genres' | 'decade' | 'country' | 'language' | 'popular' | 'similar' | 'colike';
  /** The people, genres or other values this part names (people as display names). */
  values: string[];
  /** The liked film(s) this part links the recommendation to. */
  because?: string[];
}

export interface RecommendedFilm {
  tconst: string;
  score: number;
  /** One readable line per language, built from `reasons`: "Même réalisateur : Sergio Leone". */
  reason: { fr: string; en: string };
  reasons: ReasonPart[];
}

export interface RecommendResponse {
  /** The embedding version that answered. */
  version: number;
  /** True when nothing usable was liked: well-rated popular films. */
  coldStart: boolean;
  /** Liked or disliked tconsts the recommender could not use: not in the catalogue, or nothing known of them. */
  unknown: string[];
  /**
   * Liked or disliked titles outside the index (a series, a film imported after the version was
   * built) that were embedded from their features by the encoder and used like the index's films.
   */
  encoded: string[];
  /**
   * With `candidates` and something liked: the score of the FIT_RANK-th (100th) film of the whole
   * index for this taste. A candidate scoring at least this would be among the films the
   * recommender proposes on its own: it fits the taste.
   */
  fitScore?: number;
  items: RecommendedFilm[];
}

/** Tastes one batch call takes at most; the notifier sends its subscribers in chunks of this or fewer. */
export const RECOMMEND_BATCH_TASTES_MAX = 10_000;

/** One customer's taste in a batch: liked and disliked tconsts as `RecommendRequest` takes them. */
export interface BatchTaste {
  /** The caller's id for this taste (a subscriber id), echoed in the answer. */
  id: string;
  /** Oldest first: the last weighs most. */
  liked: string[];
  disliked?: string[];
}

/**
 * Many tastes against the same films in one call (the programme's films for every subscriber):
 * each taste's answer is what `POST /v1/recommendations` with `candidates` gives for it (same
 * films, order and scores, same fitScore), computed as one product for all tastes.
 */
export interface BatchScoreRequest {
  /** 1..RECOMMEND_BATCH_TASTES_MAX tastes. */
  tastes: BatchTaste[];
  /** The films to score (at most RECOMMEND_CANDIDATES_MAX); a taste's own inputs are left out of its answer. */
  candidates: string[];
  /** Only the n best films of each taste are returned (default: every film scored). */
  top?: number;
  /** Each returned film carries its reason, as the single route gives it (default false: scores only). */
  reasons?: boolean;
  /**
   * Compute each taste's fitScore (default true). It ranks the whole index for every taste, which
   * costs far more than the candidates' scores: a caller that does not use it (a digest) says false.
   */
  fit?: boolean;
}

export interface BatchScoredFilm {
  tconst: string;
  score: number;
  /** With `reasons: true`. */
  reason?: { fr: string; en: string };
  reasons?: ReasonPart[];
}

export interface BatchTasteScores {
  id: string;
  /** Nothing liked was usable: the films by weighted rating, no fitScore. */
  coldStart: boolean;
  /** This taste's liked or disliked tconsts the recommender could not use. */
  unknown: string[];
  /** This taste's inputs outside the index, embedded by the encoder. */
  encoded: string[];
  /** As RecommendResponse.fitScore: the score of the 100th film of the whole index for this taste (with `fit`, something liked). */
  fitScore?: number;
  /** Best first. */
  items: BatchScoredFilm[];
}

export interface BatchScoreResponse {
  /** The embedding version that answered. */
  version: number;
  /** Candidates the version knows nothing of (no taste's answer holds them). */
  unknown: string[];
  /** In request order. */
  tastes: BatchTasteScores[];
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}

/**
 * The batch answer as numbers (`Accept: application/octet-stream` on the batch route, without
 * `reasons`): the notifier's scores-only calls, 100 000 tastes × 40 films, are 4 M scores. Written
 * as JSON objects they are ~160 MB to build, serialise, parse and collect, ~95 % of the call; as
 * float32 they are 16 MB copied once. Same scores, same fitScore as the JSON answer; the films are
 * not sorted (the caller sorts: by score, best first, ties by tconst, as the JSON answer is).
 *
 * Layout, little-endian, every block aligned on 8 bytes from the start of the body:
 *   uint32 H | H bytes: BatchScoresHeader as UTF-8 JSON | zeros to a multiple of 8
 *   float32 scores[tastes × films.length], taste-major: taste t's score of films[j] at t·films + j,
 *           NaN where films[j] is one of taste t's own inputs (liked or disliked: the JSON answer
 *           leaves it out); a cold-start taste's row holds `cold`, rounded to float32
 *   float64 fitScore[tastes] when `header.fit`, NaN where the JSON answer has none
 *           (rounded to 6 decimals as the JSON answer's)
 */
export const BATCH_SCORES_BINARY = 'application/octet-stream';

export interface BatchScoresHeader {
  /** The embedding version that answered. */
  version: number;
  /** The columns: the candidates the version knows, once each, in request order. */
  films: string[];
  /** Candidates the version knows nothing of (no column). */
  unknown: string[];
  /** Rows: the tastes, in request order. */
  tastes: number;
  /** Indexes of the tastes with nothing usable liked: their scores are `cold`. */
  coldStart: number[];
  /** Each film's cold-start score, unrounded (a double, as the JSON answer sorts by it); [] without a cold taste. */
  cold: number[];
  /** Taste index → its unusable inputs (only the tastes that have some). */
  unknownOf: Record<string, string[]>;
  /** Taste index → its inputs placed by the encoder (only the tastes that have some). */
  encodedOf: Record<string, string[]>;
  /** The fitScore block follows the scores. */
  fit: boolean;
}

export interface BatchScoresBinary {
  header: BatchScoresHeader;
  scores: Float32Array;
  fitScores: Float64Array | null;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/** The body as the recommender writes it. */
export function encodeBatchScores(answer: BatchScoresBinary): Uint8Array {
  const { header, scores, fitScores } = answer;
  if (scores.length !== header.tastes * header.films.length) throw new Error('batch scores: the scores are not tastes × films');
  if (header.fit !== (fitScores !== null) || (fitScores !== null && fitScores.length !== header.tastes)) throw new Error('batch scores: fitScore does not match the header');
  const json = new TextEncoder().encode(JSON.stringify(header));
  const scoresAt = align8(4 + json.length);
  const fitAt = align8(scoresAt + scores.byteLength);
  const body = new Uint8Array(fitAt + (fitScores?.byteLength ?? 0));
  const view = new DataView(body.buffer);
  view.setUint32(0, json.length, true);
  body.set(json, 4);
  body.set(new Uint8Array(scores.buffer, scores.byteOffset, scores.byteLength), scoresAt);
  if (fitScores) body.set(new Uint8Array(fitScores.buffer, fitScores.byteOffset, fitScores.byteLength), fitAt);
  return body;
}

/** Reads the body back; the typed arrays are views on `body`'s buffer when it is aligned, copies otherwise. */
export function decodeBatchScores(body: Uint8Array): BatchScoresBinary {
  if (body.byteLength < 4) throw new Error('batch scores: the body is too short');
  const size = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0, true);
  if (4 + size > body.byteLength) throw new Error('batch scores: the header runs past the body');
  const header = JSON.parse(new TextDecoder().decode(body.subarray(4, 4 + size))) as BatchScoresHeader;
  const count = header.tastes * header.films.length;
  const scoresAt = align8(4 + size);
  const fitAt = align8(scoresAt + count * 4);
  const end = fitAt + (header.fit ? header.tastes * 8 : 0);
  if (end !== body.byteLength) throw new Error(`batch scores: ${body.byteLength} bytes where the header announces ${end}`);
  const aligned = body.byteOffset % 8 === 0;
  const scores = aligned ? new Float32Array(body.buffer, body.byteOffset + scoresAt, count) : new Float32Array(body.slice(scoresAt, scoresAt + count * 4).buffer);
  const fitScores = !header.fit ? null : aligned ? new Float64Array(body.buffer, body.byteOffset + fitAt, header.tastes) : new Float64Array(body.slice(fitAt, end).buffer);
  return { header, scores, fitScores };
}

/**
 * A score as the JSON answer writes it, `Number(x.toFixed(6))`, without building a string: the
 * same number for every float32 x (the product's scores). x·1e6 is exact to far less than its
 * distance to a rounding tie (a float32 has 24 significant bits, the double product 53), ties
 * are taken away from zero as toFixed takes them, and k / 1e6 is the double nearest k·10⁻⁶, as
 * the parsed string is. For doubles (cold-start scores, fitScore) toFixed itself is used.
 */
export function roundScore(x: number): number {
  // `+ 0`: toFixed writes −0 as "0.000000", a positive zero.
  return x < 0 ? -Math.round(-x * 1e6) / 1e6 : Math.round(x * 1e6) / 1e6 + 0;
}

/**
 * The tastes as numbers: `POST /v1/recommendations/batch/scores` takes this body
 * (`Content-Type: application/octet-stream`) and answers BATCH_SCORES_BINARY. 100 000 tastes of
 * 3–10 titles written as JSON objects are ~10 MB whose parsing, validation and string hashing
 * cost the recommender more than the scores; as numbers the titles are looked up directly.
 *
 * Layout, little-endian, blocks aligned on 8 bytes from the start of the body:
 *   uint32 H | H bytes: BatchTastesHeader as UTF-8 JSON | zeros to a multiple of 8
 *   uint8  counts[2 × tastes]: taste t's liked count at 2t, its disliked count at 2t + 1 (≤ 100 each)
 *          | zeros to a multiple of 8
 *   float64 titles[Σ counts]: taste by taste, its liked then its disliked, each a tconstCode
 */
export interface BatchTastesHeader {
  /** 1..RECOMMEND_BATCH_TASTES_MAX. */
  tastes: number;
  /** As BatchScoreRequest.candidates. */
  candidates: string[];
  /** As BatchScoreRequest.fit (default true). */
  fit?: boolean;
}

/** A taste's list holds at most this many titles, as the JSON request's schema says. */
export const BATCH_TASTE_TITLES_MAX = 100;

const TCONST = /^tt[0-9]{7,10}$/;

/**
 * `tt` + 7 to 10 digits as one number: the digits' value × 4 + (digit count − 7), so that
 * tt0068646 and tt00068646 stay apart, and the 7- and 8-digit ids of today fit in a small integer.
 * null for anything else.
 */
export function tconstCode(tconst: string): number | null {
  // TCONST checked by hand: this runs for every title of every taste (650 000 a run).
  const n = tconst.length;
  if (n < 9 || n > 12 || tconst.charCodeAt(0) !== 116 || tconst.charCodeAt(1) !== 116) return null;
  let value = 0;
  for (let i = 2; i < n; i++) {
    const d = tconst.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  return value * 4 + (n - 9);
}

/** The tconst a code stands for; null when it is no code. */
export function tconstOfCode(code: number): string | null {
  if (!Number.isSafeInteger(code) || code < 0) return null;
  const digits = 7 + (code % 4);
  const value = (code - (code % 4)) / 4;
  if (value >= 10 ** digits) return null;
  return `tt${String(value).padStart(digits, '0')}`;
}

/** The tastes' body as HttpBatchScorer writes it; a title that is no tconst throws, naming its place (never its value). */
export function encodeBatchTastes(tastes: readonly { liked: readonly string[]; disliked?: readonly string[] }[], header: Omit<BatchTastesHeader, 'tastes'>): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify({ ...header, tastes: tastes.length } satisfies BatchTastesHeader));
  const countsAt = align8(4 + json.length);
  const titlesAt = align8(countsAt + 2 * tastes.length);
  let titles = 0;
  for (const t of tastes) titles += t.liked.length + (t.disliked?.length ?? 0);
  const body = new Uint8Array(titlesAt + 8 * titles);
  new DataView(body.buffer).setUint32(0, json.length, true);
  body.set(json, 4);
  const codes = new Float64Array(body.buffer, titlesAt, titles);
  let at = 0;
  const put = (t: number, field: 'liked' | 'disliked', list: readonly string[]) => {
    if (list.length > BATCH_TASTE_TITLES_MAX) throw new BatchBodyError(`tastes/${t}/${field}: more than ${BATCH_TASTE_TITLES_MAX} titles`);
    body[countsAt + 2 * t + (field === 'liked' ? 0 : 1)] = list.length;
    for (let i = 0; i < list.length; i++) {
      const code = tconstCode(list[i]!);
      if (code === null) throw new BatchBodyError(`tastes/${t}/${field}/${i}: not an IMDb title id (tt and 7 to 10 digits)`);
      codes[at++] = code;
    }
  };
  for (let t = 0; t < tastes.length; t++) {
    put(t, 'liked', tastes[t]!.liked);
    if (tastes[t]!.disliked !== undefined) put(t, 'disliked', tastes[t]!.disliked!);
  }
  return body;
}

/** A tastes' body the recommender refuses: the message names the field (a 400). */
export class BatchBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BatchBodyError';
  }
}

export interface BatchTastesBinary {
  header: BatchTastesHeader;
  /** liked, disliked count per taste. */
  counts: Uint8Array;
  /** Every title's tconstCode, taste by taste (unchecked: tconstOfCode says what is no code). */
  titles: Float64Array;
}

/** Reads the tastes' body back, checking its shape, naming the field it refuses. */
export function decodeBatchTastes(body: Uint8Array): BatchTastesBinary {
  if (body.byteLength < 4) throw new BatchBodyError('body: too short for its header');
  const size = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0, true);
  if (4 + size > body.byteLength) throw new BatchBodyError('body: the header runs past the body');
  let header: BatchTastesHeader;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body.subarray(4, 4 + size))) as BatchTastesHeader;
  } catch {
    throw new BatchBodyError('header: not UTF-8 JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new BatchBodyError('header: not an object');
  for (const key of Object.keys(header)) if (key !== 'tastes' && key !== 'candidates' && key !== 'fit') throw new BatchBodyError(`header: unknown field "${key}"`);
  if (!Number.isInteger(header.tastes) || header.tastes < 1 || header.tastes > RECOMMEND_BATCH_TASTES_MAX) throw new BatchBodyError(`header/tastes: an integer from 1 to ${RECOMMEND_BATCH_TASTES_MAX}`);
  if (!Array.isArray(header.candidates) || header.candidates.length > RECOMMEND_CANDIDATES_MAX) throw new BatchBodyError(`header/candidates: a list of at most ${RECOMMEND_CANDIDATES_MAX} titles`);
  header.candidates.forEach((c, i) => {
    if (typeof c !== 'string' || !TCONST.test(c)) throw new BatchBodyError(`header/candidates/${i}: not an IMDb title id`);
  });
  if (header.fit !== undefined && typeof header.fit !== 'boolean') throw new BatchBodyError('header/fit: a boolean');
  const countsAt = align8(4 + size);
  const titlesAt = align8(countsAt + 2 * header.tastes);
  if (titlesAt > body.byteLength) throw new BatchBodyError('body: shorter than its counts');
  const counts = body.slice(countsAt, countsAt + 2 * header.tastes);
  let titles = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i]! > BATCH_TASTE_TITLES_MAX) throw new BatchBodyError(`tastes/${i >> 1}/${i % 2 === 0 ? 'liked' : 'disliked'}: more than ${BATCH_TASTE_TITLES_MAX} titles`);
    titles += counts[i]!;
  }
  if (body.byteLength !== titlesAt + 8 * titles) throw new BatchBodyError(`body: ${body.byteLength} bytes where the counts announce ${titlesAt + 8 * titles}`);
  const codes = (body.byteOffset + titlesAt) % 8 === 0 ? new Float64Array(body.buffer, body.byteOffset + titlesAt, titles) : new Float64Array(body.slice(titlesAt).buffer);
  return { header, counts, titles: codes };
}
