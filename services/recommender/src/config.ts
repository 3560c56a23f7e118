import { type Env, env, LOG_LEVELS, type LogLevel, parseEnv } from '@cine/common';

export interface RecommenderConfig {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  /** Embedded PGlite files, when DATABASE_URL is unset. */
  pgliteDir: string;
  logLevel: LogLevel;
  /** How often the service looks for a new embedding version. */
  pollIntervalMs: number;
}

/** The recommender's environment, validated once at boot. */
export function loadRecommenderConfig(source: Env = process.env): RecommenderConfig {
  const e = parseEnv(
    {
      HOST: env.string({ default: '0.0.0.0' }),
      PORT: env.int({ default: 8081, min: 0, max: 65535 }),
      DATABASE_URL: env.url({ protocols: ['postgres', 'postgresql'] }),
      DATA_DIR: env.string({ default: '.data' }),
      LOG_LEVEL: env.oneOf<LogLevel>(LOG_LEVELS, { default: 'info' }),
      RECOMMENDER_POLL_MS: env.int({ default: 30_000, min: 100, max: 3_600_000 }),
    },
    source,
  );
  return {
    host: e.HOST!,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: `${e.DATA_DIR!.replace(/\/+$/, "")}/pglite`,
    logLevel: e.LOG_LEVEL,
    pollIntervalMs: e.RECOMMENDER_POLL_MS,
  };
}

export { loadBuilderConfig } from './builder.config';
