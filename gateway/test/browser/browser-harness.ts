import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deadline, runToEnd, sleep, until } from '@cine/common/testing';
import type { DbHandle } from '@cine/db';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildEmbeddings, type RunningRecommender, startRecommender } from '@cine/recommender';
import { etlFor, SAMPLE_POLICY } from '@cine/etl-worker/testing/etl-harness';
import { SAMPLE_IMDB_FOLDERS, SAMPLE_TMDB_FILES } from '@cine/etl-worker/testing/sample-catalogue';
import { IMDB, TMDB } from '@cine/etl-worker/testing/samples';
import { ADMIN_KEY, getJson, postJson, type RunningGateway, silentLog, startGateway } from '../gateway-harness';

export const WEB_ROOT = resolve(__dirname, '../../web');
export const WEB_DIST = join(WEB_ROOT, 'dist');

/** Playwright's own default for an action, a wait or a navigation, on a quiet machine. */
const BROWSER_TIMEOUT_MS = 30_000;

/**
 * Debian's Chromium with the flags measured in stack-notes.md. Every context it opens (and the
 * one behind `browser.newPage`) waits as long as TEST_TIME_FACTOR allows, not Playwright's fixed 30 s.
 */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: deadline(BROWSER_TIMEOUT_MS),
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(deadline(BROWSER_TIMEOUT_MS));
    context.setDefaultNavigationTimeout(deadline(BROWSER_TIMEOUT_MS));
    return context;
  };
  return browser;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(path) : st.mtimeMs);
  }
  return newest;
}

/**
 * `npm test` builds the page first (pretest); a spec run on its own builds it when dist is
 * missing or older than the sources. A directory lock keeps two spec files from building at once.
 */
export async function ensureWebBuilt(): Promise<void> {
  const lock = join(tmpdir(), 'cine-web-build.lock');
  const stale = () => {
    try {
      return statSync(join(WEB_DIST, 'widget.js')).mtimeMs < Math.max(newestMtime(join(WEB_ROOT, 'src')), statSync(join(WEB_ROOT, 'index.html')).mtimeMs);
    } catch {
      return true;
    }
  };
  if (!stale()) return;
  // A lock older than a build can take belongs to a build that died.
  const buildMs = deadline(120_000);
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > buildMs || Date.now() - statSync(lock).mtimeMs > buildMs) rmdirSync(lock);
      await sleep(200);
    }
  }
  try {
    if (stale()) {
      const build = await runToEnd(process.execPath, [join(WEB_ROOT, 'build.mjs')], { timeoutMs: 120_000 });
      if (build.code !== 0) throw new Error(`the page's build failed (${build.timedOut ? 'timed out' : `exit ${build.code}`}):\n${build.stderr}`);
    }
  } finally {
    rmdirSync(lock);
  }
}

/** Screenshot folders of earlier runs are removed once this old: a day to look at them. */
const SCREENSHOTS_KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * One folder per test run for every spec's screenshots, printed so a person can look at them;
 * the folders of runs older than a day go, so runs do not fill the temp folder.
 */
export function screenshotDir(spec: string): string {
  const run = process.env.CINE_SCREENSHOT_RUN ?? `${new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-')}-${process.ppid}`;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('cine-screenshots-') || name === `cine-screenshots-${run}`) continue;
    const old = join(tmpdir(), name);
    try {
      if (Date.now() - statSync(old).mtimeMs > SCREENSHOTS_KEPT_MS) rmSync(old, { recursive: true, force: true });
    } catch {
      // Another worker removed it first.
    }
  }
  const dir = join(tmpdir(), `cine-screenshots-${run}`, spec);
  mkdirSync(dir, { recursive: true });
  // eslint-disable-next-line no-console
  console.log(`screenshots of ${spec}: ${dir}`);
  return dir;
}

/**
 * TMDB's image server is outside the system: the stacks' gateways fetch posters (their
 * /posters route) from this local stand-in, one per test process. "offline" fails every request
 * as on an install without internet (the gateway answers its placeholder, the page shows its
 * own); "posters" answers each with a real small JPEG.
 */
const fakeTmdb: { mode: 'offline' | 'posters'; url: Promise<string> | null; dataDirs: Set<string> } = { mode: 'offline', url: null, dataDirs: new Set() };
const POSTER_JPEG = readFileSync(join(__dirname, '..', 'fixtures', 'poster.jpg'));

