import type { Logger } from '@cine/common';
import { type DbHandle, refreshKpis } from '@cine/db';
import { CatalogueImportService } from './catalogue/catalogue-import.service';
import { CatalogueRepository } from './catalogue/catalogue.repository';
import { LedgerRepository } from './catalogue/ledger.repository';
import { ImdbImportService } from './imdb/imdb-import.service';
import { createEtlHandlers, type EtlHandlers } from './jobs/etl.processors';
import { PostImportService } from './jobs/post-import.service';
import { type SourceOptions, SourceRepository } from './sources/source.repository';
import { TmdbImportService } from './tmdb/tmdb-import.service';
import { TmdbRepository } from './tmdb/tmdb.repository';

/** The ETL's composition root: repositories over one database handle, the services, the job handlers. */
export function createEtlServices(handle: DbHandle, opts: { log: Logger; http: SourceOptions }) {
  const catalogue = new CatalogueRepository(handle);
  const ledger = new LedgerRepository(handle);
  const sources = new SourceRepository(opts.http);
  const tmdbRows = new TmdbRepository(handle);
  const imdb = new ImdbImportService(catalogue, ledger, sources, opts.log.child({ step: 'imdb' }));
  const tmdb = new TmdbImportService(tmdbRows, ledger, sources, opts.log.child({ step: 'tmdb' }));
  const importer = new CatalogueImportService(catalogue, tmdbRows, ledger, imdb, tmdb, opts.log.child({ step: 'import' }));
  const postImport = new PostImportService(catalogue, opts.log.child({ step: 'post-import' }));
  const kpiLog = opts.log.child({ step: 'refresh-kpis' });
  const refresh = async () => {
    const timings = await refreshKpis(handle, kpiLog);
    kpiLog.info({ views: timings.length, ms: timings.reduce((sum, t) => sum + t.ms, 0) }, 'kpi views refreshed');
    return { views: timings.length };
  };
  const handlers: EtlHandlers = createEtlHandlers({ importer, refreshKpis: refresh, postImport });
  return { catalogue, ledger, importer, postImport, refreshKpis: refresh, handlers };
}

export type EtlServices = ReturnType<typeof createEtlServices>;
