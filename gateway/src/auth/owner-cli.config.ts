import { type Env, env, parseEnv } from '@cine/common';

/** What `npm run owner` reads from the environment: the database, as `npm start` and the gateway open it. */
export function loadOwnerCliConfig(source: Env = process.env) {
  const raw = parseEnv(
    {
      DATABASE_URL: env.url({ protocols: ['postgres', 'postgresql'] }),
      DATA_DIR: env.string({ default: '.data' }),
    },
    source,
  );
  const dataDir = raw.DATA_DIR ?? '.data';
  return { databaseUrl: raw.DATABASE_URL, dataDir, pgliteDir: `${dataDir.replace(/\/+$/, '')}/pglite` };
}
