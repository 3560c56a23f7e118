import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { deadline } from '@cine/common/testing';
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
 * The environment variable naming this run's template of the sample catalogue (the jest global
 * setup names it): the first suite that asks for a copy (`from: 'samples'`) has it imported,
 * through the real migrations and the real ETL, and every suite that only reads the samples gets
 * its own copy of it instead of importing them again. A run that reads no samples imports nothing.
 */
export const SAMPLES_TEMPLATE_VARIABLE = 'CINE_TEST_SAMPLES_TEMPLATE';

/**
 * How to fill it: `<module path>#<export>`, a `(handle) => Promise<void>`. Named rather than
 * imported: the import is the ETL's, and this package is below the services.
 */
export const SAMPLES_FILL_VARIABLE = 'CINE_TEST_SAMPLES_FILL';

/**
 * How to fill the second template, `from: 'samples-with-embeddings'`: a copy of the sample
 * template plus one embedding version built with the default options, made the first time a suite
 * asks and kept for the rest of the run. Named as `<module path>#<export>` too: the build is the
 * recommender's. Its name follows from the sample template's (see `embeddingsTemplateName`), so
 * every worker and every tier of one run finds the same one, and it goes when the run's
 * templates are dropped (`dropRunTemplates`).
 */
export const SAMPLES_EMBEDDINGS_FILL_VARIABLE = 'CINE_TEST_SAMPLES_EMBEDDINGS_FILL';

/** Template names: `cine_tpl_<what>_<pid of the run>_<random>`, the pid telling a leftover from a live run. */
const TEMPLATE_NAME = /^cine_tpl_([a-z0-9]+)_(\d+)_[0-9a-f]+$/;

export interface TestDatabaseOptions {
  /** Run the real migrator on the new database (default); ignored with `from`. */
  migrate?: boolean;
  /**
   * Start as a copy of a template made once for the run, rather than empty: `samples`, the
   * sample catalogue; `samples-with-embeddings`, the same with one ready embedding version (for
   * suites that serve recommendations but do not test the build itself).
   */
  from?: TestTemplate;
}

export type TestTemplate = 'samples' | 'samples-with-embeddings';

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

type Fill = (handle: DbHandle) => Promise<void>;

/** The fill named by `variable` as `<module path>#<export>`, loaded when a template is made. */
function namedFill(variable: string, what: string): () => Fill {
  return () => {
    const [path, exported] = (process.env[variable] ?? '').split('#');
    if (!path || !exported) throw new Error(`${variable} must name ${what} as <module path>#<export>`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fill = (require(path) as Record<string, unknown>)[exported];
    if (typeof fill !== 'function') throw new Error(`${path} exports no function ${exported}`);
    return fill as Fill;
  };
}

/** This run's sample template, made now if no suite asked for it before. */
async function samplesTemplate(): Promise<string> {
  const name = process.env[SAMPLES_TEMPLATE_VARIABLE];
  if (!name || !TEMPLATE_NAME.test(name)) {
    throw new Error(`no sample catalogue template (${SAMPLES_TEMPLATE_VARIABLE} unset): run the spec through jest, whose global setup names it`);
  }
  await ensureTemplateDatabase(name, namedFill(SAMPLES_FILL_VARIABLE, 'the sample import'));
  return name;
}

/**
 * The name of the template of the samples with embeddings that goes with sample template
 * `samples`: same owner, same suffix, so it is found by name alone and dropped with the run.
 */
export function embeddingsTemplateName(samples: string): string {
  const match = TEMPLATE_NAME.exec(samples);
  if (!match) throw new Error(`"${samples}" is not a test template's name`);
  return samples.replace(/^cine_tpl_[a-z0-9]+_/, 'cine_tpl_embeddings_');
}

/** This run's template of the samples with one embedding version, made now (from the samples') if needed. */
async function samplesWithEmbeddingsTemplate(): Promise<string> {
  const samples = await samplesTemplate();
  const name = embeddingsTemplateName(samples);
  await ensureTemplateDatabase(name, namedFill(SAMPLES_EMBEDDINGS_FILL_VARIABLE, 'the embedding build'), { from: samples });
  return name;
}

const TEMPLATES: Record<TestTemplate, () => Promise<string>> = {
  samples: samplesTemplate,
  'samples-with-embeddings': samplesWithEmbeddingsTemplate,
};

export async function createTestDatabase(opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const name = `cine_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const template = opts.from ? await TEMPLATES[opts.from]() : null;
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
      await reportIfSlow(`closing the connections to ${name}`, handle.close());
      await dropDatabase(name);
    },
  };
}

/** Test databases: `cine_test_<pid of the process that made it>_<random>`. */
const TEST_DATABASE_NAME = /^cine_test_(\d+)_[0-9a-f]+$/;

/** How long a suite waits for its database's DROP before leaving it to the run's teardown. */
const DROP_WAIT_MS = deadline(20_000);

/**
 * Drops test database `name`. A DROP DATABASE waits, server-wide, for every backend to answer a
 * barrier, and for an immediate checkpoint: a backend held by its client elsewhere (a COPY FROM
 * STDIN whose rows are slow to come) or a checkpoint behind heavy writes can make it wait minutes
 * on a loaded machine, which once failed a suite's afterAll that had passed every test. So the
 * DROP is cancelled after DROP_WAIT_MS (statement_timeout; PostgreSQL leaves the database whole
 * or marked invalid, droppable either way) and the run's teardown drops what is left
 * (`dropLeftoverTestDatabases`).
 */
export async function dropDatabase(name: string, opts: { waitMs?: number } = {}): Promise<void> {
  const waitMs = opts.waitMs ?? DROP_WAIT_MS;
  await reportIfSlow(
    `dropping ${name}`,
    withAdmin(async (admin) => {
      await admin.unsafe(`SET statement_timeout = ${Math.round(waitMs)}`);
      try {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } catch (err) {
        if ((err as { code?: string }).code !== '57014' || !TEST_DATABASE_NAME.test(name)) throw err;
        console.warn(`dropping ${name}: cancelled after ${waitMs / 1000} s; the run's teardown drops it`);
      }
    }),
  );
}