function fakeTmdbUrl(): Promise<string> {
  fakeTmdb.url ??= new Promise((resolveUrl) => {
    const server: Server = createServer((_req, res) => {
      if (fakeTmdb.mode === 'offline') return res.destroy();
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': POSTER_JPEG.length }).end(POSTER_JPEG);
    });
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolveUrl(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/t/p`);
    });
    // Idle for the process's life: never what keeps jest's worker alive.
    server.unref();
  });
  return fakeTmdb.url;
}

/** Sets what TMDB's stand-in does for the stacks' gateways (the page is the test's; kept for the call sites). */
export async function routeTmdb(_page: Page, mode: 'offline' | 'posters'): Promise<void> {
  fakeTmdb.mode = mode;
  // Posters an earlier test had the gateways keep would be served from their disk whatever the mode.
  for (const dir of fakeTmdb.dataDirs) rmSync(join(dir, 'posters'), { recursive: true, force: true });
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core in the page (WCAG 2.0/2.1 A and AA rules); the serious and critical violations. Its
 * source is evaluated rather than added as a script tag: the gateway's CSP (script-src 'self')
 * rightly refuses inline scripts, and the page is tested under its real CSP.
 */
export async function axeScan(page: Page): Promise<AxeViolation[]> {
  if ((await page.evaluate('typeof window.axe')) !== 'object') await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The vote threshold of the page's admin import (the product's default one). */
const ADMIN_IMPORT_POLICY = { movieMinVotes: 1000, seriesMinVotes: 1000 };

export interface Stack {
  db: TestDatabase;
  handle: DbHandle;
  gateway: RunningGateway;
  recommender: RunningRecommender;
  recommenderPort: number;
  /** Builds the embeddings of the catalogue the stack holds and waits until the recommender serves them. */
  serveEmbeddings(): Promise<void>;
  /**
   * The same import as the cinema's admin starts it, through the gateway's admin API, so the
   * page can follow it; `finish` waits for it and builds the embeddings.
   */
  startAdminImport(): Promise<{ finish(): Promise<void> }>;
  /** The recommender down (closed) or back on its port: the page's error state and retry. */
  stopRecommender(): Promise<void>;
  restartRecommender(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real product for a browser: a test database, the recommender on a fixed port (so it can
 * come back after a stop) and the gateway serving the built page, both over real HTTP. The
 * catalogue starts empty, or with `from: 'samples'` as a copy of the run's sample template
 * (`../shared/data` imported once through the real ETL), or with what `seed` imports, without
 * embeddings yet.
 */
export async function startStack(opts: { corsOrigins?: string[]; from?: 'samples'; seed?: (handle: DbHandle) => Promise<void> } = {}): Promise<Stack> {
  const db = await createTestDatabase(opts.from ? { from: opts.from } : {});
  // A small catalogue of the suite's own, imported before the services start (their embeddings build in seconds).
  if (opts.seed) await opts.seed(db.handle);
  let recommender = await startRecommender({ handle: db.handle, log: silentLog, pollIntervalMs: 200 });
  const recommenderPort = Number(new URL(recommender.url).port);
  const dataDir = mkdtempSync(join(tmpdir(), 'cine-browser-gateway-'));
  fakeTmdb.dataDirs.add(dataDir);
  const gateway = await startGateway({
    handle: db.handle,
    recommenderUrl: recommender.url,
    webRoot: WEB_DIST,
    env: {
      RECOMMENDER_TIMEOUT_MS: String(deadline(5000)),
      TMDB_IMAGE_BASE_URL: await fakeTmdbUrl(),
      DATA_DIR: dataDir,
      ...(opts.corsOrigins ? { CORS_ORIGINS: opts.corsOrigins.join(',') } : {}),
    },
  });
  let running = true;
  const serveEmbeddings = async () => {
    await buildEmbeddings(db.handle, silentLog);
    await until('the recommender to be ready after the embeddings were built', async () => (await fetch(`${recommender.url}/health/ready`)).ok, { timeoutMs: 30_000 });
  };
  const stack: Stack = {
    db,
    handle: db.handle,
    gateway,
    get recommender() {
      return recommender;
    },
    recommenderPort,
    serveEmbeddings,
    async startAdminImport() {
      // Every sample, at the product's own 1000-vote threshold: the famous films, credited
      // classics of head-50k and 2022's hits stay; the tens of thousands of little-known titles
      // (whose import and embeddings took most of the page suite's time) do not come in.
      const body = { imdb: SAMPLE_IMDB_FOLDERS.map((f) => IMDB(f)), tmdb: SAMPLE_TMDB_FILES.map((f) => TMDB(f)), policy: ADMIN_IMPORT_POLICY, reason: 'browser test' };
      const started = await postJson<{ id: string; statusUrl: string }>(`${gateway.url}/api/v1/admin/etl-runs`, body, { 'x-api-key': ADMIN_KEY });
      if (started.status !== 202) throw new Error(`admin import refused: ${started.status} ${JSON.stringify(started.body)}`);
      return {
        async finish() {
          await until(
            'the admin import to finish',
            async () => {
              const run = await getJson<{ state: string; error: string | null }>(`${gateway.url}${started.body.statusUrl}`, { 'x-api-key': ADMIN_KEY });
              if (run.body.state === 'failed') throw new Error(`admin import failed: ${run.body.error}`);
              return run.body.state === 'completed';
            },
            { timeoutMs: 120_000, intervalMs: 200 },
          );
          await serveEmbeddings();
        },
      };
    },
    async stopRecommender() {
      await recommender.close();
      running = false;
    },
    async restartRecommender() {
      recommender = await startRecommender({ handle: db.handle, log: silentLog, pollIntervalMs: 200, port: recommenderPort });
      running = true;
    },
    async close() {
      await gateway.close();
      if (running) await recommender.close();
      await db.drop();
      fakeTmdb.dataDirs.delete(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** The page keeps "Genre commun : Drame" and "★ 8,2" together with no-break spaces. */
export const unbreak = (text: string) => text.replace(/\u00a0/g, ' ');

/**
 * The focused element's text (no-break spaces as spaces) once it is `expected`, or whatever it is
 * when the wait ends: the page moves the focus in an effect after the render, which a loaded
 * machine runs a moment after the element appears.
 */
export async function focusedText(page: Page, expected: string): Promise<string> {
  const text = (): string => {
    const doc = (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document;
    return (doc.activeElement?.textContent ?? '').replace(/\u00a0/g, ' ');
  };
  await page.waitForFunction(`(${text.toString()})() === ${JSON.stringify(expected)}`, undefined, { timeout: deadline(10_000) }).catch(() => {});
  return page.evaluate(text);
}

/** famous-40 and its TMDB rows (overviews, posters): enough films for a widget, embedded in seconds. */
export async function seedFamous40(handle: DbHandle): Promise<void> {
  const etl = etlFor(handle);
  await etl.importer.imdb({ sources: [IMDB('famous-40')], policy: SAMPLE_POLICY });
  await etl.importer.tmdb({ sources: [TMDB('tmdb_full.csv')] });
}
