/**
 * The recommender's internal HTTP API, as the gateway calls it. Both sides import these types so
 * a change shows up at compile time on each; the recommender validates requests with its own
 * route schemas built to this shape.
 *
 *   POST {RECOMMENDER_URL}/v1/recommendations   RecommendRequest → 200 RecommendResponse
 *                                               400 ErrorBody (bad request, names the field)
 *                                               503 ErrorBody (no usable embedding version yet)
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

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
}
