import { ConfigError, type Env, env, LOG_LEVELS, type LogLevel, parseEnv } from '@cine/common';

/** The official IMDb non-commercial datasets. */
export const OFFICIAL_IMDB_SOURCE = 'https://datasets.imdbws.com/';

/** Everything the ETL worker and the `npm run etl` command read from the environment, validated once. */
export function loadEtlConfig(source: Env = process.env) {
  const raw = parseEnv(
    {
      DATABASE_URL: env.url({ protocols: ['postgres', 'postgresql'] }),
      REDIS_URL: env.url({ protocols: ['redis', 'rediss'] }),
      DATA_DIR: env.string({ default: '.data' }),
      IMDB_SOURCE: env.string({ default: OFFICIAL_IMDB_SOURCE }),
      TMDB_SOURCE: env.string(),
      LOG_LEVEL: env.oneOf<LogLevel>(LOG_LEVELS, { default: 'info' }),
      ETL_HTTP_ATTEMPTS: env.int({ default: 4, min: 1, max: 20 }),
      ETL_HTTP_RETRY_DELAY_MS: env.int({ default: 1000, min: 0, max: 600_000 }),
      ETL_JOB_ATTEMPTS: env.int({ default: 3, min: 1, max: 20 }),
      ETL_JOB_BACKOFF_MS: env.int({ default: 30_000, min: 0, max: 3_600_000 }),
      // How long a job stays locked without a heartbeat before another worker takes it over.
      ETL_LOCK_DURATION_MS: env.int({ default: 60_000, min: 1000, max: 3_600_000 }),
      // BullMQ key prefix: lets several installs (or test runs) share one Redis.
      ETL_QUEUE_PREFIX: env.string({ default: 'bull' }),
      ETL_STALLED_INTERVAL_MS: env.int({ default: 30_000, min: 500, max: 3_600_000 }),
      // The worker's health and metrics port (compose's healthcheck); 0 picks a free one.
      HOST: env.string({ default: '0.0.0.0' }),
      PORT: env.int({ default: 8082, min: 0, max: 65_535 }),
    },
    source,
  );
  return {
    databaseUrl: raw.DATABASE_URL,
    redisUrl: raw.REDIS_URL,
    pgliteDir: `${(raw.DATA_DIR ?? '.data').replace(/\/+$/, '')}/pglite`,
    dataDir: raw.DATA_DIR ?? '.data',
    imdbSource: raw.IMDB_SOURCE!,
    tmdbSource: raw.TMDB_SOURCE,
    logLevel: raw.LOG_LEVEL,
    healthHttp: { host: raw.HOST!, port: raw.PORT },
    http: { attempts: raw.ETL_HTTP_ATTEMPTS, retryDelayMs: raw.ETL_HTTP_RETRY_DELAY_MS, connectTimeoutMs: 30_000 },
    jobs: {
      attempts: raw.ETL_JOB_ATTEMPTS,
      backoffMs: raw.ETL_JOB_BACKOFF_MS,
      lockDurationMs: raw.ETL_LOCK_DURATION_MS,
      stalledIntervalMs: raw.ETL_STALLED_INTERVAL_MS,
      prefix: raw.ETL_QUEUE_PREFIX ?? 'bull',
    },
  };
}

export type EtlConfig = ReturnType<typeof loadEtlConfig>;

/** IMDB_SOURCE and TMDB_SOURCE take comma lists, like `npm run etl -- --imdb a,b`: later ones win. */
export function splitSourceList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Compose's one-shot `first-import`: the worker's variables (it enqueues for the worker), with
 * DATABASE_URL and REDIS_URL required since compose always has both.
 */
export function loadFirstImportConfig(source: Env = process.env) {
  const etl = loadEtlConfig(source);
  const problems = [
    ...(etl.databaseUrl ? [] : ['DATABASE_URL is required by the first import (npm start runs it by itself)']),
    ...(etl.redisUrl ? [] : ['REDIS_URL is required by the first import (npm start runs it by itself)']),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    etl,
    databaseUrl: etl.databaseUrl!,
    redisUrl: etl.redisUrl!,
    imdbSources: splitSourceList(etl.imdbSource),
    tmdbSources: etl.tmdbSource ? splitSourceList(etl.tmdbSource) : [],
  };
}

