import { createLogger, exitOnStopSignals, openImportQueue, openNotifyQueue } from '@cine/common';
import { migrateToLatest, openDatabase } from '@cine/db';
import { NoImportQueue } from './admin/no-import-queue';
import { buildGateway } from './app';
import { loadGatewayConfig } from './config';
import { MetricsServer } from './http/metrics.server';
import { HttpRecommenderClient } from './recommendations/recommender.repository';

/** Stop waiting for in-flight requests after this long on SIGTERM. */
const SHUTDOWN_GRACE_MS = 10_000;

/** `npm run gateway`: the gateway alone, talking to the database, the queue and the recommender. */
async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const log = createLogger('gateway', { level: config.logLevel });
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, maxConnections: config.databasePoolSize, applicationName: 'gateway' });
  // The migrator holds a lock, so several services starting at once apply each migration once.
  await migrateToLatest(handle.db);
  // The gateway only produces jobs: the etl-worker and the recommender's build worker run them.
  const queue = config.redisUrl ? openImportQueue(config.redisUrl, config.queue, log) : new NoImportQueue();
  // The notifier's queue: a published or changed week, a cancelled séance become its jobs. Without
  // Redis there is no notifier to reach from this process (npm start wires its own in-process).
  const notify = config.redisUrl ? openNotifyQueue(config.redisUrl, config.queue, log) : undefined;
  const recommender = new HttpRecommenderClient(config.recommender.url, config.recommender.timeoutMs);
  const metrics = new MetricsServer(log);
  const app = await buildGateway({ config, handle, queue, recommender, log, metrics, ...(notify ? { notify } : {}) });
  await app.listen({ port: config.port, host: config.host });
  // On the same address as the public port, but never published by compose (docs/api.md).
  await metrics.listen(config.host, config.metricsPort);

  exitOnStopSignals(
    log,
    async () => {
      await app.close();
      await metrics.close();
      await queue.close();
      await notify?.close();
      await handle.close();
    },
    { doing: 'finishing in-flight requests', graceMs: SHUTDOWN_GRACE_MS },
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
