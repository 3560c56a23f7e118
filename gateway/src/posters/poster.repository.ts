import type { DbHandle } from '@cine/db';

/** The film's TMDB poster path (title_tmdb, written by the etl-worker's TMDB import). */
export class PosterRepository {
  constructor(private readonly handle: DbHandle) {}

  /** Null when the film has no TMDB row or the row no poster. */
  async posterPath(tconst: string): Promise<string | null> {
    const row = await this.handle.db.selectFrom('title_tmdb').select('poster_path').where('imdb_id', '=', tconst).executeTakeFirst();
    return row?.poster_path ?? null;
  }
}
