import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';
import { BullmqImportQueue, connectedProducer, ETL_QUEUE, JobName, type JobWorker, QueueName, startJobWorker } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { Queue } from 'bullmq';
import type IORedis from 'ioredis';
import { sql } from 'kysely';
import { isBadInput } from '../src/jobs/etl.processors';
import { etlFor, SAMPLE_POLICY, silentLog, stagingRows } from './etl-harness';
import { expectedCatalogue } from './raw-imdb';
import { describeWithSamples, IMDB, REPO_ROOT, TMDB } from './samples';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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
    }, 120_000);

    it('npm run etl -- --queue enqueues the import, follows its progress and exits 0 when it completed', async () => {
      // Spawned asynchronously: the worker that runs the job lives in this very process.
      const cli = await new Promise<{ status: number | null; stderr: string }>((done) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', resolve(REPO_ROOT, 'services/etl-worker/src/etl.cli.ts'), '--imdb', IMDB('famous-40'), '--min-votes', '0', '--queue', '--force'],
          { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '', REDIS_URL, ETL_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' }, stdio: ['ignore', 'ignore', 'pipe'] },
        );
        let stderr = '';
        child.stderr!.on('data', (d) => (stderr += d));
        child.once('exit', (status) => done({ status, stderr }));
      });
      expect(cli.stderr).toMatch(/^enqueued: import post-import-[0-9a-f]{24}$/m);
      expect(cli.stderr).toMatch(/import post-import-[0-9a-f]{24} completed in/);
      expect(cli.status).toBe(0);
      const titles = await t.handle.db.selectFrom('title').select('tconst').execute();
      expect(titles).toHaveLength(40);
    });

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
    });
  });

  describe('with worker processes', () => {
    const children: ChildProcess[] = [];
    const startWorker = (extraEnv: Record<string, string> = {}) => {
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'services/etl-worker/src/main.ts')], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          DATABASE_URL: t.url,
          REDIS_URL,
          ETL_QUEUE_PREFIX: prefix,
          ETL_LOCK_DURATION_MS: '2000',
          ETL_STALLED_INTERVAL_MS: '1000',
          LOG_LEVEL: 'warn',
          NODE_OPTIONS: '',
          // Health port: any free one, so workers of concurrent tests never collide.
          PORT: '0',
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout!.on('data', (d) => (output += d));
      child.stderr!.on('data', (d) => (output += d));
      children.push(child);
      return { child, output: () => output };
    };
    afterAll(() => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    });

    it('answers its health and metrics routes on PORT (compose healthcheck)', async () => {
      const port = await new Promise<number>((r) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as AddressInfo;
          probe.close(() => r(port));
        });
      });
      const worker = startWorker({ PORT: String(port), HOST: '127.0.0.1' });
      const ready = await until('the worker health route', async () => {
        const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => null);
        return res ? { status: res.status, body: (await res.json()) as { checks: Record<string, { ok: boolean }> } } : null;
      });
      expect(ready.status).toBe(200);
      expect(Object.keys(ready.body.checks).sort()).toEqual(['db', 'redis', 'worker']);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/^etl_job_active\{service="etl-worker"\} 0$/m);
      worker.child.kill('SIGTERM');
      expect(await new Promise((r) => worker.child.once('exit', r))).toBe(0);
    }, 60_000);

    it('on SIGTERM interrupts the running import at once, leaves the catalogue as it was, and the job is retried', async () => {
      const first = startWorker();
      const { id } = await queue.enqueue({ imdb: [IMDB('head-50k')], policy: SAMPLE_POLICY, nonce: 'sigterm' });
      await until('the import to be running', async () => {
        const step = (await queue.status(id))?.steps.find((s) => s.name === JobName.ImportCatalogue);
        return step?.state === 'active' && (step.progress?.fileIndex ?? 0) >= 2;
      });
      const before = await t.handle.db.selectFrom('catalogue_state').selectAll().executeTakeFirstOrThrow();
      const stopping = Date.now();
      first.child.kill('SIGTERM');
      const code = await new Promise((r) => first.child.once('exit', r));
      expect(code).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(10_000);
      expect(await t.handle.db.selectFrom('catalogue_state').selectAll().executeTakeFirstOrThrow()).toEqual(before);
      expect(await stagingRows(t.handle)).toBe(0);
      const interrupted = await t.handle.db.selectFrom('import_run').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(interrupted).toMatchObject({ status: 'failed', error: 'import interrupted: SIGTERM' });
      const view = await queue.status(id);
      expect(view?.state).not.toBe('failed');

      const second = startWorker();
      const done = await until('the retried import', async () => {
        const v = await queue.status(id);
        return v && (v.state === 'completed' || v.state === 'failed') ? v : null;
      });
      expect(done.state).toBe('completed');
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }, 180_000);

    it('retries an import whose worker was killed mid-run: no duplicates, no leftover staging', async () => {
      const first = startWorker();
      const { id } = await queue.enqueue({ imdb: [IMDB('head-50k')], policy: SAMPLE_POLICY, nonce: 'kill' });
      await until('the import to be half-way', async () => {
        const view = await queue.status(id);
        const step = view?.steps.find((s) => s.name === JobName.ImportCatalogue);
        // From the 4th file on, the titles' COPY has committed into the staging schema.
        return step?.state === 'active' && (step.progress?.fileIndex ?? 0) >= 4;
      });
      first.child.kill('SIGKILL');
      await new Promise((r) => first.child.once('exit', r));
      expect(await stagingRows(t.handle)).toBeGreaterThan(0);

      const second = startWorker();
      const done = await until(
        'the retried import',
        async () => {
          const v = await queue.status(id);
          return v && (v.state === 'completed' || v.state === 'failed') ? v : null;
        },
        150_000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\nworker output:\n${second.output()}`);
      });
      expect(done.state).toBe('completed');
      const { basicsRows: _, dangling: __, ...expected } = expectedCatalogue([IMDB('head-50k')]);
      const { rows } = await sql<Record<string, number>>`
        SELECT (SELECT count(*) FROM title)::int AS title, (SELECT count(*) FROM credit)::int AS credit,
               (SELECT count(*) FROM person)::int AS person, (SELECT count(*) FROM title_aka)::int AS title_aka`.execute(t.handle.db);
      expect(rows[0]).toEqual({ title: expected.title, credit: expected.credit, person: expected.person, title_aka: expected.title_aka });
      expect(await stagingRows(t.handle)).toBe(0);
      const runs = await t.handle.db.selectFrom('import_run').select(['status', 'job_id']).where('job_id', '=', done.steps[0]!.id).orderBy('id').execute();
      expect(runs.map((r) => r.status)).toEqual(['abandoned', 'succeeded']);

      // SIGTERM: the idle worker closes its connections and exits cleanly.
      second.child.kill('SIGTERM');
      const code = await new Promise((r) => second.child.once('exit', r));
      expect(code).toBe(0);
    }, 180_000);
  });
});
