import { type Handlers, JobName, type JobsOfQueue, type QueueName } from '@cine/common';
import { UnrecoverableError } from 'bullmq';
import type { CatalogueImportService } from '../catalogue/catalogue-import.service';
import { CatalogueShrinkError } from '../catalogue/import-run';
import { ImdbInputError } from '../imdb/imdb-datasets';
import { SourceMissingError } from '../sources/source.repository';
import { TmdbInputError } from '../tmdb/tmdb-record';
import type { PostImportService } from './post-import.service';

/** The jobs of the `etl` queue, each with its handler: one missing is a compile error. */
export type EtlHandlers = Handlers<JobsOfQueue<QueueName.Etl>>;

/** The same handlers run in the BullMQ worker and in-process (`npm start`, `npm run etl`). */
export function createEtlHandlers(services: {
  importer: CatalogueImportService;
  refreshKpis: () => Promise<unknown>;
  postImport: PostImportService;
}): EtlHandlers {
  return {
    [JobName.ImportCatalogue]: (data, ctx) => services.importer.run(data, ctx),
    [JobName.RefreshKpis]: () => services.refreshKpis(),
    [JobName.PostImport]: (_data, ctx) => services.postImport.record(ctx.earlierFailures),
  };
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
