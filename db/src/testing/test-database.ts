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

/**
 * The environment variable naming this run's template of the sample catalogue: the jest global
 * setup imports the samples once into it (real migrations, real ETL), and every suite that only
 * reads them gets its own copy (`from: 'samples'`) instead of importing them again.
 */
export const SAMPLES_TEMPLATE_VARIABLE = 'CINE_TEST_SAMPLES_TEMPLATE';

/** Template names: `cine_tpl_<what>_<pid of the run>_<random>`, the pid telling a leftover from a live run. */
const TEMPLATE_NAME = /^cine_tpl_([a-z0-9]+)_(\d+)_[0-9a-f]+$/;

export interface TestDatabaseOptions {
  /** Run the real migrator on the new database (default); ignored with `from`. */
  migrate?: boolean;
  /** Start as a copy of the sample catalogue imported once for the run, rather than empty. */
  from?: 'samples';
}

function databaseUrl(name: string): string {
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(work: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(TEST_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

function samplesTemplate(): string {
  const name = process.env[SAMPLES_TEMPLATE_VARIABLE];
  if (!name || !TEMPLATE_NAME.test(name)) {
    throw new Error(`no sample catalogue template (${SAMPLES_TEMPLATE_VARIABLE} unset): run the spec through jest, whose global setup imports it`);
  }
  return name;
}

export async function createTestDatabase(opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `cine_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = opts.from === 'samples' ? samplesTemplate() : null;
  // The default strategy (WAL_LOG): the sample catalogue (56 MB) copies in about 0.6 s, as
  // fast as FILE_COPY, without the two checkpoints FILE_COPY forces on every other suite.
  await withAdmin((admin) => admin.unsafe(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`));
  const url = databaseUrl(name);
  const handle = await openDatabase({ databaseUrl: url, maxConnections: 4 });
  if (!template && opts.migrate !== false) await migrateToLatest(handle.db);
  return {
    url,
    handle,
    async drop() {
      await handle.close();
      await dropDatabase(name);
    },
  };
}

export async function dropDatabase(name: string): Promise<void> {
  await withAdmin((admin) => admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/**
 * A template database named for `what` and the process of the run that owns it: migrated, filled
 * by `fill` over its own handle, then closed and frozen as a template that accepts no connections
 * (a template with a session open cannot be copied). Templates left by runs whose process is
 * gone are dropped first. Resolves with its name.
 */
export async function createTemplateDatabase(what: string, fill: (handle: DbHandle) => Promise<void>, ownerPid = process.pid): Promise<string> {
  await dropLeftoverTemplates();
  const name = `cine_tpl_${what}_${ownerPid}_${randomBytes(4).toString('hex')}`;
  if (!TEMPLATE_NAME.test(name)) throw new Error(`template name "${what}": lower-case letters and digits only`);
  await withAdmin((admin) => admin.unsafe(`CREATE DATABASE ${name}`));
  try {
    const handle = await openDatabase({ databaseUrl: databaseUrl(name), maxConnections: 4 });
    try {
      await migrateToLatest(handle.db);
      await fill(handle);
    } finally {
      await handle.close();
    }
    await withAdmin((admin) => admin.unsafe(`ALTER DATABASE ${name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`));
  } catch (err) {
    await dropTemplateDatabase(name);
    throw err;
  }
  return name;
}

export async function dropTemplateDatabase(name: string): Promise<void> {
  if (!TEMPLATE_NAME.test(name)) throw new Error(`"${name}" is not a test template's name`);
  await withAdmin(async (admin) => {
    const exists = await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`;
    if (exists.length === 0) return;
    await admin.unsafe(`ALTER DATABASE ${name} WITH IS_TEMPLATE false`);
    await admin.unsafe(`DROP DATABASE ${name} WITH (FORCE)`);
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Templates whose run was killed before its teardown (same machine: its pid is not alive). */
async function dropLeftoverTemplates(): Promise<void> {
  const rows = await withAdmin((admin) => admin<{ datname: string }[]>`SELECT datname FROM pg_database WHERE datname LIKE ${'cine\\_tpl\\_%'}`);
  for (const { datname } of rows) {
    const pid = Number(TEMPLATE_NAME.exec(datname)?.[2]);
    if (pid && !processAlive(pid)) await dropTemplateDatabase(datname);
  }
}

export async function createEmbeddedTestDatabase(opts: { dataDir?: string; migrate?: boolean } = {}): Promise<TestDatabase> {
  const handle = await openDatabase({ dataDir: opts.dataDir ?? 'memory://' });
  if (opts.migrate !== false) await migrateToLatest(handle.db);
  return { url: undefined, handle, drop: () => handle.close() };
}
