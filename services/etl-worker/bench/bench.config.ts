import { type Env, env, parseEnv } from '@cine/common';

/** The only environment the ETL benchmark reads, validated once. */
export function loadBenchConfig(source: Env = process.env) {
  const raw = parseEnv(
    {
      // A server role allowed to CREATE/DROP DATABASE; the benchmark works in a throwaway database.
      TEST_DATABASE_ADMIN_URL: env.url({ protocols: ['postgres', 'postgresql'], default: 'postgres://postgres@127.0.0.1:5432/postgres' }),
    },
    source,
  );
  return { adminUrl: raw.TEST_DATABASE_ADMIN_URL as string };
}

export type BenchConfig = ReturnType<typeof loadBenchConfig>;
