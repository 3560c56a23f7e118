import type { Logger } from '@cine/common';
import type { DbHandle } from '@cine/db';
import { CatalogueImportService } from './catalogue/catalogue-import.service';
import { CatalogueRepository } from './catalogue/catalogue.repository';
import { LedgerRepository } from './catalogue/ledger.repository';
import { ImdbImportService } from './imdb/imdb-import.service';
import { createProcessors, type Processors } from './jobs/etl.processors';
import { type PostImportHook, PostImportService } from './jobs/post-import.service';
import { type SourceOptions, SourceRepository } from './sources/source.repository';
import { TmdbImportService } from './tmdb/tmdb-import.service';
import { TmdbRepository } from './tmdb/tmdb.repository';

/** The ETL's composition root: repositories over one database handle, the services, the processors. */
export function createEtlServices(handle: DbHandle, opts: { log: Logger; http: SourceOptions; hooks?: PostImportHook[] }) {
  const catalogue = new CatalogueRepository(handle);
  const ledger = new LedgerRepository(handle);
  const sources = new SourceRepository(opts.http);
  const tmdbRows = new TmdbRepository(handle);
  const imdb = new ImdbImportService(catalogue, ledger, sources, opts.log.child({ step: 'imdb' }));
  const tmdb = new TmdbImportService(tmdbRows, ledger, sources, opts.log.child({ step: 'tmdb' }));
  const importer = new CatalogueImportService(catalogue, tmdbRows, ledger, imdb, tmdb, opts.log.child({ step: 'import' }));
  const postImport = new PostImportService(opts.hooks ?? [], catalogue, opts.log.child({ step: 'post-import' }));
  const processors: Processors = createProcessors({ importer, postImport });
  return { catalogue, ledger, importer, postImport, processors };
}

export type EtlServices = ReturnType<typeof createEtlServices>;