/**
 * Test databases no live test can still use: made by this process (a run in band) or by one that
 * is gone (jest's workers, ended before the global teardown; a killed run). For the end of a run,
 * after a DROP a suite gave up on.
 */
export async function dropLeftoverTestDatabases(): Promise<string[]> {
  const rows = await withAdmin((admin) => admin<{ datname: string }[]>`SELECT datname FROM pg_database WHERE datname LIKE ${'cine\\_test\\_%'}`);
  const dropped: string[] = [];
  for (const { datname } of rows) {
    const pid = Number(TEST_DATABASE_NAME.exec(datname)?.[1]);
    if (!pid || (pid !== process.pid && processAlive(pid))) continue;
    await withAdmin((admin) => admin.unsafe(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`));
    dropped.push(datname);
  }
  return dropped;
}

/** How long a test database's close or drop may take before the server's activity is printed. */
const SLOW_DROP_MS = 15_000;

/**
 * `work`, and if it is still running after SLOW_DROP_MS, what every busy backend of the server is
 * doing (printed once, the work still awaited): a drop that waits names what it waits for. (A
 * backend blocked on its client — a COPY FROM STDIN with no rows coming — never answers the
 * barrier every DROP DATABASE waits for, server-wide.) Test databases hold no personal data.
 */
async function reportIfSlow<T>(what: string, work: Promise<T>): Promise<T> {
  const timer = setTimeout(() => {
    withAdmin(
      (admin) => admin`
        SELECT pid, datname, application_name, backend_type, state, wait_event_type, wait_event,
               round(extract(epoch FROM now() - query_start))::int AS seconds, left(query, 120) AS query
        FROM pg_stat_activity WHERE state IS DISTINCT FROM 'idle' AND pid <> pg_backend_pid() ORDER BY query_start`,
    ).then(
      (rows) => console.warn(`${what}: still waiting after ${SLOW_DROP_MS / 1000} s; the server's busy backends:\n${rows.map((r) => JSON.stringify(r)).join('\n')}`),
      (err: unknown) => console.warn(`${what}: still waiting after ${SLOW_DROP_MS / 1000} s (activity unreadable: ${String(err)})`),
    );
  }, SLOW_DROP_MS);
  timer.unref();
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

/** Grafana's SELECT-only role (made by the KPI migration). */
export const KPI_READER_ROLE = 'cine_kpi_reader';

/**
 * A session on `url` as Grafana's read-only role, on one connection so that the role holds for
 * every query (`end()` it after the tests). The database must be migrated: the role is the KPI
 * migration's.
 */
export async function readOnlySession(url: string): Promise<postgres.Sql> {
  const session = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await session.unsafe(`SET ROLE ${KPI_READER_ROLE}`);
  } catch (err) {
    await session.end();
    throw err;
  }
  return session;
}

/** A name for a template of `what` owned by the run whose process is `ownerPid`. */
export function templateName(what: string, ownerPid = process.pid): string {
  const name = `cine_tpl_${what}_${ownerPid}_${randomBytes(4).toString('hex')}`;
  if (!TEMPLATE_NAME.test(name)) throw new Error(`template name "${what}": lower-case letters and digits only`);
  return name;
}

