import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { type DbHandle, openDatabase } from '../db.factory';
import { migrateToLatest } from '../migrator';

/**
 * Throwaway databases for tests: each suite gets its own, migrated by the real migrator,
 * and drops it afterwards, so suites run in parallel against the shared server and leave it clean.
 */
export const TEST_ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  readonly url: string | undefined;
  readonly handle: DbHandle;
  drop(): Promise<void>;
}

export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `cine_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(TEST_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ databaseUrl: url.toString(), maxConnections: 4 });
  if (opts.migrate !== false) await migrateToLatest(handle.db);
  return {
    url: url.toString(),
    handle,
    async drop() {
      await handle.close();
      await dropDatabase(name);
    },
  };
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = postgres(TEST_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export async function createEmbeddedTestDatabase(opts: { dataDir?: string; migrate?: boolean } = {}): Promise<TestDatabase> {
  const handle = await openDatabase({ dataDir: opts.dataDir ?? 'memory://' });
  if (opts.migrate !== false) await migrateToLatest(handle.db);
  return { url: undefined, handle, drop: () => handle.close() };
}
