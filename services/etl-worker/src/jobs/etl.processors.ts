import { type ImportProgress, JobName, type JobPayloads } from '@cine/common';
import { UnrecoverableError } from 'bullmq';
import { ImdbInputError } from '../imdb/imdb-datasets';
import type { CatalogueImportService } from '../catalogue/catalogue-import.service';
import { CatalogueShrinkError } from '../catalogue/import-run';
import { SourceMissingError } from '../sources/source.repository';
import { TmdbInputError } from '../tmdb/tmdb-record';
import type { PostImportService } from './post-import.service';

export interface JobContext {
  jobId: string | null;
  onProgress: (progress: ImportProgress) => void;
  signal?: AbortSignal;
}

export type Processors = { [K in JobName]: (data: JobPayloads[K], ctx: JobContext) => Promise<unknown> };

/** The same processors run in the BullMQ worker and in-process (embedded default, `npm run etl`). */
export function createProcessors(services: { importer: CatalogueImportService; postImport: PostImportService }): Processors {
  const processors: Processors = {
    [JobName.ImportCatalogue]: (data, ctx) => services.importer.run(data, ctx),
    [JobName.PostImport]: (data) => services.postImport.run(data),
  };
  assertEveryJobHasHandler(processors);
  return processors;
}

/** A job name without a handler would sit in the queue forever: refuse to start instead. */
export function assertEveryJobHasHandler(processors: Partial<Record<string, unknown>>): void {
  const missing = Object.values(JobName).filter((name) => typeof processors[name] !== 'function');
  if (missing.length > 0) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
}

/** Bad input will be just as bad on the next attempt: tell BullMQ not to retry it. */
export function isBadInput(err: unknown): boolean {
  return (
    err instanceof ImdbInputError ||
    err instanceof TmdbInputError ||
    err instanceof SourceMissingError ||
    err instanceof CatalogueShrinkError ||
    err instanceof UnrecoverableError
  );
}
