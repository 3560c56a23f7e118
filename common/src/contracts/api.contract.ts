/**
 * The gateway's public REST API (/api/v1) as TypeScript types: the shapes the cinema's website,
 * the customer page and the widget rely on. The gateway's TypeBox route schemas are built to
 * match them (the OpenAPI document is generated from those schemas); the page imports these
 * types only (no runtime code), so a change to the contract breaks its build, not its users.
 */
import type { ReasonPart, RecommendFilters } from './recommender.contract';

/**
 * The poster at the TMDB widths the page uses: the gateway's own `/posters/{size}/{tconst}.jpg`,
 * relative to the gateway (the widget, on another site, resolves them against its API base).
 */
export interface PosterUrls {
  w185: string;
  w342: string;
  w500: string;
}

export interface SearchHit {
  tconst: string;
  /** What to show a French reader: the French title when known, else the primary title. */
  title: string;
  primaryTitle: string;
  originalTitle: string;
  frenchTitle: string | null;
  /** Start year: tells homonyms apart. */
  year: number | null;
  titleType: string;
  genres: string[];
  rating: number | null;
  votes: number;
  poster: PosterUrls | null;
  /** How the query matched, best first: exact title, title prefix, then trigram similarity. */
  match: 'exact' | 'prefix' | 'similar';
}

export interface SearchResponse {
  query: string;
  items: SearchHit[];
}

export interface PersonRef {
  nconst: string;
  name: string;
}

export interface CastMember extends PersonRef {
  /** IMDb principal category: actor, actress, self. */
  category: string;
  characters: string[];
}

export interface FilmDetail {
  tconst: string;
  title: string;
  primaryTitle: string;
  originalTitle: string;
  frenchTitle: string | null;
  titleType: string;
  year: number | null;
  endYear: number | null;
  runtimeMinutes: number | null;
  genres: string[];
  rating: number | null;
  votes: number;
  directors: PersonRef[];
  writers: PersonRef[];
  /** Top-billed cast, in billing order. */
  cast: CastMember[];
  overview: string | null;
  /** Null when no TMDB poster path is known. */
  poster: PosterUrls | null;
  /** ISO 3166-1 alpha-2 production countries (TMDB), empty when unknown. */
  countries: string[];
  originalLanguage: string | null;
  /** US dollars; null when unknown (TMDB's 0 means unknown). */
  budget: number | null;
  revenue: number | null;
  collection: string | null;
}

export interface RecommendationsRequest {
  /** tconsts ("tt0110912") or titles ("pulp fiction", "le parrain"). */
  liked: string[];
  disliked?: string[];
  /** 1..50, default 10. */
  k?: number;
  filters?: RecommendFilters;
  /** 0..1, default 0: 1 asks for the most varied list ("Découverte"). */
  diversity?: number;
  /**
   * A random id the page makes once per visit (a UUID v4): what the visit liked is learned once,
   * as counts (docs/recommender.md, "Learning from customers"). Never stored; absent: nothing is learned.
   */
  visitId?: string;
}

/** What one `liked`/`disliked` entry was understood as. */
export interface ResolvedEntry {
  input: string;
  status: 'resolved' | 'not_found';
  /** The film it resolved to (a tconst input resolves to itself when known). */
  tconst: string | null;
  title: string | null;
  year: number | null;
}

export interface Recommendation extends FilmDetail {
  score: number;
  reason: { fr: string; en: string };
  reasons: ReasonPart[];
}

export interface RecommendationsResponse {
  /** The embedding version that answered. */
  version: number;
  /** True when nothing liked could be used: well-rated popular films. */
  coldStart: boolean;
  resolved: { liked: ResolvedEntry[]; disliked: ResolvedEntry[] };
  items: Recommendation[];
}

export interface KpiSummary {
  name: string;
  title: { fr: string; en: string };
  description: { fr: string; en: string };
  columns: { name: string; type: string; description: { fr: string; en: string } }[];
}

export interface KpiData extends KpiSummary {
  rows: Record<string, unknown>[];
}

/**
 * Public catalogue state, so the page can say "catalogue loading: 42 %" on a fresh install.
 * A fixed public vocabulary: never an error text, a path or a source (those are in the admin
 * run view and the logs).
 */
export interface CatalogueStatus {
  films: number;
  series: number;
  /** True once a catalogue has been imported and recommendations can be served. */
  ready: boolean;
  /**
   * True when this install learns from visits (LEARN_FROM_VISITS): the page then sends its visit
   * id and says what is kept; false, it sends none and says nothing of it.
   */
  learnsFromVisits: boolean;
  import: {
    /**
     * `failed`: the last import failed (the catalogue served is unchanged), or its post-import
     * steps failed (the new catalogue serves with the previous suggestions and figures).
     */
    state: 'idle' | 'queued' | 'running' | 'failed';
    /** 0..1 when running and known. */
    progress: number | null;
    /** The running step, from a fixed list: an IMDb dataset name, "TMDB", "download title.basics", "finishing", then "embeddings", "KPI", "post-import"; with a percentage while importing. */
    step: string | null;
    finishedAt: string | null;
    /** One plain sentence for the state, from a fixed list. */
    message: { fr: string; en: string };
  };
}

/** Every error answer (4xx/5xx): never internals. */
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
}
