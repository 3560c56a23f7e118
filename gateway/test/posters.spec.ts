import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadline } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { type RunningGateway, startGateway } from './gateway-harness';

/** A real 40×60 JPEG (a 2:3 poster, drawn by Chromium and saved as JPEG by playwright's screenshot): what TMDB would send. */
const JPEG = readFileSync(join(__dirname, 'fixtures', 'poster.jpg'));
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The gateway's fetch timeout in these tests; a "slow" TMDB answers well after it. */
const TIMEOUT_MS = deadline(500);

type Behaviour = (res: ServerResponse) => void;
const jpeg: Behaviour = (res) => res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': JPEG.length }).end(JPEG);

/** TMDB's image server, on a local port: each poster path answers as the test says, and is counted. */
class FakeTmdb {
  readonly hits = new Map<string, number>();
  readonly behaviours = new Map<string, Behaviour>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const path = req.url ?? '';
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      res.on('error', () => undefined);
      (this.behaviours.get(path) ?? ((r) => r.writeHead(404).end('not found')))(res);
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/t/p`;
  }

  /** Answers after `ms`: the gateway has given up by then when `ms` is past its timeout. */
  later(ms: number, then: Behaviour): Behaviour {
    return (res) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) then(res);
      }, ms);
      this.timers.add(timer);
    };
  }

  count(size: string, posterPath: string): number {
    return this.hits.get(`/t/p/${size}${posterPath}`) ?? 0;
  }

  on(size: string, posterPath: string, behaviour: Behaviour): void {
    this.behaviours.set(`/t/p/${size}${posterPath}`, behaviour);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    this.server.close();
  }
}

interface Got {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Got> {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Films with a TMDB row: tconst → poster path (null: TMDB knows the film, not its poster). */
const FILMS: Record<string, string | null> = {
  tt0000001: '/ok1.jpg',
  tt0000002: '/ok2.jpg',
  tt0000003: '/ok3.jpg',
  tt0000004: '/crowd.jpg',
  tt0000005: '/slow.jpg',
  tt0000006: '/fails.jpg',
  tt0000007: '/missing.jpg',
  tt0000008: '/html.jpg',
  tt0000009: '/labelled-html.jpg',
  tt0000010: '/png.jpg',
  tt0000011: '/huge.jpg',
  tt0000012: null,
  tt0000013: '/restart.jpg',
  tt0000014: '/before.jpg',
};
const UNKNOWN = 'tt9999999';

describe('posters: fetched once from TMDB, kept on disk, served by the gateway', () => {
  let t: TestDatabase;
  const tmdb = new FakeTmdb();
  const running: RunningGateway[] = [];
  const dirs: string[] = [];

  const newDataDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cine-posters-'));
    dirs.push(dir);
    return dir;
  };
  const start = async (env: Record<string, string> = {}) => {
    const gw = await startGateway({
      handle: t.handle,
      env: { TMDB_IMAGE_BASE_URL: tmdb.url, POSTER_FETCH_TIMEOUT_MS: String(TIMEOUT_MS), DATA_DIR: await newDataDir(), ...env },
    });
    running.push(gw);
    return gw;
  };
  let gw: RunningGateway;

  beforeAll(async () => {
    await tmdb.start();
    t = await createTestDatabase();
    for (const [tconst, posterPath] of Object.entries(FILMS)) {
      await sql`INSERT INTO title_tmdb (imdb_id, poster_path) VALUES (${tconst}, ${posterPath})`.execute(t.handle.db);
    }
    gw = await start();
  });
  afterAll(async () => {
    for (const g of running) await g.close();
    await tmdb.close();
    await t?.drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const expectPlaceholder = (got: Got, cacheControl: string) => {
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/svg+xml');
    expect(got.bytes.toString('utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(got.headers.get('cache-control')).toBe(cacheControl);
    expect(got.headers.get('etag')).toBeNull();
  };
  const failed = (got: Got) => expectPlaceholder(got, 'public, max-age=60');

  it('serves the poster TMDB sent, as an immutable JPEG with an ETag, fetched once then from disk', async () => {
    tmdb.on('w342', '/ok1.jpg', jpeg);
    const first = await get(`${gw.url}/posters/w342/tt0000001.jpg`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/jpeg');
    expect(first.bytes.equals(JPEG)).toBe(true);
    expect(first.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(first.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    // The widget shows it on the cinema's own site: another origin must be allowed to embed it.
    expect(first.headers.get('cross-origin-resource-policy')).toBe('cross-origin');

    const second = await get(`${gw.url}/posters/w342/tt0000001.jpg`);
    expect(second.bytes.equals(JPEG)).toBe(true);
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(tmdb.count('w342', '/ok1.jpg')).toBe(1);
    // Another size is another image upstream.
    tmdb.on('w185', '/ok1.jpg', jpeg);
    expect((await get(`${gw.url}/posters/w185/tt0000001.jpg`)).status).toBe(200);
    expect(tmdb.count('w185', '/ok1.jpg')).toBe(1);
  });

  it('answers 304 without a body when If-None-Match names the ETag', async () => {
    tmdb.on('w500', '/ok1.jpg', jpeg);
    const first = await get(`${gw.url}/posters/w500/tt0000001.jpg`);
    const etag = first.headers.get('etag')!;
    const again = await get(`${gw.url}/posters/w500/tt0000001.jpg`, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe(IMMUTABLE);
    const other = await get(`${gw.url}/posters/w500/tt0000001.jpg`, { 'if-none-match': '"something-else"' });
    expect(other.status).toBe(200);
    expect(other.bytes.equals(JPEG)).toBe(true);
  });

  it('makes one upstream request for 20 customers asking at once', async () => {
    tmdb.on('w342', '/crowd.jpg', tmdb.later(TIMEOUT_MS / 3, jpeg));
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(`${gw.url}/posters/w342/tt0000004.jpg`)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.every((a) => a.bytes.equals(JPEG))).toBe(true);
    expect(tmdb.count('w342', '/crowd.jpg')).toBe(1);
  });

  it('answers the placeholder, briefly cached, when TMDB is slower than the timeout, and the poster once it recovers', async () => {
    tmdb.on('w342', '/slow.jpg', tmdb.later(TIMEOUT_MS * 4, jpeg));
    const began = Date.now();
    failed(await get(`${gw.url}/posters/w342/tt0000005.jpg`));
    expect(Date.now() - began).toBeLessThan(TIMEOUT_MS * 3);
    tmdb.on('w342', '/slow.jpg', jpeg);
    const recovered = await get(`${gw.url}/posters/w342/tt0000005.jpg`);
    expect(recovered.status).toBe(200);
    expect(recovered.bytes.equals(JPEG)).toBe(true);
    expect(recovered.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(tmdb.count('w342', '/slow.jpg')).toBe(2);
  });

  it('answers the placeholder when TMDB fails (500), and asks again at the next request', async () => {
    tmdb.on('w342', '/fails.jpg', (res) => res.writeHead(500).end('oops'));
    failed(await get(`${gw.url}/posters/w342/tt0000006.jpg`));
    failed(await get(`${gw.url}/posters/w342/tt0000006.jpg`));
    expect(tmdb.count('w342', '/fails.jpg')).toBe(2);
  });

  it('answers the placeholder when TMDB has no such image (404)', async () => {
    failed(await get(`${gw.url}/posters/w342/tt0000007.jpg`));
    expect(tmdb.count('w342', '/missing.jpg')).toBe(1);
  });

  it.each([
    ['an HTML page', 'tt0000008', '/html.jpg', (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>')],
    ['JPEG bytes labelled text/html', 'tt0000009', '/labelled-html.jpg', (res: ServerResponse) => res.writeHead(200, { 'content-type': 'text/html' }).end(JPEG)],
    ['PNG bytes labelled image/jpeg', 'tt0000010', '/png.jpg', (res: ServerResponse) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))],
    [
      'a JPEG past the 2 MB cap (streamed, no length announced)',
      'tt0000011',
      '/huge.jpg',
      (res: ServerResponse) => {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.write(JPEG);
        res.end(Buffer.alloc(3 * 1024 * 1024));
      },
    ],
  ])('answers the placeholder and keeps nothing when TMDB sends %s', async (_what, tconst, posterPath, behaviour) => {
    const dataDir = await newDataDir();
    const own = await start({ DATA_DIR: dataDir });
    tmdb.on('w185', posterPath, behaviour);
    failed(await get(`${own.url}/posters/w185/${tconst}.jpg`));
    failed(await get(`${own.url}/posters/w185/${tconst}.jpg`));
    expect(tmdb.count('w185', posterPath)).toBe(2);
    expect(await readdir(dataDir)).toEqual([]);
  });

  it('answers the placeholder, cached an hour, for a film without a poster and an unknown film', async () => {
    expectPlaceholder(await get(`${gw.url}/posters/w342/tt0000012.jpg`), 'public, max-age=3600');
    expectPlaceholder(await get(`${gw.url}/posters/w342/${UNKNOWN}.jpg`), 'public, max-age=3600');
  });

  it.each([
    ['/posters/w999/tt0000001.jpg', 400],
    ['/posters/original/tt0000001.jpg', 400],
    ['/posters/w342/nm0000001.jpg', 400],
    ['/posters/w342/tt1.jpg', 400],
    ['/posters/w342/tt0000001.jpg.jpg', 400],
    ['/posters/w342/%00.jpg', 400],
    ['/posters/w342/..%2Ftt0000001.jpg', 400],
    ['/posters/w342/tt0000001.png', 404],
    ['/posters/w342', 404],
  ])('answers %s with a JSON %i', async (path, status) => {
    const res = await fetch(`${gw.url}${path}`);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ statusCode: status });
  });

  it('is in the OpenAPI document: both image types, the 304, the JSON errors', async () => {
    const doc = (await (await fetch(`${gw.url}/docs/json`)).json()) as {
      paths: Record<string, { get: { tags: string[]; parameters: Array<{ name: string; schema: unknown }>; responses: Record<string, { content?: Record<string, unknown> }> } }>;
    };
    const op = doc.paths['/posters/{size}/{tconst}.jpg']!.get;
    expect(op.tags).toEqual(['posters']);
    expect(op.parameters.map((p) => [p.name, p.schema]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual([
      ['size', expect.objectContaining({ enum: ['w185', 'w342', 'w500'] })],
      ['tconst', expect.objectContaining({ pattern: '^tt[0-9]{7,10}$' })],
      ['v', expect.objectContaining({ pattern: '^[A-Za-z0-9_-]{1,100}$' })],
    ]);
    expect(Object.keys(op.responses['200']!.content!).sort()).toEqual(['image/jpeg', 'image/svg+xml']);
    expect(Object.keys(op.responses).sort()).toEqual(['200', '304', '400', '429', '500']);
  });

  it('keeps posters under POSTER_CACHE_MAX_BYTES, least recently used out', async () => {
    const dataDir = await newDataDir();
    // Room for two posters, not three.
    const own = await start({ DATA_DIR: dataDir, POSTER_CACHE_MAX_BYTES: String(Math.floor(JPEG.length * 2.5)) });
    for (const path of ['/ok1.jpg', '/ok2.jpg', '/ok3.jpg']) tmdb.on('w185', path, jpeg);
    const before = (path: string) => tmdb.count('w185', path);
    const [c1, c2, c3] = [before('/ok1.jpg'), before('/ok2.jpg'), before('/ok3.jpg')];
    await get(`${own.url}/posters/w185/tt0000001.jpg`);
    await get(`${own.url}/posters/w185/tt0000002.jpg`);
    // The first is used again: the second is now the least recently used.
    await get(`${own.url}/posters/w185/tt0000001.jpg`);
    await get(`${own.url}/posters/w185/tt0000003.jpg`);
    expect((await readdir(join(dataDir, 'posters', 'w185'))).sort()).toEqual(['tt0000001.jpg', 'tt0000001.jpg.source', 'tt0000003.jpg', 'tt0000003.jpg.source']);
    expect([before('/ok1.jpg') - c1, before('/ok2.jpg') - c2, before('/ok3.jpg') - c3]).toEqual([1, 1, 1]);
    // The evicted one is fetched again; the kept ones are not.
    await get(`${own.url}/posters/w185/tt0000002.jpg`);
    await get(`${own.url}/posters/w185/tt0000003.jpg`);
    expect([before('/ok1.jpg') - c1, before('/ok2.jpg') - c2, before('/ok3.jpg') - c3]).toEqual([1, 2, 1]);
  });

  it('keeps the disk cache across a restart: no upstream request the second time, half-written files dropped', async () => {
    const dataDir = await newDataDir();
    tmdb.on('w342', '/restart.jpg', jpeg);
    const first = await start({ DATA_DIR: dataDir });
    const before = await get(`${first.url}/posters/w342/tt0000013.jpg`);
    expect(tmdb.count('w342', '/restart.jpg')).toBe(1);
    await first.close();
    running.splice(running.indexOf(first), 1);
    // What a crash mid-write leaves: a temporary file, never served, removed at the next start.
    await mkdir(join(dataDir, 'posters', 'w342'), { recursive: true });
    await writeFile(join(dataDir, 'posters', 'w342', 'tt0000001.jpg.0123456789ab.tmp'), JPEG.subarray(0, 100));

    const second = await start({ DATA_DIR: dataDir });
    const after = await get(`${second.url}/posters/w342/tt0000013.jpg`);
    expect(after.status).toBe(200);
    expect(after.bytes.equals(JPEG)).toBe(true);
    expect(after.headers.get('etag')).toBe(before.headers.get('etag'));
    expect(tmdb.count('w342', '/restart.jpg')).toBe(1);
    expect((await readdir(join(dataDir, 'posters', 'w342'))).sort()).toEqual(['tt0000013.jpg', 'tt0000013.jpg.source']);
  });

  it('a changed poster_path is a new URL (?v=) and the new image; the kept file knows its source', async () => {
    const NEW_JPEG = Buffer.concat([JPEG, Buffer.from('another poster')]);
    tmdb.on('w342', '/before.jpg', jpeg);
    tmdb.on('w342', '/after.jpg', (res) => res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': NEW_JPEG.length }).end(NEW_JPEG));
    const dataDir = await newDataDir();
    const own = await start({ DATA_DIR: dataDir });
    const first = await get(`${own.url}/posters/w342/tt0000014.jpg?v=before`);
    expect(first.bytes.equals(JPEG)).toBe(true);
    expect((await get(`${own.url}/posters/w342/tt0000014.jpg?v=before`)).bytes.equals(JPEG)).toBe(true);
    expect(tmdb.count('w342', '/before.jpg')).toBe(1);
    expect(readFileSync(join(dataDir, 'posters', 'w342', 'tt0000014.jpg.source'), 'utf8')).toBe('/before.jpg');

    // A TMDB import brings another poster: the URL the film answers give changes, and so does the image.
    await sql`UPDATE title_tmdb SET poster_path = '/after.jpg' WHERE imdb_id = 'tt0000014'`.execute(t.handle.db);
    const changed = await get(`${own.url}/posters/w342/tt0000014.jpg?v=after`);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('cache-control')).toBe(IMMUTABLE);
    expect(changed.bytes.equals(NEW_JPEG)).toBe(true);
    expect(changed.headers.get('etag')).not.toBe(first.headers.get('etag'));
    // An old page's URL, or one without a version, gets the current poster too; fetched once.
    expect((await get(`${own.url}/posters/w342/tt0000014.jpg?v=before`)).bytes.equals(NEW_JPEG)).toBe(true);
    expect((await get(`${own.url}/posters/w342/tt0000014.jpg`)).bytes.equals(NEW_JPEG)).toBe(true);
    expect(tmdb.count('w342', '/after.jpg')).toBe(1);
    expect(readFileSync(join(dataDir, 'posters', 'w342', 'tt0000014.jpg.source'), 'utf8')).toBe('/after.jpg');
    // A malformed version is refused like a malformed path.
    expect((await get(`${own.url}/posters/w342/tt0000014.jpg?v=../x`)).status).toBe(400);
  });
});
