import { randomBytes } from 'node:crypto';
import { deadline, until } from '@cine/common/testing';
import { BullmqImportQueue, connectedProducer, ETL_QUEUE, JobName, type JobWorker, QueueName, startJobWorker } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { Queue } from 'bullmq';
import type IORedis from 'ioredis';
import { isBadInput } from '../src/jobs/etl.processors';
import { etlFor, SAMPLE_POLICY, silentLog } from './etl-harness';
import { expectedCatalogue } from './raw-imdb';
import { describeWithSamples, IMDB, TMDB } from './samples';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * The import chain on BullMQ with a worker in this process. The worker as a process of its own
 * (health, SIGTERM, killed mid-run) is etl-worker-processes.spec.ts, in the infra tier.
 */
describeWithSamples('ETL on BullMQ (real Redis)', () => {
  let t: TestDatabase;
  let connection: IORedis;
  let queue: BullmqImportQueue;
  // A stand-in for the recommender's build worker (another service), so the chain goes on.
  let embeddings: JobWorker;
  const prefix = `cine-test-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    t = await createTestDatabase();
    connection = await connectedProducer(REDIS_URL);
    queue = new BullmqImportQueue(connection, { attempts: 3, backoffMs: 100, prefix });
    embeddings = startJobWorker(
      { [JobName.BuildEmbeddings]: async () => ({ stand_in: true }) },
      { queue: QueueName.Embeddings, redisUrl: REDIS_URL, lockDurationMs: 30_000, stalledIntervalMs: 30_000, prefix },
      silentLog,
    );
  });
  afterAll(async () => {
    await embeddings?.stop('end of the tests');
    await queue?.close();
    for (const name of [ETL_QUEUE, QueueName.Embeddings]) {
      const cleanup = new Queue(name, { connection: { url: REDIS_URL }, prefix });
      await cleanup.obliterate({ force: true });
      await cleanup.close();
    }
    connection?.disconnect();
    await t?.drop();
  });

  describe('with a worker in this process', () => {
    let worker: JobWorker;
    beforeAll(async () => {
      worker = startJobWorker(etlFor(t.handle).handlers, { queue: QueueName.Etl, redisUrl: REDIS_URL, lockDurationMs: 30_000, stalledIntervalMs: 30_000, prefix, isBadInput }, silentLog);
      await worker.worker.waitUntilReady();
    });
    afterAll(async () => {
      await worker?.stop('end of the tests');
    });

    it('runs an import flow, reports progress per file, and runs post-import after both imports', async () => {
      const request = { imdb: [IMDB('head-50k')], tmdb: [TMDB('tmdb_full.csv')], policy: SAMPLE_POLICY };
      const { id, deduplicated } = await queue.enqueue(request);
      expect(deduplicated).toBe(false);
      const progressed = await until('progress', async () => {
        const view = await queue.status(id);
        return view?.steps.find((s) => s.name === JobName.ImportCatalogue && (s.progress?.rowsRead ?? 0) > 0)?.progress;
      });
      expect(progressed.file).toMatch(/\.tsv\.gz$/);
      const done = await until('completion', async () => {
        const view = await queue.status(id);
        return view && (view.state === 'completed' || view.state === 'failed') ? view : null;
      });
      expect(done.error).toBeNull();
      expect(done.steps.map((s) => [s.name, s.state])).toEqual([
        [JobName.ImportCatalogue, 'completed'],
        [JobName.BuildEmbeddings, 'completed'],
        [JobName.RefreshKpis, 'completed'],
        [JobName.PostImport, 'completed'],
      ]);
      const count = await t.handle.db.selectFrom('title').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(expectedCatalogue([IMDB('head-50k')]).title);

      // The same request again is the same job, not a second import.
      expect(await queue.enqueue(request)).toEqual({ id, deduplicated: true });
      // Unless asked to run again.
      const again = await queue.enqueue({ ...request, nonce: 'again' });
      expect(again.id).not.toBe(id);
      await until('second run', async () => ((await queue.status(again.id))?.state === 'completed' ? true : null));
    }, deadline(120_000));

    it('does not retry bad input, and fails the whole flow with a message naming the file', async () => {
      const { id } = await queue.enqueue({ imdb: ['/nonexistent/imdb'], policy: SAMPLE_POLICY });
      const view = await until('failure', async () => {
        const v = await queue.status(id);
        return v?.state === 'failed' ? v : null;
      });
      expect(view.error).toMatch(/\/nonexistent\/imdb: no such folder/);
      const inspect = new Queue(ETL_QUEUE, { connection: { url: REDIS_URL }, prefix });
      try {
        const job = await inspect.getJob(view.steps[0]!.id);
        expect(job?.attemptsMade).toBe(1);
      } finally {
        await inspect.close();
      }
      // A failed run may be asked for again: a new run, not the failed one deduplicated.
      expect((await queue.enqueue({ imdb: ['/nonexistent/imdb'], policy: SAMPLE_POLICY })).deduplicated).toBe(false);
      await until('the second failure', async () => ((await queue.status(id))?.state === 'failed' ? true : null));
    });
  });
});
