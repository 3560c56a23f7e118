import type { Database, DbHandle } from '@cine/db';
import { type Kysely, sql } from 'kysely';

export const TMDB_STAGING_COLUMNS = [
  'seq', 'imdb_id', 'tmdb_id', 'title', 'original_title', 'original_language', 'overview', 'tagline', 'poster_path',
  'backdrop_path', 'popularity', 'budget', 'revenue', 'runtime', 'release_date', 'production_countries',
  'spoken_languages', 'genres', 'production_companies', 'collection_id', 'collection_name', 'vote_average', 'vote_count',
] as const;

const TABLE_COLUMNS = TMDB_STAGING_COLUMNS.filter((c) => c !== 'seq').join(', ');

/** TMDB rows: loaded into an unlogged staging table, then replace `title_tmdb` in the run's swap transaction. */
export class TmdbRepository {
  constructor(private readonly handle: DbHandle) {}

  async clearStaging(): Promise<void> {
    await sql`TRUNCATE tmdb_staging`.execute(this.handle.db);
  }

  copyStaging(chunks: AsyncIterable<string>): Promise<void> {
    return this.handle.copyInto('tmdb_staging', TMDB_STAGING_COLUMNS, chunks);
  }

  /**
   * Replace every TMDB row; for an imdb_id loaded twice the last one (highest seq) wins. Runs on
   * `db`, the transaction that also swaps the IMDb catalogue, so readers see both or neither.
   */
  async replaceFromStaging(db: Kysely<Database>): Promise<{ rows: number; duplicates: number }> {
    await sql`DELETE FROM title_tmdb`.execute(db);
    const inserted = await sql
      .raw(
        `INSERT INTO title_tmdb (${TABLE_COLUMNS})
         SELECT DISTINCT ON (imdb_id) ${TABLE_COLUMNS} FROM tmdb_staging ORDER BY imdb_id, seq DESC`,
      )
      .execute(db);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tmdb_staging`.execute(db);
    const total = rows[0]?.n ?? 0;
    const kept = Number(inserted.numAffectedRows ?? 0);
    return { rows: kept, duplicates: total - kept };
  }

  /** Films the staged files describe (distinct imdb_id), and films `title_tmdb` describes now. */
  async filmCounts(): Promise<{ staged: number; serving: number }> {
    const { rows } = await sql<{ staged: number; serving: number }>`
      SELECT (SELECT count(DISTINCT imdb_id) FROM tmdb_staging)::int AS staged,
             (SELECT count(*) FROM title_tmdb)::int AS serving`.execute(this.handle.db);
    return rows[0] ?? { staged: 0, serving: 0 };
  }

  /** How many TMDB rows describe a title of the current catalogue. */
  async matchedTitles(): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM title_tmdb m JOIN title t ON t.tconst = m.imdb_id`.execute(this.handle.db);
    return rows[0]?.n ?? 0;
  }
}
