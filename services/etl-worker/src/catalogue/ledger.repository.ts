import { redact, redactDeep, redactText } from '@cine/common';
import { type DbHandle, type ImportFileStatus, type ImportRunStatus, jsonb } from '@cine/db';
import { sql } from 'kysely';

export interface FileOutcome {
  status: Exclude<ImportFileStatus, 'running'>;
  bytes: number | null;
  sha256: string | null;
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  filterStats: Record<string, number>;
  rejectSamples: Array<{ line: number; reason: string }>;
  error: string | null;
}

export interface RunOutcome {
  status: Exclude<ImportRunStatus, 'running'>;
  rowsRead: number;
  rowsKept: number;
  rowsRejected: number;
  catalogueSchema: string | null;
  summary: Record<string, unknown>;
  error: string | null;
}

/**
 * The import ledger: one row per run, one per file of each run. Written outside any catalogue
 * transaction, so a failed run is still recorded. Sources and errors are stored redacted: a
 * source URL's password, or a library's message repeating it, never reaches the table.
 */
export class LedgerRepository {
  constructor(private readonly handle: DbHandle) {}

  async startRun(kind: 'imdb' | 'tmdb', sources: string[], policy: unknown, jobId: string | null): Promise<number> {
    const row = await this.handle.db
      .insertInto('import_run')
      .values({ kind, status: 'running', sources: sources.map(redact), policy: jsonb(policy), job_id: jobId })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Runs still 'running' while we hold the import lock were killed: say so. */
  async abandonStaleRuns(): Promise<number> {
    const result = await this.handle.db
      .updateTable('import_run')
      .set({ status: 'abandoned', finished_at: new Date(), error: 'the process running this import stopped before it ended' })
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async finishRun(id: number, outcome: RunOutcome): Promise<void> {
    await this.handle.db
      .updateTable('import_run')
      .set({
        status: outcome.status,
        finished_at: new Date(),
        duration_ms: sql<number>`(extract(epoch FROM now() - started_at) * 1000)::int`,
        rows_read: outcome.rowsRead,
        rows_kept: outcome.rowsKept,
        rows_rejected: outcome.rowsRejected,
        catalogue_schema: outcome.catalogueSchema,
        summary: jsonb(redactDeep(outcome.summary)),
        error: outcome.error === null ? null : redactText(outcome.error),
      })
      .where('id', '=', id)
      .execute();
  }

  async startFile(runId: number, dataset: string, source: string): Promise<number> {
    const row = await this.handle.db
      .insertInto('import_file')
      .values({ run_id: runId, dataset, source: redact(source), status: 'running' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async recordAbsent(runId: number, dataset: string, source: string): Promise<void> {
    await this.handle.db
      .insertInto('import_file')
      .values({ run_id: runId, dataset, source: redact(source), status: 'absent', finished_at: new Date(), duration_ms: 0 })
      .execute();
  }

  async finishFile(id: number, outcome: FileOutcome): Promise<void> {
    await this.handle.db
      .updateTable('import_file')
      .set({
        status: outcome.status,
        bytes: outcome.bytes,
        sha256: outcome.sha256,
        rows_read: outcome.rowsRead,
        rows_kept: outcome.rowsKept,
        rows_rejected: outcome.rowsRejected,
        filter_stats: jsonb(outcome.filterStats),
        reject_samples: jsonb(redactDeep(outcome.rejectSamples)),
        finished_at: new Date(),
        duration_ms: sql<number>`(extract(epoch FROM now() - started_at) * 1000)::int`,
        error: outcome.error === null ? null : redactText(outcome.error),
      })
      .where('id', '=', id)
      .execute();
  }
}
