import type { ImportProgress } from '@cine/common';

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

/**
 * The new catalogue is much smaller than the one served: refused unless the run allows it, so a
 * truncated but valid download cannot empty the cinema's catalogue. Bad input, not retried.
 */
export class CatalogueShrinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogueShrinkError';
  }
}
