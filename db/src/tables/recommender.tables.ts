/**
 * Tables of the recommender (embedding versions). Filled in by the recommender's migration
 * `20261125100000_recommender`; gathered into `Database` in `database.ts`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface RecommenderTables {}
