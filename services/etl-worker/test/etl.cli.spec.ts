import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runToEnd, spawnInGroup } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { SampleCopy } from './corrupt';
import { catalogueDigest } from './etl-harness';
import { describeWithSamples, IMDB, REPO_ROOT, TMDB } from './samples';
import { ThinSample } from './thin-sample';

/**
 * `npm run etl -- ARGS` to its end, in a process group of its own: a run past its deadline is
 * killed with everything it started, so it never holds the import lock into the next test.
 */
async function etl(args: string[], env: Record<string, string | undefined>) {
  const { code, stdout, stderr } = await runToEnd(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'services/etl-worker/src/etl.cli.ts'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', ...env },
    timeoutMs: 120_000,
  });
  return { code, stdout, stderr };
}

describe('npm run etl (command line)', () => {
  it('prints its usage with the filter rules and their reasons', async () => {
    const { code, stdout } = await etl(['--help'], {});
    expect(code).toBe(0);
    expect(stdout).toMatch(/--min-votes N/);
    expect(stdout).toMatch(/min-votes: Titles almost nobody rated/);
  });

  it('exits 2 on a bad option, naming it', async () => {
    const { code, stderr } = await etl(['--min-votes', 'many'], {});
    expect(code).toBe(2);
    expect(stderr).toMatch(/--min-votes must be a non-negative integer, got "many"/);
  });

  it('exits 1 and names the variable when the environment is wrong', async () => {
    const { code, stderr } = await etl(['--imdb', '/x'], { DATABASE_URL: 'mysql://nope' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/DATABASE_URL must use postgres or postgresql/);
  });
});

/**
 * What only the command as a process shows: its exit codes, its messages and progress on stderr,
 * its report, Ctrl-C, its environment. The import itself (every dataset, every kind of bad input,
 * idempotence) is checked in-process by imdb-import, imdb-bad-input and import-run; here a tenth
 * of head-50k (every dataset, real lines) is enough to be imported.
 */
describeWithSamples('npm run etl on the samples', () => {
  let t: TestDatabase;
  let out: string;
  const thin = ThinSample.forSuite();
  beforeAll(async () => {
    t = await createTestDatabase({ migrate: false });
    out = mkdtempSync(join(tmpdir(), 'cine-cli-'));
  });
  afterAll(async () => {
    rmSync(out, { recursive: true, force: true });
    await t?.drop();
  });

  it('migrates, loads every IMDb dataset and TMDB with plain progress lines, and gives identical counts twice', async () => {
    const args = ['--imdb', thin.dir, '--tmdb', TMDB('tmdb_full.csv'), '--min-votes', '0', '--report-json', join(out, 'r.json')];
    const first = await etl(args, { DATABASE_URL: t.url });
    expect(first.stderr).toMatch(/IMDb: .* rows read, .* kept, 0 rejected/);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/^progress: /m);
    const report = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'));
    expect(report.rowsRead).toBe(thin.totalRows);
    expect(report.maxRssKb).toBeGreaterThan(10_000);
    const digest = await catalogueDigest(t.handle);
    const second = await etl(args, { DATABASE_URL: t.url });
    expect(second.code).toBe(0);
    expect(await catalogueDigest(t.handle)).toEqual(digest);
  });

  it('stops cleanly on Ctrl-C: exit 130, nothing swapped, the ledger says interrupted', async () => {
    const before = await catalogueDigest(t.handle);
    const child = spawnInGroup(process.execPath, ['--import', 'tsx', resolve(REPO_ROOT, 'services/etl-worker/src/etl.cli.ts'), '--imdb', `${IMDB('head-50k')},${IMDB('year-2022')}`, '--min-votes', '0'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_OPTIONS: '', LOG_LEVEL: 'warn', DATABASE_URL: t.url },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const exited = once(child, 'close').then(([code]) => code as number | null);
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (/^progress: /m.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    expect(await exited).toBe(130);
    expect(stderr).toContain('etl: import interrupted: SIGINT; nothing was changed, the previous catalogue is still serving');
    expect(await catalogueDigest(t.handle)).toEqual(before);
    const run = await t.handle.db.selectFrom('import_run').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'failed', error: 'import interrupted: SIGINT' });
  });

  it('reads comma lists from IMDB_SOURCE and TMDB_SOURCE when no option names the sources', async () => {
    const imdb = [thin.dir, IMDB('famous-40')];
    const { code, stderr } = await etl(['--min-votes', '0'], { DATABASE_URL: t.url, IMDB_SOURCE: imdb.join(','), TMDB_SOURCE: TMDB('tmdb_full.csv') });
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    const runs = await t.handle.db.selectFrom('import_run').select(['kind', 'sources', 'status']).orderBy('id', 'desc').limit(2).execute();
    expect(runs).toEqual([
      { kind: 'tmdb', sources: [TMDB('tmdb_full.csv')], status: 'succeeded' },
      { kind: 'imdb', sources: imdb, status: 'succeeded' },
    ]);
  });

  // Every kind of bad input is imdb-bad-input.spec.ts's, in-process. What the command adds is the
  // exit code and the message on stderr: one bad file (its line named) and one unreachable URL
  // (the HTTP retries set from the environment) show them.
  const corruptions: Array<[string, (copy: SampleCopy) => { args?: string[]; message: (copy: SampleCopy) => string }]> = [
    ['invalid UTF-8', (c) => (c.poisonByte('title.basics', 77, 3, 0xfe), { message: (c) => `${c.file('title.basics')}: line 77: invalid UTF-8` })],
    ['an unreachable URL', () => ({ args: ['--imdb', 'http://127.0.0.1:9/imdb/'], message: () => 'http://127.0.0.1:9/imdb/title.ratings.tsv.gz: unreachable after 2 attempts' })],
  ];

  it.each(corruptions)('exits 1 on %s with a message naming the file (and line), counts unchanged', async (_name, corrupt) => {
    const before = await catalogueDigest(t.handle);
    const copy = new SampleCopy(thin.dir);
    try {
      const { args, message } = corrupt(copy);
      const { code, stderr } = await etl(args ?? ['--imdb', copy.dir, '--min-votes', '0'], { DATABASE_URL: t.url, ETL_HTTP_ATTEMPTS: '2', ETL_HTTP_RETRY_DELAY_MS: '10' });
      expect(stderr).toContain(`etl: error: ${message(copy)}`);
      expect(code).toBe(1);
      expect(await catalogueDigest(t.handle)).toEqual(before);
    } finally {
      copy.dispose();
    }
  });
});
