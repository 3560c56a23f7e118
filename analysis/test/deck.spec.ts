import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { deadline, runToEnd } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { DeckError, parseDeckSource } from '../src/deck/deck-source';
import { renderDeck } from '../src/deck/deck.service';
import { generateReport } from '../src/report/generate-report';
import type { ReportModel } from '../src/report/report.model';

// Functions given to page.evaluate run in the browser; the root tsconfig has no DOM lib.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;

const REPO = resolve(__dirname, '..', '..');
const frInt = (n: number) => new Intl.NumberFormat('fr-FR').format(n);
const frDec1 = (n: number) => new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
const unescapeHtml = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

/**
 * What a figure key of the deck must show, read from the report model here, written from the
 * key's documented meaning (deck-figures.ts's table), not through the deck's code.
 */
function expectedFigure(model: ReportModel, key: string): string | undefined {
  const parts = key.split('.');
  const [kind, a, b, c] = parts;
  if (kind === 'catalogue') return { films: frInt(model.catalogue.films), series: frInt(model.catalogue.series), titles: frInt(model.catalogue.films + model.catalogue.series) }[a!];
  if (kind === 'policy') {
    const policy = model.policy as { movieMinVotes: number; minRuntime: number; maxRuntime: number };
    return { min_votes: frInt(policy.movieMinVotes), min_runtime: frInt(policy.minRuntime), max_runtime: frInt(policy.maxRuntime) }[a!];
  }
  if (kind === 'ledger') {
    const step = [...model.ledger.imdb, ...model.ledger.tmdb].find((s) => s.dataset === a!.replace(/_/g, '.') || s.dataset === a);
    if (!step) return undefined;
    // A rule the ledger does not mention removed nothing.
    if (b === 'removed' && c) return frInt(step.removed.find((r) => r.rule === parts.slice(3).join('.'))?.rows ?? 0);
    if (b === 'removed') return frInt(step.read - step.kept - step.rejected);
    if (b === 'kept_pct') return `${frDec1((100 * step.kept) / step.read)} %`;
    return frInt(step[b as 'read' | 'kept' | 'rejected']);
  }
  if (kind === 'kpi') {
    const section = model.sections.find((s) => s.kpi === a);
    if (b === 'conclusion') return section?.conclusion[Number(c) - 1];
    return section?.[b as 'title' | 'description'];
  }
  if (kind === 'recommendations') return model.recommendations[Number(a) - 1];
  return undefined;
}

