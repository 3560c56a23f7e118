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
