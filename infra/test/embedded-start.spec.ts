import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { deadline } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import IORedis from 'ioredis';
import { etlFor, SAMPLE_POLICY } from '@cine/etl-worker/testing/etl-harness';
import { samplePath } from '@cine/etl-worker/testing/sample-path';
import { freePort, NativeProcess, statusOf, waitFor } from './native-stack';

/**
 * `npm start` as someone without Docker runs it: nothing but Node, no DATABASE_URL nor REDIS_URL,
 * a fresh DATA_DIR. The port answers before any data, the first import runs from IMDB_SOURCE
 * (sample folders here) with its progress visible on the console and through the page's status
 * API, and a recommendation comes back through the page's API. A second start on the same data
 * serves the catalogue at once, without importing again.
 */


interface Status {
  films: number;
  ready: boolean;
  import: { state: string; progress: number | null; step: string | null };
}

jest.setTimeout(deadline(240_000));

describe('npm start, the embedded default', () => {
  let dataDir: string;
  let port: number;
  let app: NativeProcess | undefined;
  const base = () => `http://127.0.0.1:${port}`;
  const env = () => ({
    PORT: String(port),
    DATA_DIR: dataDir,
    // Later folders win for a title present twice, as in `npm run etl -- --imdb a,b`.
    IMDB_SOURCE: [samplePath('imdb/year-2022'), samplePath('imdb/famous-40')].join(','),
    TMDB_SOURCE: samplePath('tmdb/tmdb_full.csv'),
    RECOMMENDER_POLL_MS: '600000',
  });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cine-embedded-'));
    port = await freePort();
  });

  afterEach(async () => {
    await app?.interrupt(15_000);
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers before any data, imports the catalogue on its own, then recommends', async () => {
    const spawnedAt = Date.now();
    app = NativeProcess.start('npm start', ['npm', 'start'], env());

    // The port opens first; the page is there before the catalogue.
    await waitFor('the page answers', async () => (await statusOf(`${base()}/`)) === 200, { timeoutMs: 60_000, process: app, intervalMs: 100 });
    const pageMs = Date.now() - spawnedAt;
    const statuses: Status[] = [];
    await waitFor(
      'catalogue status answers',
      async () => {
        const response = await fetch(`${base()}/api/v1/catalogue/status`);
        if (response.status !== 200) return false;
        statuses.push((await response.json()) as Status);
        return true;
      },
      { timeoutMs: 60_000, process: app, intervalMs: 100 },
    );
    const apiMs = Date.now() - spawnedAt;
    // The API is up before the catalogue is: the first status a page could read says "not ready yet".
    expect(statuses[0]).toMatchObject({ films: 0, ready: false });
    // And the starting page has handed over to the customer page.
    const page = await (await fetch(`${base()}/`)).text();
    expect(page).toMatch(/<html/i);
    expect(page).not.toMatch(/démarre/);
    await waitFor(
      'catalogue ready',
      async () => {
        const status = (await (await fetch(`${base()}/api/v1/catalogue/status`)).json()) as Status;
        statuses.push(status);
        if (status.import.state === 'failed') throw new Error(`import failed: ${status.import.step}\n${app!.tail()}`);
        return status.ready;
      },
      { timeoutMs: 180_000, process: app, intervalMs: 200 },
    );
    // The page saw the import go by (queued or running) before the catalogue was ready.
    expect(statuses.some((s) => !s.ready && (s.import.state === 'queued' || s.import.state === 'running'))).toBe(true);
    const last = statuses.at(-1)!;
    expect(last.films).toBeGreaterThan(40);
    // Visible in the test output: the figures behind "the page answers within 10 s".
    process.stdout.write(`npm start: page after ${pageMs} ms, API after ${apiMs} ms, ${last.films} films\n`);

    // The console tells the same story, ending once the post-import work (embeddings, KPIs) is done.
    await waitFor('console says the catalogue is ready', async () => /Catalogue ready: \d+ films and series/.test(app!.tail(400)), { timeoutMs: 60_000, process: app });
    expect(app.tail(400)).toMatch(/The catalogue is empty: importing .*famous-40/);

    // The embeddings follow the import: a recommendation through the page's API.
    await waitFor('recommender ready', async () => (await statusOf(`${base()}/health/ready`)) === 200, { timeoutMs: 60_000, process: app });
    const response = await fetch(`${base()}/api/v1/recommendations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ liked: ['Le Parrain', 'tt0211915'], k: 5 }),
    });
    const body = (await response.json()) as {
      coldStart: boolean;
      resolved: { liked: Array<{ status: string; tconst: string | null }> };
      items: Array<{ tconst: string; reason: { fr: string } }>;
    };
    expect(response.status).toBe(200);
    expect(body.resolved.liked.map((e) => e.tconst)).toEqual(['tt0068646', 'tt0211915']);
    expect(body.coldStart).toBe(false);
    expect(body.items).toHaveLength(5);
    expect(body.items.map((i) => i.tconst)).not.toContain('tt0068646');
    expect(body.items.every((i) => i.reason.fr.length > 0)).toBe(true);

    // Everything lives in DATA_DIR.
    expect(readdirSync(dataDir)).toContain('pglite');
    // Ctrl-C stops it cleanly, within the grace period (no SIGKILL needed).
    const code = await app.interrupt(15_000);
    expect(app.killed).toBe(false);
    expect(app.tail()).toMatch(/Stopping \(SIGINT\)/);
    const stoppedLogged = app.jsonLogs().some((l) => l.msg === 'stopped');
    // On failure, the exit code and the last lines say how it ended.
    expect({ stoppedLogged, tail: stoppedLogged ? '' : `exit code ${String(code)}\n${app.tail(40)}` }).toEqual({ stoppedLogged: true, tail: '' });
  });

  it('a second start on the same DATA_DIR serves the catalogue without importing again', async () => {
    app = NativeProcess.start('npm start', ['npm', 'start'], env());
    await waitFor('catalogue status answers', async () => (await statusOf(`${base()}/api/v1/catalogue/status`)) === 200, { timeoutMs: 60_000, process: app, intervalMs: 100 });
    const status = (await (await fetch(`${base()}/api/v1/catalogue/status`)).json()) as Status;
    expect(status.ready).toBe(true);
    expect(status.films).toBeGreaterThan(40);
    await waitFor('recommender ready', async () => (await statusOf(`${base()}/health/ready`)) === 200, { timeoutMs: 60_000, process: app });
    const response = await fetch(`${base()}/api/v1/recommendations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ liked: ['tt0068646'], k: 3 }),
    });
    expect(response.status).toBe(200);
    expect(app.tail(400)).not.toMatch(/The catalogue is empty/);
  });

  describe('with DATABASE_URL and REDIS_URL set', () => {
    let db: TestDatabase;
    const prefix = `cine-embedded-${process.pid}-${randomBytes(4).toString('hex')}`;
    const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

    beforeAll(async () => {
      // An imported catalogue without the post-import steps: no embedding version yet. famous-40
      // rather than a copy of the whole samples: the embeddings npm start builds for it are the
      // point, not their number (the samples' took most of this file's time).
      db = await createTestDatabase();
      await etlFor(db.handle).importer.imdb({ sources: [samplePath('imdb/famous-40')], policy: SAMPLE_POLICY });
    });

    afterAll(async () => {
      await db?.drop();
      const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    });

    it('runs on those servers, leaves DATA_DIR alone, and builds the missing embeddings of an existing catalogue', async () => {
      const emptyDir = mkdtempSync(join(tmpdir(), 'cine-embedded-servers-'));
      try {
        app = NativeProcess.start('npm start', ['npm', 'start'], { ...env(), DATA_DIR: emptyDir, DATABASE_URL: db.url!, REDIS_URL: redisUrl, ETL_QUEUE_PREFIX: prefix });
        await waitFor('recommender ready', async () => (await statusOf(`${base()}/health/ready`)) === 200, { timeoutMs: 120_000, process: app, intervalMs: 250 });
        const ready = (await (await fetch(`${base()}/health/ready`)).json()) as { checks: Record<string, { detail?: string }> };
        expect(ready.checks.db?.detail ?? '').not.toMatch(/pglite/i);
        expect(app.tail(400)).toMatch(/embeddings rebuilt for the existing catalogue/);
        expect(app.tail(400)).not.toMatch(/The catalogue is empty/);
        const response = await fetch(`${base()}/api/v1/recommendations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ liked: ['tt0068646'], k: 3 }),
        });
        expect(response.status).toBe(200);
        expect(((await response.json()) as { items: unknown[] }).items).toHaveLength(3);
        // The import queue is BullMQ on that Redis, under this run's prefix.
        const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
        try {
          expect((await redis.keys(`${prefix}:etl:*`)).length).toBeGreaterThan(0);
        } finally {
          redis.disconnect();
        }
        expect(readdirSync(emptyDir)).toEqual([]);
      } finally {
        await app?.interrupt(15_000);
        rmSync(emptyDir, { recursive: true, force: true });
      }
    });
  });
});