describeWithSamples('the presentation deck on the sample catalogue', () => {
  let t: TestDatabase;
  let out: string;
  let run: Awaited<ReturnType<typeof runToEnd>>;
  let html: string;
  let model: ReportModel;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples' });
    out = await mkdtemp(join(tmpdir(), 'cine-deck-'));
    // One render for every case: the command line, as the owner's helper runs it.
    run = await runToEnd(process.execPath, ['--import', 'tsx', 'analysis/src/deck/deck.cli.ts', '--out', out], {
      cwd: REPO,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: t.url!, LOG_LEVEL: 'silent' },
      timeoutMs: 120_000,
    });
    // The model of the same rows, read here after the command computed the KPI views.
    ({ model } = await generateReport(t.handle));
    html = run.code === 0 ? await readFile(join(out, 'index.html'), 'utf8') : '';
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      timeout: deadline(30_000),
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.setDefaultTimeout(deadline(30_000));
  }, deadline(180_000));

  afterAll(async () => {
    await browser?.close();
    await t?.drop();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('is written by npm run deck: the HTML and the PDF, their paths on stdout, every slide fitting its frame', () => {
    expect({ code: run.code, timedOut: run.timedOut }).toEqual({ code: 0, timedOut: false });
    // The template is the samples as imported, without the post-import steps: the deck computes the
    // KPI views and says so. Anything else on stderr (a slide that does not fit its frame) fails.
    expect(run.stderr.split('\n').filter(Boolean)).toEqual(['deck: the KPI views had never been computed on this catalogue: computed them first']);
    expect(run.stdout.trim().split('\n')).toEqual([join(out, 'index.html'), join(out, 'presentation.pdf')]);
    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/);
    // Self-contained: nothing is fetched from anywhere.
    expect(html).not.toMatch(/<(link|script)[^>]+(href|src)=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
  });

  it('quotes the report: every figure shows what the report model holds for the same rows', () => {
    const figures = [...html.matchAll(/<span class="figure" data-figure="([^"]+)">([^<]*)<\/span>/g)].map((m) => ({ key: m[1]!, shown: unescapeHtml(m[2]!) }));
    const keys = new Set(figures.map((f) => f.key));
    for (const key of ['catalogue.films', 'catalogue.series', 'ledger.title_basics.read', 'ledger.title_basics.removed.title-type', 'kpi.catalogue_by_decade.conclusion.1', 'recommendations.1']) {
      expect([key, keys.has(key)]).toEqual([key, true]);
    }
    expect(figures.length).toBeGreaterThan(30);
    // "- {{ recommendations.1-4 }}" is one list item per recommendation the report made, up to 4.
    expect(figures.filter((f) => f.key.startsWith('recommendations.')).map((f) => f.key)).toEqual(
      model.recommendations.slice(0, 4).map((_r, i) => `recommendations.${i + 1}`),
    );
    for (const { key, shown } of figures) {
      if (key === 'report.date') {
        expect(shown).toMatch(/^\d{1,2} [a-zéû]+ \d{4}$/);
        continue;
      }
      expect({ key, shown }).toEqual({ key, shown: expectedFigure(model, key) });
    }
    // And the sentences are the report's, with their numbers: the best film named as the report names it.
    expect(model.sections.find((s) => s.kpi === 'best_rated_films')!.conclusion[0]).toMatch(/^Le film le mieux classé est /);
  });

  it('draws the report’s charts: each is the SVG the report drew for that KPI', () => {
    const charts = [...html.matchAll(/<figure class="chart" data-kpi="([^"]+)" aria-label="[^"]*">(<svg[\s\S]*?<\/svg>)/g)];
    expect(charts.map((m) => m[1])).toEqual(['catalogue_by_decade', 'catalogue_by_genre', 'best_rated_films']);
    for (const [, kpi, svg] of charts) {
      const section = model.sections.find((s) => s.kpi === kpi)!;
      expect([kpi, svg === section.svg]).toEqual([kpi, true]);
      expect((svg!.match(/<path[^>]*class="mark|role="graphics-symbol"/g) ?? []).length).toBeGreaterThan(0);
    }
  });

  it('prints one PDF page per slide, each 16:9', async () => {
    const slides = (html.match(/<section class="slide[ "]/g) ?? []).length;
    expect(slides).toBeGreaterThan(20);
    const pdf = (await readFile(join(out, 'presentation.pdf'))).toString('latin1');
    expect(pdf.startsWith('%PDF-')).toBe(true);
    const pages = pdf.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? [];
    expect(pages.length).toBe(slides);
    // 1280 × 720 CSS pixels are 960 × 540 points.
    const boxes = [...pdf.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => `${Math.round(Number(m[1]))}x${Math.round(Number(m[2]))}`);
    expect(new Set(boxes)).toEqual(new Set(['960x540']));
  });

  it('shows every image: each decodes in Chromium and is the very file the source names', async () => {
    const requested: string[] = [];
    page.on('request', (r) => {
      if (!/^(file|data):/.test(r.url())) requested.push(r.url());
    });
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    await page.emulateMedia({ media: 'print' });
    const images = (await page.evaluate(`Promise.all(Array.from(document.images).map(function (img) {
      return img.decode().then(function () { return { src: img.getAttribute('data-src'), data: img.src.slice(0, 22), width: img.naturalWidth, shown: img.getBoundingClientRect().width }; },
        function (e) { return { src: img.getAttribute('data-src'), error: String(e) }; });
    }))`)) as Array<{ src: string; data?: string; width?: number; shown?: number; error?: string }>;
    expect(images.length).toBeGreaterThanOrEqual(5);
    for (const img of images) {
      expect(img).toEqual({ src: img.src, data: 'data:image/png;base64,', width: expect.any(Number), shown: expect.any(Number) });
      expect([img.src, img.width! > 100, img.shown! > 100]).toEqual([img.src, true, true]);
    }
    // The bytes inlined are the file's.
    const inlined = [...html.matchAll(/<img src="data:image\/png;base64,([^"]+)" alt="[^"]*" data-src="([^"]+)">/g)];
    expect(inlined.length).toBe(images.length);
    for (const [, base64, src] of inlined) {
      expect([src, Buffer.from(base64!, 'base64').equals(await readFile(resolve(REPO, 'docs', src!)))]).toEqual([src, true]);
    }
    const charts = (await page.evaluate(`Array.from(document.querySelectorAll('figure.chart svg')).map(function (svg) {
      var box = svg.getBoundingClientRect(); return box.width > 200 && box.height > 100;
    })`)) as boolean[];
    expect(charts).toEqual([true, true, true]);
    expect(requested).toEqual([]);
  });

  it('moves to the next slide with →, the hash and the counter following; a reload stays there', async () => {
    await page.emulateMedia({ media: 'screen' });
    const url = pathToFileURL(join(out, 'index.html')).href;
    await page.goto(url);
    const total = (html.match(/<section class="slide[ "]/g) ?? []).length;
    const state = () =>
      page.evaluate(() => ({
        current: document.querySelector('.slide.current')?.dataset.slide,
        shown: Array.from(document.querySelectorAll('.slide')).filter((s: any) => s.getBoundingClientRect().width > 0).length,
        hash: window.location.hash,
        counter: document.getElementById('counter').textContent,
      }));
    expect(await state()).toEqual({ current: '1', shown: 1, hash: '#1', counter: `1 / ${total}` });
    await page.keyboard.press('ArrowRight');
    expect(await state()).toEqual({ current: '2', shown: 1, hash: '#2', counter: `2 / ${total}` });
    await page.keyboard.press('Space');
    await page.keyboard.press('PageDown');
    expect((await state()).hash).toBe('#4');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('PageUp');
    expect((await state()).hash).toBe('#2');
    await page.keyboard.press('End');
    expect(await state()).toEqual({ current: String(total), shown: 1, hash: `#${total}`, counter: `${total} / ${total}` });
    await page.keyboard.press('ArrowRight');
    expect((await state()).current).toBe(String(total));
    await page.keyboard.press('Home');
    expect((await state()).hash).toBe('#1');
    await page.goto(`${url}#5`);
    await page.reload();
    expect(await state()).toEqual({ current: '5', shown: 1, hash: '#5', counter: `5 / ${total}` });
    // The 16:9 slide is scaled to the window.
    await page.setViewportSize({ width: 640, height: 600 });
    // The page refits on its resize event, which a loaded machine delivers a moment later.
    const size = () => {
      const box = document.querySelector('.slide.current').getBoundingClientRect();
      return `${Math.round(box.width)}x${Math.round(box.height)}`;
    };
    await page.waitForFunction(`(${size.toString()})() === '640x360'`, undefined, { timeout: deadline(10_000) }).catch(() => {});
    expect(await page.evaluate(size)).toBe('640x360');
  });

  it('refuses an unknown placeholder or chart, naming it, its slide and its line', () => {
    const render = (text: string) => () => renderDeck(parseDeckSource('essai.md', text), model, new Map());
    expect(render('# Un\n\n---\n\n# Deux\n\nIl y a {{ catalogue.film }} films.\n')).toThrow(DeckError);
    expect(render('# Un\n\n---\n\n# Deux\n\nIl y a {{ catalogue.film }} films.\n')).toThrow(
      /^essai\.md: slide 2 « Deux », line 7: unknown placeholder \{\{ catalogue\.film \}\}; known keys near it: catalogue\.films/,
    );
    expect(render('# Un\n\n![graphique](report:catalogue_by_nothing)\n')).toThrow(/^essai\.md: slide 1 « Un », line 3: unknown chart report:catalogue_by_nothing/);
    expect(render('# Un\n\nTexte {{ catalogue.films\n')).toThrow(/^essai\.md: slide 1, line 3: malformed placeholder/);
    expect(render('# Un\n\nÀ voir : {{ recommendations.1-3 }}\n')).toThrow(/^essai\.md: slide 1 « Un », line 3: the range \{\{ recommendations\.1-3 \}\} stands alone in a list item/);
    expect(render('# Un\n\n- {{ recommendations.50-60 }}\n')).toThrow(/line 3: unknown placeholder \{\{ recommendations\.50-60 \}\}/);
  });

  it('escapes what the data brings, and what the source writes (no HTML in a slide)', () => {
    const hostile = '<script>alert(1)</script> & « co »';
    const tampered: ReportModel = { ...model, sections: model.sections.map((s) => (s.kpi === 'best_rated_films' ? { ...s, conclusion: [hostile] } : s)) };
    const { html: rendered } = renderDeck(parseDeckSource('essai.md', '# <b>Un</b>\n\n{{ kpi.best_rated_films.conclusion.1 }}\n\n<img src=x onerror=alert(2)>\n'), tampered, new Map());
    expect(rendered).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; « co »');
    expect(rendered).toContain('&lt;b&gt;Un&lt;/b&gt;');
    expect(rendered).toContain('&lt;img src=x onerror=alert(2)&gt;');
    expect(rendered).not.toMatch(/<script>alert|<img src=x/);
  });
});
