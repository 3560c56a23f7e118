/**
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { RecommendationsResponse } from '@cine/common';
import type { Browser, Page } from 'playwright-core';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { axeScan, unbreak, ensureWebBuilt, launchBrowser, routeTmdb, screenshotDir, seedFamous40, type Stack, startStack } from './browser-harness';
import { deadline } from '@cine/common/testing';

// Functions given to page.evaluate run in the browser (see page.spec.ts).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(el: unknown): any;

/**
 * The cinema's own website, on another origin than the gateway: loud styles of its own, and the
 * widget's one-line snippet. The widget must look the same on it, and leave it untouched.
 */
function hostPage(gatewayUrl: string): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cinéma de Guéret — programme</title>
<style>
  body { font: 13px/1.0 "Comic Sans MS", cursive; color: rgb(0, 128, 0); background: #fffbe6; margin: 2rem; }
  * { letter-spacing: 2px; }
  h2 { text-transform: uppercase; color: rgb(255, 0, 255); }
  button, .btn { background: rgb(255, 105, 180); border: 4px dotted blue; }
  input { background: rgb(0, 0, 0); color: rgb(255, 255, 0); }
  .card { border: 6px solid lime; }
</style></head>
<body>
  <h1>Cinéma de Guéret</h1>
  <p class="card" id="host-card">Cette semaine : ciné-club le jeudi.</p>
  <button class="btn" id="host-button">Réserver</button>
  <script src="${gatewayUrl}/widget.js" data-api="${gatewayUrl}" defer></script>
  <p id="after">Horaires et tarifs à l’accueil.</p>
</body></html>`;
}

interface Host {
  server: Server;
  url: string;
  /** The host page links to the gateway, which starts after the host (it needs the host's origin). */
  gateway: string;
}

async function serveHost(): Promise<Host> {
  const host: Host = { server: createServer(), url: '', gateway: '' };
  host.server.on('request', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(hostPage(host.gateway));
  });
  const server = host.server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  host.url = `http://localhost:${(server.address() as AddressInfo).port}`;
  return host;
}

