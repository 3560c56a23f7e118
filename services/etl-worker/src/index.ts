/** What the all-in-one composition (infra/standalone) uses from the ETL: the services, their job handlers, the first import. */
export * from './config';
export * from './etl.services';
export { type EtlHandlers, isBadInput } from './jobs/etl.processors';
export { PostImportService } from './jobs/post-import.service';
export * from './sources/stall-watchdog';
export { ConsoleProgress } from './cli/console-progress';
export { CachingImportQueue } from './first-import/caching-import-queue';
export { CatalogueStateRepository } from './first-import/catalogue-state.repository';
export { type FirstImportOutcome, FirstImportService } from './first-import/first-import.service';
export { DownloadCacheRepository, type DownloadProgress } from './sources/download-cache.repository';
