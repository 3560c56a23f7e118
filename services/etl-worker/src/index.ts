/** What other packages use from the ETL: the queue (producer side), the services and the worker. */
export * from './config';
export * from './etl.services';
export * from './jobs/etl-queue';
export * from './jobs/etl-queue.repository';
export * from './jobs/etl.worker';
export * from './jobs/in-process.queue';
export * from './jobs/post-import.service';
export * from './jobs/post-import.hooks';
export * from './sources/stall-watchdog';
