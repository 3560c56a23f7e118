import type { DbHandle } from '@cine/db';
import { sql } from 'kysely';

export interface LedgerRun {
  status: 'running' | 'succeeded' | 'failed' | 'abandoned';
  finished_at: Date | null;
  /** The dataset a running import is reading now. */
  current_file: string | null;
}

/** Catalogue counts and the import ledger, for the public status the page polls. */
export class CatalogueStatusRepository {
  constructor(private readonly handle: DbHandle) {}

  async counts(): Promise<{ films: number; series: number }> {
    const { rows } = await sql<{ films: number; series: number }>`
      select count(*) filter (where title_type = 'movie')::int as films,
             count(*) filter (where title_type in ('tvSeries', 'tvMiniSeries'))::int as series
      from public.title`.execute(this.handle.db);
    return rows[0] ?? { films: 0, series: 0 };
  }

  /** Whether the recommender has a version to serve (it may lag the catalogue by one build). */
  async hasEmbeddings(): Promise<boolean> {
    const row = await this.handle.db.selectFrom('recommender_version').select('id').where('status', '=', 'ready').limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async latestRun(): Promise<LedgerRun | null> {
    const run = await this.handle.db
      .selectFrom('import_run')
      .select(['id', 'status', 'finished_at'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!run) return null;
    const file =
      run.status === 'running'
        ? await this.handle.db
            .selectFrom('import_file')
            .select('dataset')
            .where('run_id', '=', run.id)
            .where('status', '=', 'running')
            .orderBy('id', 'desc')
            .limit(1)
            .executeTakeFirst()
        : undefined;
    return { status: run.status, finished_at: run.finished_at, current_file: file?.dataset ?? null };
  }

  /** When the last successful import ended. */
  async lastSuccess(): Promise<Date | null> {
    const row = await this.handle.db
      .selectFrom('import_run')
      .select('finished_at')
      .where('status', '=', 'succeeded')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.finished_at ?? null;
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.handle.db);
  }
}
