import { createLogger, env, LOG_LEVELS, type LogLevel, parseEnv } from '@cine/common';
import { openDatabase } from './db.factory';
import { migrateToLatest } from './migrator';

/** `npm run migrate`: compose's one-shot `migrate` service runs exactly this. */
async function main(): Promise<void> {
  const config = parseEnv({
    DATABASE_URL: env.url({ protocols: ['postgres', 'postgresql'] }),
    DATA_DIR: env.string({ default: '.data' }),
    LOG_LEVEL: env.oneOf<LogLevel>(LOG_LEVELS, { default: 'info' }),
  });
  const log = createLogger('migrate', { level: config.LOG_LEVEL, stderr: true });
  // The embedded database lives in DATA_DIR/pglite, as every other entry point opens it.
  const handle = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: `${config.DATA_DIR!.replace(/\/+$/, '')}/pglite`, applicationName: 'npm run migrate' });
  try {
    const applied = await migrateToLatest(handle.db);
    log.info({ applied, backend: handle.backend }, applied.length ? 'migrations applied' : 'schema already up to date');
  } finally {
    await handle.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
