import { createLogger, type Handlers, type ImportJobName, type ImportQueue, InProcessImportQueue, type JobName, type JobWorker, type Logger, openImportQueue, QueueName, startJobWorker } from '@cine/common';
import { type DbHandle, migrateToLatest, openDatabase } from '@cine/db';
import { CachingImportQueue, CatalogueStateRepository, createEtlServices, DownloadCacheRepository, FirstImportService, isBadInput } from '@cine/etl-worker';
import { buildGateway, DEFAULT_WEB_ROOT, HttpRecommenderClient, ImportTracker, MetricsServer } from '@cine/gateway';
import { programmeJobs, type RunningNotifier, startNotifier } from '@cine/notifier';
import { buildEmbeddings, createEmbeddingHandlers, type RunningRecommender, startRecommender } from '@cine/recommender';
import type { FastifyInstance } from 'fastify';
import type { StandaloneConfig } from './config';
import { WebBuildRepository } from './web-build.repository';

export { CatalogueStateRepository, FirstImportService };

/** Every service of the product in this process, sharing one database handle. */
export interface StandaloneStack {
  handle: DbHandle;
  queue: ImportQueue;
  /** With REDIS_URL: the consumers of both queues, in this process. */
  workers: JobWorker[];
  recommender: RunningRecommender;
  /** On the loopback: the gateway forwards the subscription routes to it and enqueues its jobs. */
  notifier: RunningNotifier;
  /** Ready, not listening: the boot server's socket hands requests to `gateway.routing`. */
  gateway: FastifyInstance;
  /** The gateway's /metrics on the loopback's METRICS_PORT (listening unless that port was taken). */
  metrics: MetricsServer;
  imports: ImportTracker;
}

export async function startStandaloneStack(config: StandaloneConfig, say: (line: string) => void): Promise<StandaloneStack> {
  // A fresh clone has no built page yet: build it beside the database start, not before it.
  const web = new WebBuildRepository(DEFAULT_WEB_ROOT);
  const webBuilt = web.isBuilt() ? Promise.resolve(null) : (say('Building the customer page (first start)…'), web.build());
  const handle = await openDatabase({ databaseUrl: config.gateway.databaseUrl, dataDir: config.etl.pgliteDir, applicationName: 'npm start' });
  await migrateToLatest(handle.db);

  // The recommender listens on the loopback only: the gateway is the one public door.
  const recommender = await startRecommender({
    handle,
    log: createLogger('recommender', { level: config.recommender.logLevel }),
    host: '127.0.0.1',
    port: 0,
    pollIntervalMs: config.recommender.pollIntervalMs,
  });

  // The notifier after the recommender it asks for scores, on the loopback too; its jobs run in
  // this process (or on Redis with REDIS_URL), its emails go to SMTP_URL or DATA_DIR/outbox.
  const notifier = await startNotifier({
    handle,
    log: createLogger('notifier', { level: config.notifier.logLevel }),
    config: { ...config.notifier, host: '127.0.0.1', port: 0 },
    programme: programmeJobs({ recommenderUrl: recommender.url, maxPerWeek: config.notifier.maxPerWeek, claimLeaseMs: config.notifier.claimLeaseMs }),
  });
  if (!config.notifier.smtpUrl) say(`Emails are written to ${config.notifier.outboxDir} as .eml files (no SMTP_URL).`);

  // Every job's handler, each from the service that owns it: this is the one place that wires
  // the etl-worker and the recommender together.
  const etlLog = createLogger('etl-worker', { level: config.etl.logLevel });
  const { handlers: etlHandlers } = createEtlServices(handle, { log: etlLog, http: config.etl.http });
  const embeddingHandlers = createEmbeddingHandlers(handle, createLogger('embedding-builder', { level: config.recommender.logLevel }), {
    // In one process the new embeddings are served at once, not at the next poll.
    afterBuild: () => recommender.holder.refresh(),
  });
  const handlers: Handlers<ImportJobName> = { ...etlHandlers, ...embeddingHandlers };

  let inner: ImportQueue;
  const workers: JobWorker[] = [];
  if (config.etl.redisUrl) {
    // Guarded: with Redis away, enqueue answers 503 at once instead of waiting for a reconnection.
    inner = openImportQueue(config.etl.redisUrl, config.gateway.queue, etlLog);
    const jobs = { redisUrl: config.etl.redisUrl, ...config.etl.jobs };
    workers.push(startJobWorker(etlHandlers, { queue: QueueName.Etl, ...jobs, isBadInput }, etlLog));
    workers.push(startJobWorker(embeddingHandlers, { queue: QueueName.Embeddings, ...jobs }, etlLog));
  } else {
    inner = new InProcessImportQueue(handlers, etlLog);
  }
  const queue = new CachingImportQueue(inner, new DownloadCacheRepository(config.downloadDir, config.etl.http), etlLog);

  const webError = await webBuilt;
  if (webError) say(`The customer page could not be built (${webError}); the API works, the page says so.`);
  const imports = new ImportTracker();
  const gatewayLog = createLogger('gateway', { level: config.gateway.logLevel });
  const metrics = new MetricsServer(gatewayLog);
  const gateway = await buildGateway({
    config: { ...config.gateway, recommender: { ...config.gateway.recommender, url: recommender.url }, notifier: { ...config.gateway.notifier, url: notifier.url } },
    handle,
    queue,
    notify: notifier.queue,
    recommender: new HttpRecommenderClient(recommender.url, config.gateway.recommender.timeoutMs),
    log: gatewayLog,
    imports,
    metrics,
  });
  await gateway.ready();
  // On the loopback, like the recommender: the page's port stays the one door from outside. A
  // port taken (a second npm start) costs the metrics, not the product.
  await metrics.listen('127.0.0.1', config.gateway.metricsPort).catch((err: NodeJS.ErrnoException) => {
    say(`Metrics are not served: 127.0.0.1:${config.gateway.metricsPort} is unavailable (${err.code ?? err.message}); choose another port with METRICS_PORT=…`);
  });
  return { handle, queue, workers, recommender, notifier, gateway, metrics, imports };
}

/**
 * A catalogue without embeddings (a start stopped between the import and its hooks, a database
 * restored from elsewhere) would leave recommendations unavailable until the next import: build
 * them now, as the standalone recommender does when it starts.
 */
export async function ensureEmbeddings(stack: StandaloneStack, log: Logger): Promise<boolean> {
  if (stack.recommender.holder.version) return false;
  await buildEmbeddings(stack.handle, log);
  await stack.recommender.holder.refresh();
  return true;
}

/** The reverse of the start: stop answering, then jobs, then close the database. */
export async function stopStandaloneStack(stack: StandaloneStack): Promise<void> {
  await stack.gateway.close();
  await stack.metrics.close();
  for (const worker of stack.workers) await worker.stop('shutdown');
  // In-process jobs first, while the recommender and the database are still open: an import in
  // flight was interrupted by the caller (nothing swapped, the next start imports again); the
  // steps after it (embeddings, KPI views) get a few seconds to end rather than failing on a
  // closed database.
  await Promise.race([stack.queue.close(), new Promise((resolve) => setTimeout(resolve, 8000).unref())]);
  // Its running job goes back to its queue (or, in-process, is cut short: the ledger skips what was sent).
  await stack.notifier.close();
  await stack.recommender.close();
  await stack.handle.close();
}
