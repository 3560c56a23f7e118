import { randomBytes } from 'node:crypto';
import { BullmqImportQueue, connectedProducer, QUEUE_CALL_TIMEOUT_MS, createLogger, type Handlers, type ImportJobName, type JobHandler, JobName, type JobWorker, QueueName, startJobWorker } from '@cine/common';
import { deadline } from '@cine/common/testing';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { CATALOGUE_TABLES, type DbHandle, otherSchema } from '@cine/db';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { createEtlServices } from '../src/etl.services';
import { isBadInput } from '../src/jobs/etl.processors';

export const silentLog = createLogger('test', { level: 'silent' });

/**
 * Every job's handler for an in-process queue in these tests: the ETL's own, and a stand-in for
 * the recommender's `build-embeddings` (another service: its own tests build real embeddings).
 */
export function handlersFor(handle: DbHandle, buildEmbeddings: JobHandler<JobName.BuildEmbeddings> = async () => ({ stand_in: true })): Handlers<ImportJobName> {
  return { ...etlFor(handle).handlers, [JobName.BuildEmbeddings]: buildEmbeddings };
}

/** The ETL wired as in production, over a test database; HTTP retries kept short. */
export function etlFor(handle: DbHandle) {
  return createEtlServices(handle, { log: silentLog, http: { attempts: 2, retryDelayMs: 10, connectTimeoutMs: 2000 } });
}

export const SAMPLE_POLICY = { movieMinVotes: 0, seriesMinVotes: 0 };

/** A digest of every catalogue table's content, as readers see it through the public views. */
export async function catalogueDigest(handle: DbHandle): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of [...CATALOGUE_TABLES, 'title_tmdb']) {
    const { rows } = await sql
      .raw<{ d: string | null; n: number }>(`SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS d, count(*)::int AS n FROM public.${table} x`)
      .execute(handle.db);
    out[table] = `${rows[0]?.n}:${rows[0]?.d ?? ''}`;
  }
  return out;
}

/** Rows left in the schema that is not serving: there must be none between imports. */
export async function stagingRows(handle: DbHandle): Promise<number> {
  const { active_schema } = await handle.db.selectFrom('catalogue_state').select('active_schema').executeTakeFirstOrThrow();
  const staging = otherSchema(active_schema);
  let total = 0;
  for (const table of CATALOGUE_TABLES) {
    const r = await sql.raw<{ n: number }>(`SELECT count(*)::int AS n FROM ${staging}.${table}`).execute(handle.db);
    total += r.rows[0]!.n;
  }
  return total;
}

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Both job queues on the real Redis under a prefix of the test's own: a producer, the options a
 * consumer of either queue takes, and (unless told otherwise) a stand-in for the recommender's
 * build worker (another service) so an import's chain goes on. `close` stops and removes all of
 * it: obliterate leaves a failed run's parent jobs and their sets, so the prefix's keys go too.
 */
export async function openTestQueues(opts: { name: string; attempts: number; backoffMs: number; standInEmbeddings?: boolean }) {
  const prefix = `${opts.name}-${randomBytes(4).toString('hex')}`;
  const connection = await connectedProducer(TEST_REDIS_URL);
  const queue = new BullmqImportQueue(connection, {
    attempts: opts.attempts,
    backoffMs: opts.backoffMs,
    prefix,
    // The product's 3 s answers a customer; a test on a loaded machine waits as long as its deadlines.
    callTimeoutMs: deadline(QUEUE_CALL_TIMEOUT_MS),
  });
  const jobs = { redisUrl: TEST_REDIS_URL, lockDurationMs: 30_000, stalledIntervalMs: 30_000, prefix };
  const embeddings =
    opts.standInEmbeddings === false ? null : startJobWorker({ [JobName.BuildEmbeddings]: async () => ({ stand_in: true }) }, { queue: QueueName.Embeddings, ...jobs }, silentLog);
  const keys = async (): Promise<string[]> => {
    const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      return await redis.keys(`${prefix}:*`);
    } finally {
      redis.disconnect();
    }
  };
  return {
    prefix,
    queue,
    jobs,
    /** The keys left under the prefix (none once `close` has run). */
    keys,
    async close(): Promise<void> {
      await embeddings?.stop('end of the tests');
      await queue.close();
      for (const name of [QueueName.Etl, QueueName.Embeddings]) {
        const cleanup = new Queue(name, { connection: { url: TEST_REDIS_URL }, prefix });
        await cleanup.obliterate({ force: true });
        await cleanup.close();
      }
      // `queue.close()` has disconnected `connection` (the queue owns it): a second disconnect
      // would arm ioredis's 2 s stream-destroy timer on a stream already closed, and keep the
      // jest worker alive past its end.
      const left = await keys();
      if (left.length > 0) {
        const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
        try {
          await redis.del(...left);
        } finally {
          redis.disconnect();
        }
      }
    },
  };
}

export type TestQueues = Awaited<ReturnType<typeof openTestQueues>>;

/** What a suite on the real BullMQ works with: filled before its first test (see `queueSuite`). */
export interface QueueSuite {
  t: TestDatabase;
  queues: TestQueues;
  queue: BullmqImportQueue;
  prefix: string;
}

/**
 * For a describe block on the real BullMQ: a test database and the suite's own queues (three
 * attempts, short backoff), made before its tests and removed after them.
 */
export function queueSuite(): QueueSuite {
  const suite = {} as QueueSuite;
  beforeAll(async () => {
    suite.t = await createTestDatabase();
    suite.queues = await openTestQueues({ name: 'cine-test', attempts: 3, backoffMs: 100 });
    suite.queue = suite.queues.queue;
    suite.prefix = suite.queues.prefix;
  });
  afterAll(async () => {
    await suite.queues?.close();
    await suite.t?.drop();
  });
  return suite;
}

/** For a describe block: the ETL's job worker in this process, on the suite's queue and database, during its tests. */
export function etlWorkerInThisProcess(suite: QueueSuite): void {
  let worker: JobWorker;
  beforeAll(async () => {
    worker = startJobWorker(etlFor(suite.t.handle).handlers, { queue: QueueName.Etl, ...suite.queues.jobs, isBadInput }, silentLog);
    await worker.worker.waitUntilReady();
  });
  afterAll(async () => {
    await worker?.stop('end of the tests');
  });
}
