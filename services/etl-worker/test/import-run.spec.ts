import { InProcessImportQueue, JobName } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { catalogueDigest, handlersFor, SAMPLE_POLICY, silentLog, stagingRows } from './etl-harness';
import { describeWithSamples, IMDB, TMDB } from './samples';
import { ThinSample } from './thin-sample';

/**
 * One import run = one swap, at its end, after every part succeeded; and a new catalogue far
 * smaller than the one served is refused unless the run allows it. Driven through the queue, as
 * the admin API, `npm run etl` and the first start drive it.
 */
describeWithSamples('an import run', () => {
  let t: TestDatabase;
  let dir: string;
  // The catalogue served: a tenth of head-50k (every dataset) and famous-40. What these runs
  // check (one swap at the end, the refusals) does not depend on the size of the input.
  const thin = ThinSample.forSuite();
  const served = () => [thin.dir, IMDB('famous-40')];
  const hookCalls: string[] = [];
  let failHook = false;
  // A stand-in for the recommender's build worker, which records that the chain reached it.
  const buildEmbeddings = async () => {
    hookCalls.push('ran');
    if (failHook) throw new Error('embedding build ran out of memory');
    return null;
  };

  function queue(): InProcessImportQueue {
    return new InProcessImportQueue(handlersFor(t.handle, buildEmbeddings), silentLog);
  }

  async function runToEnd(request: Parameters<InProcessImportQueue['enqueue']>[0]) {
    const q = queue();
    const { id } = await q.enqueue(request);
    await q.idle();
    return (await q.status(id))!;
  }

  const latestRuns = () => t.handle.db.selectFrom('import_run').selectAll().orderBy('id', 'desc').limit(2).execute();

  beforeAll(async () => {
    t = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'cine-run-'));
    const first = await runToEnd({ imdb: served(), tmdb: [TMDB('tmdb_full.csv')], policy: SAMPLE_POLICY });
    expect(first.state).toBe('completed');
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.drop();
  });
  beforeEach(() => {
    hookCalls.length = 0;
    failHook = false;
  });

  it('changes nothing served when its TMDB part fails after the IMDb part succeeded, and runs no post-import step', async () => {
    const before = await catalogueDigest(t.handle);
    const lines = readFileSync(TMDB('tmdb_full.csv'), 'utf8').split('\n');
    const bad = join(dir, 'one-bad-row.csv');
    // One row shifted by a column: rejected, and with no rejects allowed the TMDB part fails.
    writeFileSync(bad, lines.map((l, i) => (i === 7 ? l.replace(/^False,/, '1995-10-30,') : l)).join('\n'));
    // A different IMDb catalogue (one more source), so a premature swap would show.
    const view = await runToEnd({
      imdb: [...served(), IMDB('subset-2000-movies')],
      tmdb: [bad],
      policy: { ...SAMPLE_POLICY, maxRejectShare: 0 },
    });

    expect(view.state).toBe('failed');
    expect(view.error).toMatch(/one-bad-row\.csv:\d+: 1 of 100 rows rejected/);
    expect(await catalogueDigest(t.handle)).toEqual(before);
    expect(await stagingRows(t.handle)).toBe(0);
    const staged = await sql<{ n: number }>`SELECT count(*)::int AS n FROM tmdb_staging`.execute(t.handle.db);
    expect(staged.rows[0]!.n).toBe(0);
    expect(hookCalls).toEqual([]);
    const [tmdbRun, imdbRun] = await latestRuns();
    expect(tmdbRun).toMatchObject({ kind: 'tmdb', status: 'failed' });
    expect(imdbRun).toMatchObject({ kind: 'imdb', status: 'failed' });
    expect(imdbRun!.error).toMatch(/^nothing was swapped: the TMDB part of this run failed: .*one-bad-row\.csv/);
  });

  it('swaps the IMDb catalogue and the TMDB rows together when every part succeeds, then runs post-import', async () => {
    const before = await catalogueDigest(t.handle);
    const view = await runToEnd({ imdb: [...served(), IMDB('subset-2000-movies')], tmdb: [TMDB('movies_metadata_small.csv'), TMDB('tmdb_full.csv')], policy: SAMPLE_POLICY });
    expect(view.state).toBe('completed');
    const after = await catalogueDigest(t.handle);
    expect(after.title).not.toBe(before.title);
    expect(after.title_tmdb).not.toBe(before.title_tmdb);
    expect(hookCalls).toEqual(['ran']);
    const state = await t.handle.db.selectFrom('catalogue_state').selectAll().executeTakeFirstOrThrow();
    const [tmdbRun, imdbRun] = await latestRuns();
    expect([imdbRun!.status, tmdbRun!.status]).toEqual(['succeeded', 'succeeded']);
    expect(state).toMatchObject({ import_run_id: imdbRun!.id, post_import_status: 'succeeded', post_import_error: null });
  });

  it('records a failed post-import step beside the catalogue served, and a later success clears it', async () => {
    failHook = true;
    const view = await runToEnd({ tmdb: [TMDB('tmdb_full.csv'), TMDB('movies_metadata_small.csv')], policy: SAMPLE_POLICY });
    // The import went through: the run completed, the step after it failed, and post-import says so.
    expect(view.state).toBe('completed');
    expect(view.steps.map((s) => [s.name, s.state])).toEqual([
      [JobName.ImportCatalogue, 'completed'],
      [JobName.BuildEmbeddings, 'failed'],
      [JobName.RefreshKpis, 'completed'],
      [JobName.PostImport, 'completed'],
    ]);
    let state = await t.handle.db.selectFrom('catalogue_state').selectAll().executeTakeFirstOrThrow();
    expect(state).toMatchObject({ post_import_status: 'failed', post_import_error: 'build-embeddings: embedding build ran out of memory' });

    failHook = false;
    const again = await runToEnd({ tmdb: [TMDB('tmdb_full.csv'), TMDB('movies_metadata_small.csv')], policy: SAMPLE_POLICY, nonce: 'retry' });
    expect(again.state).toBe('completed');
    state = await t.handle.db.selectFrom('catalogue_state').selectAll().executeTakeFirstOrThrow();
    expect(state).toMatchObject({ post_import_status: 'succeeded', post_import_error: null });
  });

  it('refuses a valid but tiny title.basics that would take the catalogue down to one title, naming both counts', async () => {
    const before = await catalogueDigest(t.handle);
    const tiny = join(dir, 'tiny');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(tiny, { recursive: true });
    const header = 'tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres';
    const row = 'tt0068646\tmovie\tThe Godfather\tThe Godfather\t0\t1972\t\\N\t175\tCrime,Drama';
    writeFileSync(join(tiny, 'title.basics.tsv.gz'), gzipSync(`${header}\n${row}\n${row}\n${row}\n`));

    const view = await runToEnd({ imdb: [tiny], policy: SAMPLE_POLICY });
    expect(view.state).toBe('failed');
    expect(view.error).toMatch(/the new IMDb catalogue has 1 titles against [\d,]+ served \(under 50 %\): refused/);
    expect(view.error).toMatch(/--force/);
    expect(await catalogueDigest(t.handle)).toEqual(before);
    expect(hookCalls).toEqual([]);

    // Forced (the operator means it): accepted.
    const forced = await runToEnd({ imdb: [tiny], policy: SAMPLE_POLICY, allowShrink: true });
    expect(forced.state).toBe('completed');
    const titles = await t.handle.db.selectFrom('title').select('tconst').execute();
    expect(titles).toEqual([{ tconst: 'tt0068646' }]);
  });

  it('refuses a TMDB file far smaller than the TMDB rows served', async () => {
    const before = await catalogueDigest(t.handle);
    const lines = readFileSync(TMDB('tmdb_full.csv'), 'utf8').split('\n');
    const few = join(dir, 'few.csv');
    writeFileSync(few, `${lines.slice(0, 4).join('\n')}\n`);
    const view = await runToEnd({ tmdb: [few] });
    expect(view.state).toBe('failed');
    expect(view.error).toMatch(/the new TMDB files describe 3 films against [\d,]+ served/);
    expect(await catalogueDigest(t.handle)).toEqual(before);
  });
});
