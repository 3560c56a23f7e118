import { ConfigError, createLogger, exitOnStopSignals } from '@cine/common';
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

  exitOnStopSignals(log, async () => {
    await service.close();
    await handle.close();
  });
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`recommender failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
