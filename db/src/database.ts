import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { FilmIndexTables } from './tables/film-index.tables';
import type { KpiTables } from './tables/kpi.tables';
import type { NotificationTables } from './tables/notifications.tables';
import type { ProgrammeTables } from './tables/programme.tables';
import type { RecommenderTables } from './tables/recommender.tables';
import type { TasteStoreTables } from './tables/taste-store.tables';

/**
 * One interface for the whole database, as Kysely wants it. The catalogue names (`title`,
 * `credit`, …) are the public views over the active catalogue schema; see the first migration.
 */

/** int8 columns are parsed to JS numbers by the db factory (all our counts fit in 2^53). */
type Int8 = ColumnType<number, number | string, number | string>;
/** An int8 column with a default: optional on insert. */
type Int8Default = ColumnType<number, number | string | undefined, number | string>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface TitleTable {
  tconst: string;
  title_type: string;
  primary_title: string;
  original_title: string;
  french_title: string | null;
  is_adult: boolean;
  start_year: number | null;
  end_year: number | null;
  runtime_minutes: number | null;
  genres: string[];
  average_rating: number | null;
  num_votes: number;
  episode_count: number | null;
  season_count: number | null;
  /** The distinct normalised titles, one per line (generated; trigram-indexed for the search). */
  search_text: ColumnType<string, never, never>;
}

export interface TitleAkaTable {
  tconst: string;
  ordering: number;
  title: string;
  region: string | null;
  language: string | null;
  types: string[];
  attributes: string[];
  is_original_title: boolean | null;
}

export interface PersonTable {
  nconst: string;
  primary_name: string;
  birth_year: number | null;
  death_year: number | null;
  primary_professions: string[];
  known_for_titles: string[];
}

export interface CreditTable {
  tconst: string;
  ordering: number;
  nconst: string;
  category: string;
  job: string | null;
  characters: string[] | null;
}

export interface CrewTable {
  tconst: string;
  role: 'director' | 'writer';
  ordering: number;
  nconst: string;
}

export interface TitleTmdbTable {
  imdb_id: string;
  tmdb_id: number | null;
  title: string | null;
  original_title: string | null;
  original_language: string | null;
  overview: string | null;
  tagline: string | null;
  poster_path: string | null;
  backdrop_path: string | null;
  popularity: number | null;
  budget: Int8 | null;
  revenue: Int8 | null;
  runtime: number | null;
  /** 'YYYY-MM-DD': the factory keeps SQL dates as text, so no time zone can shift them. */
  release_date: string | null;
  production_countries: string[];
  spoken_languages: string[];
  genres: string[];
  production_companies: string[];
  collection_id: number | null;
  collection_name: string | null;
  vote_average: number | null;
  vote_count: number | null;
}

export interface CatalogueStateTable {
  id: Generated<boolean>;
  active_schema: 'catalogue_a' | 'catalogue_b';
  import_run_id: number | null;
  swapped_at: Date | null;
  post_import_status: PostImportStatus | null;
  post_import_error: string | null;
  post_import_at: Date | null;
}

/** Where the steps that follow a swap (embeddings, KPI refresh) stand for the catalogue served. */
export type PostImportStatus = 'pending' | 'running' | 'succeeded' | 'failed';

export type ImportRunStatus = 'running' | 'succeeded' | 'failed' | 'abandoned';

export interface ImportRunTable {
  id: Generated<number>;
  kind: 'imdb' | 'tmdb';
  status: ImportRunStatus;
  sources: string[];
  policy: ColumnType<unknown, unknown, unknown>;
  job_id: string | null;
  started_at: Timestamp;
  finished_at: Date | null;
  duration_ms: number | null;
  rows_read: Int8Default;
  rows_kept: Int8Default;
  rows_rejected: Int8Default;
  catalogue_schema: string | null;
  summary: ColumnType<Record<string, unknown>, Record<string, unknown> | undefined, Record<string, unknown>>;
  error: string | null;
}

export type ImportFileStatus = 'running' | 'loaded' | 'absent' | 'failed';

export interface RejectSample {
  line: number;
  reason: string;
}

export interface ImportFileTable {
  id: Generated<number>;
  run_id: number;
  /** The IMDb dataset ('title.basics', …) or 'tmdb'. */
  dataset: string;
  /** Path or URL, with credentials removed. */
  source: string;
  status: ImportFileStatus;
  bytes: Int8 | null;
  sha256: string | null;
  rows_read: Int8Default;
  rows_kept: Int8Default;
  rows_rejected: Int8Default;
  /** Rows dropped by each rule of the filter policy, by rule id. */
  filter_stats: ColumnType<Record<string, number>, Record<string, number> | undefined, Record<string, number>>;
  /** The first rejected rows: line number and reason. */
  reject_samples: ColumnType<RejectSample[], RejectSample[] | undefined, RejectSample[]>;
  started_at: Timestamp;
  finished_at: Date | null;
  duration_ms: number | null;
  error: string | null;
}

/** Each feature's tables live in `tables/*.tables.ts` and join here. */
export interface Database extends RecommenderTables, KpiTables, ProgrammeTables, FilmIndexTables, TasteStoreTables, NotificationTables {
  title: TitleTable;
  title_aka: TitleAkaTable;
  person: PersonTable;
  credit: CreditTable;
  crew: CrewTable;
  title_tmdb: TitleTmdbTable;
  catalogue_state: CatalogueStateTable;
  import_run: ImportRunTable;
  import_file: ImportFileTable;
}

export type Title = Selectable<TitleTable>;
export type Person = Selectable<PersonTable>;
export type Credit = Selectable<CreditTable>;
export type ImportRun = Selectable<ImportRunTable>;
export type ImportFile = Selectable<ImportFileTable>;
export type NewImportFile = Insertable<ImportFileTable>;
