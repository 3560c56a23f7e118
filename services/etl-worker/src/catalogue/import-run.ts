import { type ImportProgress, type Logger, redact } from '@cine/common';
import type { CatalogueRepository } from './catalogue.repository';
import type { LedgerRepository, RunOutcome } from './ledger.repository';

/** What a caller gives an import besides its payload. */
export interface ImportContext {
  jobId?: string | null;
  onProgress?: (progress: ImportProgress) => void;
  /** Aborting stops the import at the next piece of input, as a failed run: nothing swapped. */
  signal?: AbortSignal;
}

/** Another import holds the lock; retrying later is the right answer. */
export class ImportBusyError extends Error {
  constructor() {
    super('another import is running on this database; try again when it ends');
    this.name = 'ImportBusyError';
  }
}

/** The import was asked to stop (SIGTERM, Ctrl-C): retrying later is the right answer. */
export class ImportInterruptedError extends Error {
  constructor(reason: unknown) {
    super(`import interrupted${reason instanceof Error ? `: ${reason.message}` : typeof reason === 'string' ? `: ${reason}` : ''}`);
    this.name = 'ImportInterruptedError';
  }
}

export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ImportInterruptedError(signal.reason);
}

/** Why a file fails for its share of malformed rows, or null when within `maxShare`. */
export function rejectShareProblem(
  rejected: number,
  total: number,
  maxShare: number,
  samples: ReadonlyArray<{ line: number; reason: string }>,
  what = 'malformed',
): string | null {
  if (rejected === 0 || rejected / total <= maxShare) return null;
  const first = samples.slice(0, 3).map((r) => `line ${r.line}: ${r.reason}`).join('; ');
  return `${rejected} of ${total} rows ${what} (${((100 * rejected) / total).toFixed(3)}%, above the ${(100 * maxShare).toFixed(3)}% allowed); ${first}`;
}

export interface LedgeredRun {
  kind: 'imdb' | 'tmdb';
  sources: string[];
  policy: unknown;
  jobId: string | null;
}

type Success = Omit<RunOutcome, 'status' | 'error'>;

/**
 * The lifecycle every import shares: one import at a time (the database lock), runs left
 * 'running' by a killed process marked abandoned, a ledger row for the run, and on failure the
 * import's own cleanup and the failure recorded, without ever hiding the import's own error.
 */
export async function runLedgered<T>(
  deps: { catalogue: CatalogueRepository; ledger: LedgerRepository; log: Logger },
  run: LedgeredRun,
  body: (runId: number) => Promise<{ result: T; outcome: Success }>,
  onFailure: { cleanup: () => Promise<void>; counts?: () => { rowsRead: number; rowsRejected: number } },
): Promise<T> {
  const release = await deps.catalogue.lockImports();
  if (!release) throw new ImportBusyError();
  try {
    const abandoned = await deps.ledger.abandonStaleRuns();
    if (abandoned > 0) deps.log.warn({ abandoned }, 'marked imports left running by a stopped process as abandoned');
    const runId = await deps.ledger.startRun(run.kind, run.sources.map(redact), run.policy, run.jobId);
    try {
      const { result, outcome } = await body(runId);
      await deps.ledger.finishRun(runId, { ...outcome, status: 'succeeded', error: null });
      return result;
    } catch (err) {
      await onFailure.cleanup().catch(() => {});
      const counts = onFailure.counts?.() ?? { rowsRead: 0, rowsRejected: 0 };
      await deps.ledger
        .finishRun(runId, {
          status: 'failed',
          ...counts,
          rowsKept: 0,
          catalogueSchema: null,
          summary: {},
          error: err instanceof Error ? err.message : String(err),
        })
        .catch(() => {});
      throw err;
    }
  } finally {
    await release();
  }
}