describeWithSamples('embeddable widget on another site, through CORS', () => {
  let stack: Stack;
  let browser: Browser;
  let allowed: Host;
  let stranger: Host;
  let shots: string;
  const inWidget = (page: Page) => page.locator('cine-creuse-reco');

  beforeAll(async () => {
    shots = screenshotDir('widget');
    await ensureWebBuilt();
    // The host origins exist before the gateway, which reads its CORS allowlist at boot.
    [allowed, stranger] = await Promise.all([serveHost(), serveHost()]);
    // Both settle before either is kept, so afterAll closes the stack even when the browser fails
    // to launch (a missing Chromium used to leave the stack's test database behind).
    const [started, launched] = await Promise.allSettled([startStack({ corsOrigins: [allowed.url], seed: seedFamous40 }), launchBrowser()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    await stack.serveEmbeddings();
    allowed.gateway = stranger.gateway = stack.gateway.url;
  }, deadline(180_000));

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await Promise.all([allowed, stranger].map((h) => h && new Promise((r) => h.server.close(r))));
  });

  it('one script tag renders search and suggestions in a shadow root, talking to the API across origins', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
    // An install without internet: every poster falls back to its placeholder.
    await routeTmdb(page, 'offline');
    const apiCalls: string[] = [];
    page.on('request', (r) => r.url().includes('/api/v1/') && apiCalls.push(`${r.method()} ${new URL(r.url()).origin}`));
    await page.goto(allowed.url);
    expect(new URL(allowed.url).origin).not.toBe(new URL(stack.gateway.url).origin);

    // The element sits right where the script was, with an open shadow root holding everything.
    const placement = await page.evaluate(() => {
      const el = document.querySelector('cine-creuse-reco');
      return { after: el?.previousElementSibling?.tagName, root: !!el?.shadowRoot, lightChildren: el?.children.length };
    });
    expect(placement).toEqual({ after: 'SCRIPT', root: true, lightChildren: 0 });

    const input = inWidget(page).getByRole('combobox', { name: 'Un film que vous avez aimé' });
    await input.fill('le fabuleux destin');
    await inWidget(page).getByRole('option').first().waitFor();
    expect(await inWidget(page).getByRole('option').first().innerText()).toContain('Amélie');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/recommendations'));
    await input.press('Enter');
    const res = await answer;
    expect(res.status()).toBe(200);
    expect(res.headers()['access-control-allow-origin']).toBe(allowed.url);
    const body = (await res.json()) as RecommendationsResponse;
    const cards = inWidget(page).locator('.card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(body.items.length);
    expect(unbreak(await cards.locator('.card__reason').first().innerText())).toBe(body.items[0]!.reason.fr);
    expect(apiCalls.every((c) => c.endsWith(new URL(stack.gateway.url).origin))).toBe(true);
    // Without TMDB, every card ends on its placeholder, with or without a poster URL.
    for (let i = 0; i < body.items.length; i++) await cards.nth(i).locator('.poster[data-placeholder]').waitFor();
    expect(await cards.locator('.poster__title').allInnerTexts()).toEqual(body.items.map((item) => item.title));
    await page.screenshot({ path: join(shots, '01-widget-on-host-page.png'), fullPage: true });

    // No leak inward: the host's fonts, colours, spacing and button styles stop at the shadow root.
    const inside = await page.evaluate(() => {
      const root = document.querySelector('cine-creuse-reco').shadowRoot;
      const style = (sel: string) => getComputedStyle(root.querySelector(sel));
      return {
        fontSize: style('.widget').fontSize,
        fontFamily: style('.widget').fontFamily,
        color: style('.widget__title').color,
        transform: style('.widget__title').textTransform,
        letterSpacing: style('.widget__title').letterSpacing,
        cardLetterSpacing: style('.card__reason').letterSpacing,
        lineHeight: style('.card__reason').lineHeight,
        inputBackground: style('.search__input').backgroundColor,
        cardBorder: style('.card').borderTopWidth,
      };
    });
    expect(inside.fontSize).toBe('18px');
    expect(inside.fontFamily).not.toMatch(/Comic/);
    expect(inside.color).toBe('rgb(110, 20, 35)');
    expect(inside.transform).toBe('none');
    expect(inside.letterSpacing).toBe('normal');
    expect(inside.cardLetterSpacing).toBe('normal');
    expect(parseFloat(inside.lineHeight)).toBeGreaterThan(18);
    expect(inside.inputBackground).toBe('rgb(255, 255, 255)');
    expect(inside.cardBorder).toBe('1px');

    // No leak outward: the host's own .card and .btn keep the host's look.
    const outside = await page.evaluate(() => ({
      card: getComputedStyle(document.getElementById('host-card')).borderTopWidth,
      button: getComputedStyle(document.getElementById('host-button')).backgroundColor,
      body: getComputedStyle(document.body).fontSize,
      sheets: document.styleSheets.length,
    }));
    expect(outside).toEqual({ card: '6px', button: 'rgb(255, 105, 180)', body: '13px', sheets: 1 });

    expect(await axeScan(page)).toEqual([]);
    await page.close();
  });

  it('keyboard: the widget is reachable by Tab and its combobox works with arrows and Enter', async () => {
    const page = await browser.newPage({ viewport: { width: 400, height: 800 } });
    await routeTmdb(page, 'offline');
    await page.goto(allowed.url);
    await inWidget(page).getByRole('combobox').waitFor();
    await page.locator('#host-button').focus();
    await page.keyboard.press('Tab');
    const focusedId = () => page.evaluate(() => document.querySelector('cine-creuse-reco').shadowRoot.activeElement?.id ?? null);
    expect(await focusedId()).toBe('ccw-liked-input');
    await page.keyboard.type('godfather');
    await inWidget(page).getByRole('option').first().waitFor();
    await page.keyboard.press('ArrowDown');
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/recommendations'));
    await page.keyboard.press('Enter');
    expect((await answer).status()).toBe(200);
    await inWidget(page).locator('.card').first().waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.querySelector('cine-creuse-reco').shadowRoot.activeElement?.getAttribute('aria-label'))).toMatch(/^Retirer /);
    await page.screenshot({ path: join(shots, '02-widget-phone-keyboard.png'), fullPage: false });
    await page.close();
  });

  it('on a site missing from CORS_ORIGINS, the browser refuses the answers and the widget says so kindly', async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    await page.goto(stranger.url);
    const input = inWidget(page).getByRole('combobox');
    await input.fill('amelie');
    const status = inWidget(page).locator('.search__status.is-shown');
    await status.waitFor();
    expect(await status.innerText()).toBe('La recherche ne répond pas. Réessayez dans un instant.');
    expect(await inWidget(page).getByRole('option').count()).toBe(0);
    await page.screenshot({ path: join(shots, '03-widget-not-allowlisted.png') });
    await page.close();
  });
});
