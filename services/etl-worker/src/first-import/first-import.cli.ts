import { BullmqImportQueue, ConfigError, connectedProducer, createLogger } from '@cine/common';
import { openDatabase } from '@cine/db';
import { CatalogueStateRepository } from './catalogue-state.repository';
import { ConsoleProgress } from '../cli/console-progress';
import { loadFirstImportConfig } from '../config';
import { FirstImportService } from './first-import.service';

/**
 * Compose's one-shot `first-import`, the `docker compose up` counterpart of what `npm start` does
 * on a fresh install: when the catalogue is empty, enqueue the import of IMDB_SOURCE/TMDB_SOURCE
 * for the worker and follow it in the logs. Exits 0 once the catalogue is there (at once when it
 * already was), 1 when the import failed. Idempotent: the same sources are the same job.
 */
async function main(): Promise<number> {
  const config = loadFirstImportConfig();
  const log = createLogger('first-import', { level: config.etl.logLevel, stderr: true });
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, maxConnections: 1, applicationName: 'first-import' });
  const connection = await connectedProducer(config.redisUrl);
  connection.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error'));
  const queue = new BullmqImportQueue(connection, { prefix: config.etl.jobs.prefix, attempts: config.etl.jobs.attempts, backoffMs: config.etl.jobs.backoffMs });
  const stopping = new AbortController();
  process.once('SIGTERM', () => stopping.abort());
  process.once('SIGINT', () => stopping.abort());
  const progress = new ConsoleProgress(process.stderr);
  try {
    const outcome = await new FirstImportService(new CatalogueStateRepository(handle), queue, progress, log).run(
      { imdb: config.imdbSources, tmdb: config.tmdbSources },
      stopping.signal,
      () => {},
    );
    if (outcome.kind === 'present') progress.say(`The catalogue holds ${outcome.titles} films and series: nothing to import.`);
    // Stopped while following: the job itself goes on in the worker.
    return outcome.kind === 'failed' ? 1 : 0;
  } finally {
    await queue.close();
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`first-import: ${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
