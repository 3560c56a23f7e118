import type { DbHandle } from '@cine/db';

/** The embedding versions the recommender serves from, as the gateway's response cache needs them. */
export class RecommenderVersionRepository {
  constructor(private readonly handle: DbHandle) {}

  /**
   * The newest version built and marked ready: the one the recommender serves, or will once its
   * poll sees it. One probe of the partial index `recommender_version_ready`. Null: none yet.
   */
  async newestReady(): Promise<number | null> {
    const row = await this.handle.db
      .selectFrom('recommender_version')
      .select('id')
      .where('status', '=', 'ready')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? null;
  }
}
