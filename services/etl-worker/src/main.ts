import { ConfigError, createLogger, exitOnStopSignals, QueueName, startJobWorker } from '@cine/common';
import { openDatabase } from '@cine/db';
import { loadEtlConfig } from './config';
import { createEtlServices } from './etl.services';
import { startWorkerHttp } from './http/worker.http';
import { isBadInput } from './jobs/etl.processors';

/** The ETL worker process (compose's `etl-worker`): takes the `etl` queue's jobs from BullMQ (imports, KPI refresh, post-import). */
async function main(): Promise<void> {
  const config = loadEtlConfig();
  const log = createLogger('etl-worker', { level: config.logLevel });
  if (!config.redisUrl) throw new ConfigError(['REDIS_URL is required by the worker (the embedded default runs jobs in-process: npm start)']);
  if (!config.databaseUrl) throw new ConfigError(['DATABASE_URL is required by the worker']);
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, applicationName: 'etl-worker' });
  const { handlers } = createEtlServices(handle, { log, http: config.http });
  const etlWorker = startJobWorker(handlers, { queue: QueueName.Etl, redisUrl: config.redisUrl, ...config.jobs, isBadInput }, log);
  await etlWorker.worker.waitUntilReady();
  const http = await startWorkerHttp({ ...config.healthHttp, handle, etlWorker, log });
  log.info({ health: http.url }, 'etl worker ready');

  exitOnStopSignals(
    log,
    async (signal) => {
      await etlWorker.stop(signal);
      await http.close();
      await handle.close();
    },
    { doing: 'interrupting the running import, which goes back to the queue' },
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`etl-worker: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
