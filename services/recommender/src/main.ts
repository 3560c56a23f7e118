import { ConfigError, createLogger } from '@cine/common';
import { migrateToLatest, openDatabase } from '@cine/db';
import { loadRecommenderConfig } from './config';
import { EmbeddingRepository } from './embedding/embedding.repository';
import { buildEmbeddings } from './embedding/embedding.service';
import { FeatureRepository } from './embedding/features.repository';
import { startRecommender } from './server';

/** `npm run recommender`: the recommender service as its own process (one compose container). */
async function main(): Promise<void> {
  const config = loadRecommenderConfig();
  const log = createLogger('recommender', { level: config.logLevel });
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, applicationName: 'cine-recommender' });
  await migrateToLatest(handle.db);
  // A catalogue imported before any version existed (first start of a stack) still gets served.
  if ((await new EmbeddingRepository(handle).readyHeads(1)).length === 0 && (await new FeatureRepository(handle).hasFilms())) {
    await buildEmbeddings(handle, log);
  }
  const service = await startRecommender({ handle, log, host: config.host, port: config.port, pollIntervalMs: config.pollIntervalMs });
  log.info({ url: service.url }, 'recommender listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    try {
      await service.close();
      await handle.close();
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'unclean stop');
      process.exit(1);
    }
  };
  // on, not once: npm forwards the signal it got to its child, which the terminal (or a process
  // group kill) also signalled; a second signal must not kill the stop half-way.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`recommender failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
