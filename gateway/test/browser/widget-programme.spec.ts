/**
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { ScreeningMatchesResponse, ScreeningsResponse } from '@cine/common';
import { deadline } from '@cine/common/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addDays, fromLocal, isoWithOffset, toLocal, weekStartOfDate } from '../../src/programme/cinema-time';
import { ADMIN_KEY, postJson } from '../gateway-harness';
import { axeScan, ensureWebBuilt, launchBrowser, routeTmdb, screenshotDir, seedFamous40, type Stack, startStack, unbreak } from './browser-harness';

// Functions given to page.evaluate run in the browser (see page.spec.ts).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(el: unknown): any;

const REPO = resolve(__dirname, '../../..');
const PARIS = 'Europe/Paris';
const MONTHS = 'janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.'.split(' ');
/** "ven. 11 déc. 20:30", written out from the date rather than asked of Intl as the page does. */
const frenchAt = (weekday: string, date: string, time: string) => `${weekday} ${Number(date.slice(8))} ${MONTHS[Number(date.slice(5, 7)) - 1]} ${time}`;
/** A room name the HTML parser would take for the end of a script block and a comment, were it not escaped. */
const ODD_ROOM = 'Salle </script><!-- 3';

const TAXI_DRIVER = 'tt0075314';
const today = toLocal(new Date(), PARIS).date;
const nextWeek = addDays(weekStartOfDate(today), 7);

/** The host page: the widget's one-line snippet, opening on the programme. */
const hostPage = (gateway: string) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cinéma de Guéret</title>
<style>body { font: 14px/1.2 Georgia, serif; margin: 12px; } * { letter-spacing: 1px; }</style></head>
<body>
  <h1>Cinéma de Guéret</h1>
  <script src="${gateway}/widget.js" data-api="${gateway}" data-view="programme" defer></script>
