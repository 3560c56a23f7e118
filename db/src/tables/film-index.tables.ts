import type { ColumnType } from 'kysely';

/**
 * Every film of title.basics, whatever the filter policy kept (migration 20261209090000_film_index):
 * what the programme's editor may name. A public view over the active catalogue schema.
 */
export interface FilmIndexTable {
  tconst: string;
  /** 'movie' or 'tvMovie'. */
  title_type: string;
  primary_title: string;
  original_title: string;
  start_year: number | null;
  runtime_minutes: number | null;
  genres: string[];
  /** Null when title.ratings has no row for the film (or no ratings file was given). */
  average_rating: number | null;
  num_votes: number | null;
  /** The distinct normalised names, one per line (generated; trigram-indexed). */
  search_text: ColumnType<string, never, never>;
}

export interface FilmIndexTables {
  film_index: FilmIndexTable;
}
