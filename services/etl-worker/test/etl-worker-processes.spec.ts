import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import { resolve } from 'node:path';
import { deadline, runToEnd, spawnInGroup, until } from '@cine/common/testing';
import { JobName } from '@cine/common';
import { sql } from 'kysely';
import { etlWorkerInThisProcess, queueSuite, SAMPLE_POLICY, stagingRows, TEST_REDIS_URL } from './etl-harness';
import { expectedCatalogue } from './raw-imdb';
import { describeWithSamples, IMDB, REPO_ROOT } from './samples';

const REDIS_URL = TEST_REDIS_URL;

/**
 * The ETL worker and `npm run etl -- --queue` as the processes they are in production: health on
 * PORT, SIGTERM mid-import, a worker killed mid-run and its job retried. The import chain with a
 * worker in this process is etl-queue.spec.ts (integration).
 */
describeWithSamples('ETL worker processes on BullMQ (real Redis)', () => {
  const suite = queueSuite();

  describe('npm run etl -- --queue, with a worker in this process', () => {
    etlWorkerInThisProcess(suite);

    it('npm run etl -- --queue enqueues the import, follows its progress and exits 0 when it completed', async () => {
      const { t, prefix } = suite;
      // Spawned asynchronously: the worker that runs the job lives in this very process.
      const cli = await runToEnd(
        process.execPath,
        ['--import', 'tsx', resolve(REPO_ROOT, 'services/etl-worker/src/etl.cli.ts'), '--imdb', IMDB('famous-40'), '--min-votes', '0', '--queue', '--force'],
        { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '', REDIS_URL, ETL_QUEUE_PREFIX: prefix, LOG_LEVEL: 'warn' } },
      );
      expect(cli.stderr).toMatch(/^enqueued: import post-import-[0-9a-f]{24}$/m);
      expect(cli.stderr).toMatch(/import post-import-[0-9a-f]{24} completed in/);
      expect(cli.code).toBe(0);
      const titles = await t.handle.db.selectFrom('title').select('tconst').execute();
      expect(titles).toHaveLength(40);
    });

  });

  describe('with worker processes', () => {
    /** A worker process in its own group: killed with the test if it outlives it. */
    const startWorker = (extraEnv: Record<string, string> = {}) => {
      const { t, prefix } = suite;
      const child = spawnInGroup(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'services/etl-worker/src/main.ts')], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          DATABASE_URL: t.url,
          REDIS_URL,
          ETL_QUEUE_PREFIX: prefix,
          // Short, so a killed worker's job is taken over soon; scaled, so a slowed live worker
          // still renews its lock in time.
          ETL_LOCK_DURATION_MS: String(deadline(2000)),
          ETL_STALLED_INTERVAL_MS: String(deadline(1000)),
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
      const exited = once(child, 'exit').then(([code]) => code as number | null);
      return { child, exited, output: () => output };
    };

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
      expect(await worker.exited).toBe(0);
    }, deadline(60_000));

    it('on SIGTERM interrupts the running import at once, leaves the catalogue as it was, and the job is retried', async () => {
      const { t, queue } = suite;
      const first = startWorker();
      const { id } = await queue.enqueue({ imdb: [IMDB('head-50k')], policy: SAMPLE_POLICY, nonce: 'sigterm' });
      await until('the import to be running', async () => {
        const step = (await queue.status(id))?.steps.find((s) => s.name === JobName.ImportCatalogue);
        return step?.state === 'active' && (step.progress?.fileIndex ?? 0) >= 2;
      });
      const before = await t.handle.db.selectFrom('catalogue_state').selectAll().executeTakeFirstOrThrow();
      const stopping = Date.now();
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(deadline(10_000));
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
      await second.exited;
    }, deadline(180_000));

    it('retries an import whose worker was killed mid-run: no duplicates, no leftover staging', async () => {
      const { t, queue } = suite;
      const first = startWorker();
      const { id } = await queue.enqueue({ imdb: [IMDB('head-50k')], policy: SAMPLE_POLICY, nonce: 'kill' });
      await until('the import to be half-way', async () => {
        const view = await queue.status(id);
        const step = view?.steps.find((s) => s.name === JobName.ImportCatalogue);
        // From the 4th file on, the titles' COPY has committed into the staging schema.
        return step?.state === 'active' && (step.progress?.fileIndex ?? 0) >= 4;
      });
      first.child.kill('SIGKILL');
      await first.exited;
      expect(await stagingRows(t.handle)).toBeGreaterThan(0);

      const second = startWorker();
      const done = await until(
        'the retried import',
        async () => {
          const v = await queue.status(id);
          return v && (v.state === 'completed' || v.state === 'failed') ? v : null;
        },
        { timeoutMs: 150_000, detail: () => `worker output:\n${second.output()}` },
      );
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
      expect(await second.exited).toBe(0);
    }, deadline(180_000));
  });
});
