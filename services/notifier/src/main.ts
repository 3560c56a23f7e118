import { ConfigError, createLogger, exitOnStopSignals } from '@cine/common';
import { migrateToLatest, openDatabase } from '@cine/db';
import { loadNotifierConfig } from './config';
import { programmeJobs } from './jobs/programme.wiring';
import { startNotifier } from './server';

/** `npm run notifier`: the notifier as its own process (one compose container): HTTP API, sender, notify queue consumer. */
async function main(): Promise<void> {
  const config = loadNotifierConfig();
  const log = createLogger('notifier', { level: config.logLevel });
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, applicationName: 'cine-notifier' });
  await migrateToLatest(handle.db);
  const notifier = await startNotifier({
    handle,
    log,
    config,
    programme: programmeJobs({ recommenderUrl: config.recommenderUrl, maxPerWeek: config.maxPerWeek, claimLeaseMs: config.claimLeaseMs }),
  });
  log.info({ url: notifier.url, queue: config.redisUrl ? 'redis' : 'in-process', mail: config.smtpUrl ? 'smtp' : 'outbox', dkim: config.dkim !== null }, 'notifier listening');

  exitOnStopSignals(
    log,
    async () => {
      await notifier.close();
      await handle.close();
    },
    { doing: 'finishing the email being sent; a running job goes back to the queue' },
  );
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`notifier failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
