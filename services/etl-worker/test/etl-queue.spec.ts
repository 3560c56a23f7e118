import { deadline, until } from '@cine/common/testing';
import { ETL_QUEUE, JobName } from '@cine/common';
import { Queue } from 'bullmq';
import { etlWorkerInThisProcess, queueSuite, SAMPLE_POLICY, TEST_REDIS_URL } from './etl-harness';
import { expectedCatalogue } from './raw-imdb';
import { describeWithSamples, IMDB, TMDB } from './samples';

/**
 * The import chain on BullMQ with a worker in this process. The worker as a process of its own
 * (health, SIGTERM, killed mid-run) is etl-worker-processes.spec.ts, in the infra tier.
 */
describeWithSamples('ETL on BullMQ (real Redis)', () => {
  const suite = queueSuite();

  describe('with a worker in this process', () => {
    etlWorkerInThisProcess(suite);

    it('runs an import flow, reports progress per file, and runs post-import after both imports', async () => {
      const { queue, t } = suite;
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
      const { queue, prefix } = suite;
      const { id } = await queue.enqueue({ imdb: ['/nonexistent/imdb'], policy: SAMPLE_POLICY });
      const view = await until('failure', async () => {
        const v = await queue.status(id);
        return v?.state === 'failed' ? v : null;
      });
      expect(view.error).toMatch(/\/nonexistent\/imdb: no such folder/);
      const inspect = new Queue(ETL_QUEUE, { connection: { url: TEST_REDIS_URL }, prefix });
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