async function databaseExists(name: string): Promise<boolean> {
  return withAdmin(async (admin) => (await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`).length > 0);
}

/**
 * Makes template database `name` unless it exists: migrated (or copied from template `from`,
 * already migrated), filled by `fill()`'s function over its own handle, then closed and frozen as
 * a template that accepts no connections (a template with a session open cannot be copied).
 * Suites in several workers may ask at once: one builds it (under an advisory lock, on another
 * name, renamed when complete), the others wait for it and then find it whole.
 * Templates left by runs whose process is gone are dropped first.
 */
export async function ensureTemplateDatabase(name: string, fill: () => Fill, opts: { from?: string } = {}): Promise<void> {
  if (await databaseExists(name)) return;
  const match = TEMPLATE_NAME.exec(name);
  if (!match) throw new Error(`"${name}" is not a test template's name`);
  if (opts.from !== undefined && !TEMPLATE_NAME.test(opts.from)) throw new Error(`"${opts.from}" is not a test template's name`);
  const lock = postgres(TEST_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await lock`SELECT pg_advisory_lock(hashtext(${name}))`;
    if (await databaseExists(name)) return;
    await dropLeftoverTemplates();
    const building = templateName(match[1]!, Number(match[2]));
    await withAdmin((admin) => admin.unsafe(opts.from ? `CREATE DATABASE ${building} TEMPLATE ${opts.from}` : `CREATE DATABASE ${building}`));
    try {
      const handle = await openDatabase({ databaseUrl: databaseUrl(building), maxConnections: 4 });
      try {
        if (!opts.from) await migrateToLatest(handle.db);
        await fill()(handle);
      } finally {
        await handle.close();
      }
      await withAdmin(async (admin) => {
        await admin.unsafe(`ALTER DATABASE ${building} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
        await admin.unsafe(`ALTER DATABASE ${building} RENAME TO ${name}`);
      });
    } catch (err) {
      await dropTemplateDatabase(building);
      throw err;
    }
  } finally {
    // Ending the session releases the lock.
    await lock.end();
  }
}

/** A new template of `what`, filled by `fill`, owned by the run of `ownerPid`; resolves with its name. */
export async function createTemplateDatabase(what: string, fill: Fill, ownerPid = process.pid): Promise<string> {
  const name = templateName(what, ownerPid);
  await ensureTemplateDatabase(name, () => fill);
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

/**
 * Every template of the run that owns template `name` (same owner pid): the samples', the one made
 * from them with embeddings, and any a killed worker left half built. For the end of a run.
 */
export async function dropRunTemplates(name: string): Promise<void> {
  const pid = TEMPLATE_NAME.exec(name)?.[2];
  if (!pid) throw new Error(`"${name}" is not a test template's name`);
  const rows = await withAdmin((admin) => admin<{ datname: string }[]>`SELECT datname FROM pg_database WHERE datname LIKE ${'cine\\_tpl\\_%'}`);
  for (const { datname } of rows) {
    if (TEMPLATE_NAME.exec(datname)?.[2] === pid) await dropTemplateDatabase(datname);
  }
  removeEmbeddedImages(pid);
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
  removeEmbeddedImages();
}

/** Images of a migrated embedded database: `cine-pglite-migrated-<pid of the run>.tar` in the temp folder. */
const EMBEDDED_IMAGE = /^cine-pglite-migrated-(\d+)\.tar$/;

/** The run's image of a migrated embedded database, made by the first suite that asks; null outside a jest run. */
async function migratedEmbeddedImage(): Promise<Blob | null> {
  const owner = TEMPLATE_NAME.exec(process.env[SAMPLES_TEMPLATE_VARIABLE] ?? '')?.[2];
  if (!owner) return null;
  const file = join(tmpdir(), `cine-pglite-migrated-${owner}.tar`);
  const kept = await readFile(file).catch(() => null);
  if (kept) return new Blob([kept]);
  // Workers asking at once may each make one; the last rename wins and every image is whole.
  const handle = await openDatabase({ dataDir: 'memory://' });
  let image: Blob;
  try {
    await migrateToLatest(handle.db);
    image = await handle.dumpEmbedded!();
  } finally {
    await handle.close();
  }
  const building = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await writeFile(building, Buffer.from(await image.arrayBuffer()));
  await rename(building, file).catch(async (err: unknown) => {
    await rm(building, { force: true });
    throw err;
  });
  return image;
}

/** Removes the images of migrated embedded databases owned by `pid`, or by runs no longer alive when omitted. */
function removeEmbeddedImages(pid?: string): void {
  for (const name of readdirSync(tmpdir())) {
    const owner = EMBEDDED_IMAGE.exec(name.replace(/\.\d+\.[0-9a-f]+$/, ''))?.[1];
    if (owner && (pid === undefined ? !processAlive(Number(owner)) : owner === pid)) rmSync(join(tmpdir(), name), { force: true });
  }
}

/**
 * A throwaway embedded (PGlite) database, migrated by the real migrator. In a jest run the
 * migrated state is made once (initdb and the migrations, ≈ 5.5 s of CPU) and kept as an image
 * every later one starts from (≈ 1.8 s); the image goes with the run's templates.
 */
export async function createEmbeddedTestDatabase(opts: { dataDir?: string; migrate?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = opts.dataDir ?? 'memory://';
  const image = opts.migrate !== false && dataDir === 'memory://' ? await migratedEmbeddedImage() : null;
  const handle = await openDatabase({ dataDir, embeddedImage: image ?? undefined });
  if (opts.migrate !== false && !image) await migrateToLatest(handle.db);
  return { url: undefined, handle, drop: () => handle.close() };
}
