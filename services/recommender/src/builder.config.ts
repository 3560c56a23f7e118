import { type Env, env, LOG_LEVELS, type LogLevel, parseEnv } from '@cine/common';

/** The embedding build worker's environment (`npm run embeddings`), validated once at boot. */
export function loadBuilderConfig(source: Env = process.env) {
  const e = parseEnv(
    {
      DATABASE_URL: env.url({ protocols: ['postgres', 'postgresql'] }),
      REDIS_URL: env.url({ protocols: ['redis', 'rediss'] }),
      DATA_DIR: env.string({ default: '.data' }),
      LOG_LEVEL: env.oneOf<LogLevel>(LOG_LEVELS, { default: 'info' }),
      // The same BullMQ prefix as the producers and the etl-worker (one install, one prefix).
      ETL_QUEUE_PREFIX: env.string({ default: 'bull' }),
      // A build holds its job this long without a heartbeat before another worker takes it over.
      EMBEDDING_LOCK_DURATION_MS: env.int({ default: 120_000, min: 1000, max: 3_600_000 }),
      EMBEDDING_STALLED_INTERVAL_MS: env.int({ default: 30_000, min: 500, max: 3_600_000 }),
      // Health and metrics (compose's healthcheck); 0 picks a free one.
      HOST: env.string({ default: '0.0.0.0' }),
      PORT: env.int({ default: 8083, min: 0, max: 65_535 }),
    },
    source,
  );
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    pgliteDir: `${e.DATA_DIR!.replace(/\/+$/, '')}/pglite`,
    logLevel: e.LOG_LEVEL,
    jobs: { prefix: e.ETL_QUEUE_PREFIX!, lockDurationMs: e.EMBEDDING_LOCK_DURATION_MS, stalledIntervalMs: e.EMBEDDING_STALLED_INTERVAL_MS },
    http: { host: e.HOST!, port: e.PORT },
  };
}
