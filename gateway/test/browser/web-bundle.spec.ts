import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { deadline } from '@cine/common/testing';
import { ensureWebBuilt, WEB_DIST } from './browser-harness';

const BUDGET = 100 * 1024;

/** What a phone downloads: the page's JavaScript and the widget's, gzipped, each within budget. */
describe('the built customer page and widget', () => {
  beforeAll(() => ensureWebBuilt(), deadline(120_000));

  const gz = (path: string) => gzipSync(readFileSync(path), { level: 9 }).length;

  it('ships at most 100 KB of gzipped JavaScript for the page and for the widget', () => {
    const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
    // Every script the page loads is one of the built assets, and nothing else.
    const scripts = [...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    const assets = readdirSync(join(WEB_DIST, 'assets')).filter((f) => f.endsWith('.js'));
    for (const s of scripts) expect(assets).toContain(s.replace(/^\/assets\//, ''));
    const page = assets.reduce((sum, f) => sum + gz(join(WEB_DIST, 'assets', f)), 0);
    const widget = gz(join(WEB_DIST, 'widget.js'));
    // eslint-disable-next-line no-console
    console.log(`shipped JS, gzipped: page ${(page / 1024).toFixed(1)} KB, widget ${(widget / 1024).toFixed(1)} KB (budget ${BUDGET / 1024} KB each)`);
    expect(page).toBeLessThanOrEqual(BUDGET);
    expect(widget).toBeLessThanOrEqual(BUDGET);
  });

  it('needs nothing from the network but its own server: no CDN, no web font', () => {
    const html = readFileSync(join(WEB_DIST, 'index.html'), 'utf8');
    const css = readdirSync(join(WEB_DIST, 'assets'))
      .filter((f) => f.endsWith('.css'))
      .map((f) => readFileSync(join(WEB_DIST, 'assets', f), 'utf8'))
      .join('\n');
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(css).not.toMatch(/@font-face|@import|url\(\s*['"]?https?:/);
  });
});
