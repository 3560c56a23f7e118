import { ConfigError, createLogger, exitOnStopSignals } from '@cine/common';
import { BootServer } from './boot.server';
import { DatabaseInUseError } from '@cine/db/embedded-lock';
import { ConsoleProgress } from '@cine/etl-worker/console-progress';
import { loadStandaloneConfig } from './config';

/**
 * `npm start`: the whole product in one process. With DATABASE_URL and REDIS_URL unset it needs
 * nothing but Node: PGlite in DATA_DIR, import jobs in-process. The port opens first (a "starting"
 * page), the page and API follow within seconds and before any data; then, on an empty
 * catalogue, the import starts and the page and the console follow it. With DATABASE_URL /
 * REDIS_URL set, the same process runs on those servers.
 */
async function main(): Promise<void> {
  const startedAt = performance.now();
  const config = loadStandaloneConfig();
  const log = createLogger('cine-creuse', { level: config.gateway.logLevel });
  const progress = new ConsoleProgress(process.stderr);
  const boot = await BootServer.listen(config.gateway.host, config.gateway.port);
  const where = config.gateway.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${config.etl.pgliteDir}`;
  progress.say(`Ciné Creuse is starting on http://localhost:${boot.port}, with ${where}, jobs ${config.gateway.redisUrl ? 'on Redis (REDIS_URL)' : 'in this process'}…`);

  // Loaded once the port is open: the services' modules (onnxruntime, PGlite, fastify plugins)
  // take seconds. A dynamic import needs the '.js' spelling under node16 resolution; tsx maps it to the .ts file.
  const { startStandaloneStack, stopStandaloneStack, ensureEmbeddings, FirstImportService, CatalogueStateRepository } = await import('./standalone-stack.js');
  const stack = await startStandaloneStack(config, (line) => progress.say(line));
  boot.handOver((req, res) => stack.gateway.routing(req, res));
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  progress.say(`Ciné Creuse is up in ${seconds} s: http://localhost:${boot.port}  (API documentation: /docs)`);
  log.info({ ms: Math.round(performance.now() - startedAt), port: boot.port }, 'ready');

  const stopping = new AbortController();
  const firstImport = new FirstImportService(new CatalogueStateRepository(stack.handle), stack.queue, progress, log.child({ component: 'first-import' }));
  const imported = firstImport
    .run({ imdb: config.imdbSources, tmdb: config.tmdbSources }, stopping.signal, (id) => stack.imports.track(id))
    .then(async (outcome) => {
      if (outcome.kind !== 'present' || stopping.signal.aborted) return;
      if (await ensureEmbeddings(stack, log.child({ component: 'embeddings' }))) progress.say('Recommendations ready (embeddings rebuilt for the existing catalogue).');
    })
    .catch((err: unknown) => {
      log.error({ err }, 'first import could not start');
      progress.say(`The import could not start: ${err instanceof Error ? err.message : String(err)}`);
    });

  exitOnStopSignals(
    log,
    async (signal) => {
      progress.say(`Stopping (${signal})…`);
      // Work cut short by the stop (a job whose database just closed) must not crash the exit.
      process.on('unhandledRejection', (err) => log.warn({ err }, 'work interrupted by the stop'));
      stopping.abort();
      await boot.close();
      await stopStandaloneStack(stack);
      await Promise.race([imported, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    },
    { exitCode: (signal) => (signal === 'SIGINT' ? 130 : 0) },
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof DatabaseInUseError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    process.stderr.write(`npm start: port ${(err as { port?: number }).port ?? ''} is already in use (another npm start?); choose another with PORT=…\n`);
    process.exit(2);
  }
  process.stderr.write(`npm start failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
