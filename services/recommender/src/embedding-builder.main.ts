import { ConfigError, createLogger, exitOnStopSignals, QueueName, registerObservability, requestIdServerOptions, setGlobalConcurrency, startJobWorker } from '@cine/common';
import { migrateToLatest, openDatabase } from '@cine/db';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadBuilderConfig } from './builder.config';
import { buildEmbeddings } from './embedding/embedding.service';
import { createEmbeddingHandlers } from './jobs/embedding-build.handlers';

/**
 * `npm run embeddings`: the recommender's build worker (compose's `embedding-builder`). It takes
 * `build-embeddings` jobs from the `embeddings` queue, one build at a time across every process
 * consuming that queue (BullMQ's global concurrency), so scaling the serving recommenders never
 * multiplies builds. `--once` builds a version now from the catalogue served, and exits.
 */
async function main(): Promise<void> {
  const config = loadBuilderConfig();
  const log = createLogger('embedding-builder', { level: config.logLevel });
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, applicationName: 'embedding-builder' });
  if (process.argv.includes('--once')) {
    try {
      await migrateToLatest(handle.db);
      const result = await buildEmbeddings(handle, log);
      process.stderr.write(`embeddings: version ${result.version} built (${result.films} films)\n`);
    } finally {
      await handle.close();
    }
    return;
  }
  if (!config.redisUrl) throw new ConfigError(['REDIS_URL is required by the build worker (or build once: npm run embeddings -- --once)']);
  await setGlobalConcurrency(config.redisUrl, QueueName.Embeddings, config.jobs.prefix, 1);
  const worker = startJobWorker(createEmbeddingHandlers(handle, log), { queue: QueueName.Embeddings, redisUrl: config.redisUrl, ...config.jobs }, log);
  await worker.worker.waitUntilReady();

  const app = Fastify({ loggerInstance: log, ...requestIdServerOptions() }) as unknown as FastifyInstance;
  registerObservability(app, {
    service: 'embedding-builder',
    readiness: {
      redis: async () => ({ ok: (await worker.connection.ping()) === 'PONG' }),
      worker: async () => ({ ok: worker.worker.isRunning(), detail: worker.worker.isRunning() ? 'taking jobs' : 'not running' }),
    },
  });
  const url = await app.listen({ host: config.http.host, port: config.http.port });
  log.info({ health: url }, 'embedding build worker ready');

  exitOnStopSignals(
    log,
    async (signal) => {
      await worker.stop(signal);
      await app.close();
      await handle.close();
    },
    { doing: 'a build in progress goes back to the queue' },
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`embedding-builder: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
