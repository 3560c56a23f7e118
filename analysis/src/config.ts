import { createLogger, env, LOG_LEVELS, type LogLevel, parseEnv, type Env } from '@cine/common';

/** The only environment `npm run report` reads, validated once at start. */
export function loadReportConfig(source: Env = process.env) {
  const raw = parseEnv(
    {
      DATABASE_URL: env.url({ protocols: ['postgres', 'postgresql'] }),
      DATA_DIR: env.string({ default: '.data' }),
      LOG_LEVEL: env.oneOf<LogLevel>(LOG_LEVELS, { default: 'info' }),
    },
    source,
  );
  const dataDir = (raw.DATA_DIR ?? '.data').replace(/\/+$/, '');
  return {
    databaseUrl: raw.DATABASE_URL,
    dataDir,
    /** The embedded database, where `npm start` and `npm run etl` keep it without DATABASE_URL. */
    pgliteDir: `${dataDir}/pglite`,
    /** Where the report goes unless `--out` says otherwise. */
    defaultOutDir: `${dataDir}/report`,
    logLevel: raw.LOG_LEVEL,
  };
}

export type ReportConfig = ReturnType<typeof loadReportConfig>;
export { createLogger };
