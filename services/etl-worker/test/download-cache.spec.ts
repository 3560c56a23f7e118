import { readFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type ImportRunView, InProcessImportQueue } from '@cine/common';
import { createEmbeddedTestDatabase, type TestDatabase } from '@cine/db/testing';
import { CachingImportQueue } from '../src/first-import/caching-import-queue';
import { DownloadCacheRepository, type DownloadProgress } from '../src/sources/download-cache.repository';
import { handlersFor } from './etl-harness';
import { samplePath } from './sample-path';

/**
 * The official IMDb server is outside the system: a local HTTP server serves the real sample
 * files in its place, and misbehaves on demand (a failed attempt, a body cut short).
 */

const FAMOUS = samplePath('imdb', 'famous-40');
const FILES = ['title.basics.tsv.gz', 'title.akas.tsv.gz', 'title.ratings.tsv.gz', 'name.basics.tsv.gz'];
const silent = createLogger('test', { level: 'silent' });
const fast = { attempts: 3, retryDelayMs: 10, connectTimeoutMs: 2000 };

describe('IMDb downloads for the embedded start', () => {
  let server: Server;
  let base: string;
  let dir: string;
  const hits: string[] = [];
  /** Files whose next answer fails: 'error' = HTTP 500, 'cut' = half the body then a reset. */
  const misbehave = new Map<string, 'error' | 'cut'>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const name = (req.url ?? '/').replace(/^\/imdb\//, '');
      hits.push(name);
      const path = join(FAMOUS, name);
      if (!existsSync(path)) {
        res.writeHead(404).end();
        return;
      }
      const body = readFileSync(path);
      const trouble = misbehave.get(name);
      misbehave.delete(name);
      if (trouble === 'error') {
        res.writeHead(500).end('busy');
        return;
      }
      res.writeHead(200, { 'content-length': String(body.length), 'content-type': 'application/gzip' });
      if (trouble === 'cut') {
        res.write(body.subarray(0, body.length >> 1), () => res.destroy());
        return;
      }
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/imdb/`;
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cine-downloads-'));
    hits.length = 0;
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('downloads what the server has, with byte progress, and leaves out what it does not (404)', async () => {
    const progress: DownloadProgress[] = [];
    const folder = await new DownloadCacheRepository(dir, fast).fetchAll(base, FILES, (p) => progress.push(p));
    expect(readdirSync(folder).filter((f) => f.endsWith('.gz')).sort()).toEqual(['title.akas.tsv.gz', 'title.basics.tsv.gz', 'title.ratings.tsv.gz']);
    for (const file of ['title.basics.tsv.gz', 'title.akas.tsv.gz']) {
      expect(readFileSync(join(folder, file)).equals(readFileSync(join(FAMOUS, file)))).toBe(true);
      const last = progress.filter((p) => p.file === file).at(-1)!;
      expect(last).toMatchObject({ bytes: statSync(join(FAMOUS, file)).size, total: statSync(join(FAMOUS, file)).size, fileCount: FILES.length });
    }
    expect(progress.some((p) => p.file === 'name.basics.tsv.gz')).toBe(false);
  });

  it('a second run reads the cache: no request for a file already complete', async () => {
    const repo = new DownloadCacheRepository(dir, fast);
    await repo.fetchAll(base, FILES, () => {});
    hits.length = 0;
    await repo.fetchAll(base, FILES, () => {});
    // Only the absent file is asked for again (it may appear on the server later).
    expect(hits).toEqual(['name.basics.tsv.gz']);
  });

  it('retries a server error and a body cut short; never keeps a partial file', async () => {
    misbehave.set('title.basics.tsv.gz', 'error');
    misbehave.set('title.akas.tsv.gz', 'cut');
    const folder = await new DownloadCacheRepository(dir, fast).fetchAll(base, FILES, () => {});
    expect(hits.filter((h) => h === 'title.basics.tsv.gz')).toHaveLength(2);
    expect(hits.filter((h) => h === 'title.akas.tsv.gz')).toHaveLength(2);
    expect(readFileSync(join(folder, 'title.akas.tsv.gz')).equals(readFileSync(join(FAMOUS, 'title.akas.tsv.gz')))).toBe(true);
    expect(readdirSync(folder).some((f) => f.endsWith('.part'))).toBe(false);
  });

  it('gives up after the attempts, naming the URL', async () => {
    const unreachable = 'http://127.0.0.1:1/imdb/';
    await expect(new DownloadCacheRepository(dir, { ...fast, attempts: 2 }).fetchAll(unreachable, FILES, () => {})).rejects.toThrow(
      /http:\/\/127\.0\.0\.1:1\/imdb\/title\.basics\.tsv\.gz: download failed after 2 attempts/,
    );
  });

  describe('CachingEtlQueue', () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createEmbeddedTestDatabase();
    });
    afterAll(async () => {
      await t?.drop();
    });

    it('imports an IMDb URL from its downloaded copy, reporting the download as the run progress', async () => {
      const inner = new InProcessImportQueue(handlersFor(t.handle), silent);
      const queue = new CachingImportQueue(inner, new DownloadCacheRepository(dir, fast), silent);
      const { id } = await queue.enqueue({ imdb: [base], reason: 'test' });
      expect((await queue.enqueue({ imdb: [base], reason: 'test' })).deduplicated).toBe(true);
      const seen: ImportRunView[] = [];
      for (;;) {
        const view = (await queue.status(id))!;
        seen.push(structuredClone(view));
        if (view.state === 'completed' || view.state === 'failed') break;
        await new Promise((r) => setTimeout(r, 5));
      }
      expect(seen.at(-1)).toMatchObject({ id, state: 'completed' });
      expect(seen[0]!.steps[0]).toMatchObject({ name: 'import-catalogue', state: 'active' });
      const titles = await t.handle.db.selectFrom('title').select('tconst').execute();
      expect(titles).toHaveLength(40);
      await inner.close();
    });

    it('a failed download fails the run with the reason, as the page and admin API show it', async () => {
      const inner = new InProcessImportQueue(handlersFor(t.handle), silent);
      const queue = new CachingImportQueue(inner, new DownloadCacheRepository(dir, { ...fast, attempts: 1 }), silent);
      const { id } = await queue.enqueue({ imdb: ['http://127.0.0.1:1/imdb/'] });
      let view: ImportRunView | null = null;
      for (let i = 0; i < 200; i++) {
        view = await queue.status(id);
        if (view?.state === 'failed') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(view).toMatchObject({ state: 'failed', error: expect.stringMatching(/download failed after 1 attempts/) });
      await inner.close();
    });
  });
});
