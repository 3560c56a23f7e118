import type { DbHandle } from '../db.factory';
import { sql } from 'kysely';
import type { Contribution } from './visit-ledger';

export interface TasteCounts {
  films: number;
  pairs: number;
}

export interface TasteFilmCounts {
  tconst: string;
  likes: number;
  dislikes: number;
  visits: number;
}

export interface TastePairCount {
  filmA: string;
  filmB: string;
  coLikes: number;
}

/**
 * The taste store's tables (`taste_film`, `taste_pair`): counts added (the gateway, from its
 * visits; the quality harness, from MovieLens users through the same code), read (the
 * recommender's collaborative block), and wiped.
 */
export class TasteStoreRepository {
  constructor(private readonly handle: DbHandle) {}

  /**
   * Adds one visit's new films and pairs to the counts, in one transaction. Rows go in sorted
   * order, films before pairs, so two visits writing the same films never deadlock.
   */
  async add(contribution: Contribution): Promise<void> {
    const films = [
      ...contribution.likes.map((tconst) => ({ tconst, likes: 1, dislikes: 0, visits: 1 })),
      ...contribution.dislikes.map((tconst) => ({ tconst, likes: 0, dislikes: 1, visits: 1 })),
    ].sort((a, b) => (a.tconst < b.tconst ? -1 : 1));
    if (films.length === 0) return;
    const pairs = contribution.pairs
      .map(([film_a, film_b]) => ({ film_a, film_b, co_likes: 1 }))
      .sort((a, b) => (a.film_a === b.film_a ? (a.film_b < b.film_b ? -1 : 1) : a.film_a < b.film_a ? -1 : 1));
    await this.handle.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('taste_film')
        .values(films)
        .onConflict((oc) =>
          oc.column('tconst').doUpdateSet({
            likes: sql`taste_film.likes + excluded.likes`,
            dislikes: sql`taste_film.dislikes + excluded.dislikes`,
            visits: sql`taste_film.visits + excluded.visits`,
          }),
        )
        .execute();
      if (pairs.length === 0) return;
      await trx
        .insertInto('taste_pair')
        .values(pairs)
        .onConflict((oc) => oc.columns(['film_a', 'film_b']).doUpdateSet({ co_likes: sql`taste_pair.co_likes + excluded.co_likes` }))
        .execute();
    });
  }

  /** Forgets everything learned; says how many film and pair rows went. */
  async wipe(): Promise<TasteCounts> {
    return this.handle.db.transaction().execute(async (trx) => {
      const pairs = await trx.deleteFrom('taste_pair').executeTakeFirst();
      const films = await trx.deleteFrom('taste_film').executeTakeFirst();
      return { films: Number(films.numDeletedRows), pairs: Number(pairs.numDeletedRows) };
    });
  }

  /** Every count, for the collaborative block: films by tconst, pairs by (film_a, film_b). */
  async read(): Promise<{ films: TasteFilmCounts[]; pairs: TastePairCount[] }> {
    const [films, pairs] = await Promise.all([
      this.handle.db.selectFrom('taste_film').select(['tconst', 'likes', 'dislikes', 'visits']).orderBy('tconst').execute(),
      this.handle.db.selectFrom('taste_pair').select(['film_a', 'film_b', 'co_likes']).orderBy('film_a').orderBy('film_b').execute(),
    ]);
    return { films, pairs: pairs.map((p) => ({ filmA: p.film_a, filmB: p.film_b, coLikes: p.co_likes })) };
  }
}