</body></html>`;

/**
 * "À l'affiche" in the widget, on the cinema's own site, on a 360 px phone: next week by film
 * with Paris times, badges, our posters and agenda links; a film liked in the widget ranks the
 * programme ("Pour vous" and the reason, one matches call). And the page's /programme carries
 * one JSON-LD block, the server's.
 */
describeWithSamples('the widget’s “À l’affiche”', () => {
  let stack: Stack;
  let browser: Browser;
  let phone: BrowserContext;
  let shots: string;
  /** The cinema's own site: another origin than the gateway's (Chromium lets a page on localhost, not one of a made-up name, call 127.0.0.1). */
  let HOST = '';
  const host = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(stack.gateway.url)));
  const inWidget = (page: Page) => page.locator('cine-creuse-reco');

  /** The widget's host page on a phone, TMDB's stand-in as asked, every request the page makes recorded. */
  async function openWidget(tmdb: 'posters' | 'offline'): Promise<{ page: Page; requests: string[] }> {
    const page = await phone.newPage();
    await routeTmdb(page, tmdb);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
    await page.goto(`${HOST}/programme.html`);
    return { page, requests };
  }

  beforeAll(async () => {
    shots = screenshotDir('widget-programme');
    await ensureWebBuilt();
    // The host's origin exists before the gateway, which reads its CORS allowlist at boot.
    await new Promise<void>((listening) => host.listen(0, '127.0.0.1', listening));
    HOST = `http://localhost:${(host.address() as AddressInfo).port}`;
    const [started, launched] = await Promise.allSettled([startStack({ corsOrigins: [HOST], seed: seedFamous40 }), launchBrowser()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    await stack.serveEmbeddings();

    // Next week: the docs' demo file moved there, and one séance in a room with an odd name.
    const key = { 'x-api-key': ADMIN_KEY };
    for (const [name, seats] of [
      ['Salle 1', 120],
      ['Salle 2', 45],
      [ODD_ROOM, 30],
    ] as const) {
      expect((await postJson(`${stack.gateway.url}/api/v1/admin/rooms`, { name, seats }, key)).status).toBe(201);
    }
    const csv = readFileSync(join(REPO, 'docs', 'programme-demo.csv'), 'utf8').replace(/^2026-12-(\d\d)/gm, (_m, day: string) => addDays(nextWeek, Number(day) - 9));
    const imported = await fetch(`${stack.gateway.url}/api/v1/admin/screenings/import`, { method: 'POST', headers: { ...key, 'content-type': 'text/csv' }, body: csv });
    expect(imported.status).toBe(201);
    const saturday = addDays(nextWeek, 3);
    // Taxi Driver: a film the TMDB sample has a poster of (none of the file's has one).
    const odd = { tconst: TAXI_DRIVER, startsAt: isoWithOffset(fromLocal({ date: saturday, time: '16:00' }, PARIS), PARIS), room: ODD_ROOM, version: 'VF', accessibility: { ad: true } };
    expect((await postJson(`${stack.gateway.url}/api/v1/admin/screenings`, odd, key)).status).toBe(201);
    expect((await postJson(`${stack.gateway.url}/api/v1/admin/weeks/${nextWeek}/publish`, {}, key)).status).toBe(200);

    phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'fr-FR' });
  }, deadline(180_000));

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await new Promise((closed) => host.close(closed));
  });

  it('opens on next week by film, Paris times, large badges, our posters and agenda links, within 360 px', async () => {
    const { page, requests } = await openWidget('posters');
    const programme = inWidget(page).getByRole('button', { name: 'À l’affiche' });
    await programme.waitFor();
    expect(await programme.getAttribute('aria-pressed')).toBe('true');
    expect(await inWidget(page).getByRole('button', { name: 'Mes suggestions' }).getAttribute('aria-pressed')).toBe('false');

    const next = inWidget(page).locator('.programme__week').nth(1);
    await next.locator('.showing__film').first().waitFor();
    expect(unbreak(await next.getByRole('heading', { level: 3 }).innerText())).toContain('La semaine prochaine');
    // One card per film: the file's nine séances (Amélie twice) and Taxi Driver's, nine films.
    const titles = await next.locator('.showing__title').allInnerTexts();
    expect(titles).toHaveLength(9);
    expect(new Set(titles).size).toBe(9);
    const amelie = next.locator('.showing__film[data-tconst="tt0211915"] .seance__when time');
    expect((await amelie.allInnerTexts()).map(unbreak)).toEqual([frenchAt('jeu.', addDays(nextWeek, 1), '14:30'), frenchAt('lun.', addDays(nextWeek, 5), '20:30')]);
    const godfather = next.locator('.showing__film[data-tconst="tt0068646"]');
    expect(await godfather.locator('.showing__title').innerText()).toBe('Le Parrain');
    const friday = godfather.locator('.seance');
    expect(unbreak(await friday.locator('.seance__when').innerText())).toBe(frenchAt('ven.', addDays(nextWeek, 2), '20:30'));
    expect(unbreak(await friday.innerText())).toMatch(/VOST[\s\S]*Patrimoine[\s\S]*Art et Essai[\s\S]*Salle 1/);
    const taxi = next.locator(`.showing__film[data-tconst="${TAXI_DRIVER}"]`);
    const saturday = taxi.locator('.seance');
    expect(unbreak(await saturday.locator('.seance__when').innerText())).toBe(frenchAt('sam.', addDays(nextWeek, 3), '16:00'));
    expect(unbreak(await saturday.innerText())).toMatch(/VF[\s\S]*AD\s+Audiodescription[\s\S]*Salle <\/script><!-- 3/);
    // Badges a phone shows large: the version at least as big as the widget's text.
    expect(parseFloat(await friday.locator('.tag--version').evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(18);

    // Links name the gateway, not the cinema's site: each séance's .ics and the whole feed answer iCalendar.
    const agenda = saturday.getByRole('link', { name: /^Ajouter à mon agenda/ });
    const href = (await agenda.getAttribute('href'))!;
    expect(href).toMatch(new RegExp(`^${stack.gateway.url}/api/v1/screenings/\\d+\\.ics$`));
    const ics = await fetch(href);
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(await ics.text()).toContain('SUMMARY:Taxi Driver');
    expect(await inWidget(page).getByRole('link', { name: 'Tout le programme dans mon agenda' }).getAttribute('href')).toBe(`${stack.gateway.url}/programme.ics`);

    // Posters: ours, from the gateway's /posters (which got a real JPEG from TMDB's stand-in); the others' placeholders.
    const posters = inWidget(page).locator('.showing__poster img');
    expect(await posters.count()).toBe(1);
    await taxi.scrollIntoViewIfNeeded();
    const poster = taxi.locator('.showing__poster img');
    await page.waitForFunction((img: any) => img.complete && img.naturalWidth > 0, await poster.elementHandle());
    expect(await poster.evaluate((img: any) => img.currentSrc)).toMatch(new RegExp(`^${stack.gateway.url}/posters/w(185|342|500)/${TAXI_DRIVER}\\.jpg\\?v=`));
    expect(await next.locator('.showing__poster .poster[data-placeholder]').count()).toBe(8);
    // The customer's browser called no one but the cinema's site and the gateway.
    const origins = new Set(requests.map((r) => new URL(r.split(' ')[1]!).origin));
    expect([...origins].sort()).toEqual([HOST, stack.gateway.url].sort());
    expect(requests.filter((r) => r.includes('/api/v1/screenings/matches'))).toEqual([]);

    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(await axeScan(page)).toEqual([]);
    await page.screenshot({ path: join(shots, '01-widget-programme-phone.png'), fullPage: true, scale: 'css' });
    await page.close();
  });

  it('a film liked in the widget ranks the programme: one matches call, “Pour vous” and the reason on the films that fit', async () => {
    const { page, requests } = await openWidget('offline');
    await inWidget(page).locator('.showing__film').first().waitFor();
    const input = inWidget(page).getByRole('combobox', { name: 'Un film que vous avez aimé' });
    await input.fill('les evades');
    const option = inWidget(page).getByRole('option').first();
    await option.waitFor();
    expect(await option.innerText()).toContain('Les Évadés');
    const answered = page.waitForResponse((r) => r.url() === `${stack.gateway.url}/api/v1/screenings/matches` && r.request().method() === 'POST', { timeout: deadline(20_000) });
    await option.click();
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(response.headers()['access-control-allow-origin']).toBe(HOST);
    expect(response.request().postDataJSON()).toEqual({ liked: ['tt0111161'], from: today, to: addDays(nextWeek, 6) });
    const body = (await response.json()) as ScreeningMatchesResponse;
    const forYou = body.items.filter((m) => m.forYou);
    expect(forYou.length).toBeGreaterThan(0);

    await inWidget(page).locator('.tag--for-you').first().waitFor();
    await inWidget(page).getByText('Classés selon vos goûts : vous avez aimé Les Évadés.').waitFor();
    const next = inWidget(page).locator('.programme__week').nth(1);
    const shown = await next.locator('.showing__film').evaluateAll((els) =>
      els.map((el: any) => ({ tconst: el.getAttribute('data-tconst'), text: el.querySelector('.showing__for-you')?.textContent ?? null })),
    );
    // The films that fit come first, each with the reason the route gave; the others follow without.
    expect(shown.slice(0, forYou.length)).toEqual(forYou.map((m) => ({ tconst: m.film.tconst, text: `Pour vous ${m.reason?.fr ?? ''}` })));
    expect(shown.slice(forYou.length).every((f) => f.text === null)).toBe(true);
    expect(await axeScan(page)).toEqual([]);
    await page.screenshot({ path: join(shots, '02-widget-programme-for-you.png'), fullPage: true, scale: 'css' });

    // The suggestions and back: the programme is kept, not asked again.
    await inWidget(page).getByRole('button', { name: 'Mes suggestions' }).click();
    await inWidget(page).locator('.card').first().waitFor();
    expect(await inWidget(page).locator('.programme').isHidden()).toBe(true);
    expect(await axeScan(page)).toEqual([]);
    await inWidget(page).getByRole('button', { name: 'À l’affiche' }).click();
    await inWidget(page).locator('.tag--for-you').first().waitFor();
    const calls = (path: string) => requests.filter((r) => r.startsWith('POST ') || r.startsWith('GET ')).filter((r) => new URL(r.split(' ')[1]!).pathname === path);
    expect(calls('/api/v1/screenings/matches')).toHaveLength(1);
    expect(calls('/api/v1/screenings')).toHaveLength(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.close();
  });

  it('the page’s /programme holds one JSON-LD block once shown, the server’s, listing its séances', async () => {
    const page = await phone.newPage();
    await page.goto(`${stack.gateway.url}/programme`);
    await page.locator('.programme__week').nth(1).locator('.showing__film').first().waitFor();
    const blocks = page.locator('script[type="application/ld+json"]');
    expect(await blocks.count()).toBe(1);
    // The browser's own parser read the odd room name inside the block, not as the end of it.
    expect(await page.locator('script').evaluateAll((els) => els.filter((el: any) => el.type !== 'module').length)).toBe(1);
    const graph = JSON.parse((await blocks.textContent())!) as { '@graph': Array<{ '@type': string; location?: { containsPlace: { name: string } } }> };
    const events = graph['@graph'].filter((n) => n['@type'] === 'ScreeningEvent');
    expect(events).toHaveLength(await page.locator('.seance').count());
    expect(events.map((e) => e.location!.containsPlace.name)).toContain(ODD_ROOM);
    const api = (await (await fetch(`${stack.gateway.url}/api/v1/screenings?from=${today}&to=${addDays(nextWeek, 6)}`)).json()) as ScreeningsResponse;
    expect(events).toHaveLength(api.items.length);

    // Through the tabs and back, still one.
    await page.getByRole('link', { name: /suggestions/i }).click();
    await page.waitForURL(/\/$/);
    await page.getByRole('link', { name: /affiche/ }).click();
    await page.locator('.showing__film').first().waitFor();
    expect(await blocks.count()).toBe(1);
    await page.close();
  });
});
