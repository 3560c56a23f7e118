import type { ColumnType } from 'kysely';

/**
 * The taste store (migration `20261210090000_taste_store`): counts learned from the customers'
 * visits, owned by the gateway (it writes them), read by the recommender. Counts only: no visit,
 * address or basket is ever a column.
 */
type Count = ColumnType<number, number | undefined, number>;

export interface TasteFilmTable {
  tconst: string;
  /** Visits that liked the film. */
  likes: Count;
  /** Visits that did not want it. */
  dislikes: Count;
  /** Visits that named it, liked or not: its evidence. */
  visits: Count;
}

export interface TastePairTable {
  /** The pair's smaller tconst (film_a < film_b). */
  film_a: string;
  film_b: string;
  /** Visits that liked both. */
  co_likes: Count;
}

export interface TasteStoreTables {
  taste_film: TasteFilmTable;
  taste_pair: TastePairTable;
}
