import type { DbHandle, PostImportStatus } from '@cine/db';
import { sql } from 'kysely';

export interface LedgerRun {
  status: 'running' | 'succeeded' | 'failed' | 'abandoned';
  finished_at: Date | null;
  /** The dataset a running import is reading now. */
  current_file: string | null;
}

export interface PostImportState {
  status: PostImportStatus;
  error: string | null;
  at: Date | null;
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

  /**
   * The newest embedding version built and marked ready: the one the recommender serves, or will
   * once its poll sees it (it may lag the catalogue by one build). One probe of the partial index
   * `recommender_version_ready`. Null: none yet. The status says "ready" from it, and the
   * recommendation cache empties itself when it changes.
   */
  async newestEmbeddingVersion(): Promise<number | null> {
    const row = await this.handle.db
      .selectFrom('recommender_version')
      .select('id')
      .where('status', '=', 'ready')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.id ?? null;
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

  /** Where the steps after the last swap stand; null when nothing was swapped since they are tracked. */
  async postImport(): Promise<PostImportState | null> {
    const row = await this.handle.db
      .selectFrom('catalogue_state')
      .select(['post_import_status', 'post_import_error', 'post_import_at'])
      .executeTakeFirst();
    if (!row?.post_import_status) return null;
    return { status: row.post_import_status, error: row.post_import_error, at: row.post_import_at };
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.handle.db);
  }
}
