import type { ColumnType, Generated } from 'kysely';

/**
 * Tables of the recommender (embedding versions). Filled in by the recommender's migration
 * `20261125100000_recommender`; gathered into `Database` in `database.ts`.
 */
export interface RecommenderVersionTable {
  id: Generated<number>;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  status: 'ready' | 'failed';
  dims: number;
  films: number;
  /** The import run whose catalogue this version was built from (null: unknown). */
  import_run_id: number | null;
  stats: ColumnType<Record<string, unknown>, Record<string, unknown> | string | undefined, Record<string, unknown> | string>;
  /** sha256 hex over `items`, `vectors` then `encoder` (when present), computed when written. */
  checksum: string;
  /** UTF-8 JSON: the films of the version in row order, with what filters and priors need. */
  items: Uint8Array;
  /** float32 little-endian, films × dims, row-major, each row L2-normalised. */
  vectors: Uint8Array;
  /**
   * The encoder (features → learned block) for titles outside the index: a JSON header (vocabulary,
   * document frequencies, weights) then float32 LE projection. Null in versions built before it
   * (migration `20261125120000_recommender_encoder`). Covered by `checksum` when present.
   */
  encoder: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
}

export interface RecommenderTables {
  recommender_version: RecommenderVersionTable;
}
