import { InProcessImportQueue, JobName } from '@cine/common';
import { createEmbeddedTestDatabase, type TestDatabase } from '@cine/db/testing';
import { handlersFor, SAMPLE_POLICY, silentLog } from './etl-harness';
import { describeWithSamples, IMDB, TMDB } from './samples';

/** The embedded default: no Redis, the same processors run in the process, one import at a time. */
describeWithSamples('in-process ETL queue on the embedded database', () => {
  let t: TestDatabase;
  let queue: InProcessImportQueue;
  beforeAll(async () => {
    t = await createEmbeddedTestDatabase();
    queue = new InProcessImportQueue(handlersFor(t.handle), silentLog);
  });
  afterAll(async () => {
    await queue?.close();
    await t?.drop();
  });

  it('runs the imports then post-import, with progress, and deduplicates a repeated request', async () => {
    const request = { imdb: [IMDB('famous-40')], tmdb: [TMDB('tmdb_full.csv')], policy: SAMPLE_POLICY };
    const { id, deduplicated } = await queue.enqueue(request);
    expect(deduplicated).toBe(false);
    expect((await queue.enqueue(request)).deduplicated).toBe(true);
    await queue.idle();
    const view = await queue.status(id);
    expect(view?.state).toBe('completed');
    expect(view?.steps.map((s) => [s.name, s.state])).toEqual([
      [JobName.ImportCatalogue, 'completed'],
      [JobName.BuildEmbeddings, 'completed'],
      [JobName.RefreshKpis, 'completed'],
      [JobName.PostImport, 'completed'],
    ]);
    expect(view?.steps[0]?.progress?.rowsRead).toBeGreaterThan(0);
    const titles = await t.handle.db.selectFrom('title').select('tconst').execute();
    expect(titles).toHaveLength(40);
  });

  it('stops a run at its first failed step and reports the error', async () => {
    const { id } = await queue.enqueue({ imdb: ['/nonexistent/imdb'], tmdb: [TMDB('tmdb_full.csv')], policy: SAMPLE_POLICY });
    await queue.idle();
    const view = await queue.status(id);
    expect(view?.state).toBe('failed');
    expect(view?.error).toMatch(/\/nonexistent\/imdb: no such folder/);
    expect(view?.steps.map((s) => s.state)).toEqual(['failed', 'waiting', 'waiting', 'waiting']);
    // A failed run can be asked for again.
    expect((await queue.enqueue({ imdb: ['/nonexistent/imdb'], tmdb: [TMDB('tmdb_full.csv')], policy: SAMPLE_POLICY })).deduplicated).toBe(false);
    await queue.idle();
  });
});
