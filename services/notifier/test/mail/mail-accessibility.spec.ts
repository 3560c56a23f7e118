import { readFileSync } from 'node:fs';
import { deadline } from '@cine/common/testing';
import { type Browser, chromium, type Page } from 'playwright-core';
import { composeMail } from '../../src/mail/mail.compose';
import type { MailView } from '../../src/mail/mail.contract';
import { alertView, clockChangeFilm, CONFIRM_URL, IDENTITY, MANAGE_URL, UNSUBSCRIBE_URL } from './mail-fixtures';

/**
 * Every email's HTML part in Chromium, checked by axe-core (WCAG 2.0/2.1 A and AA, contrast
 * included), with every request refused: the way a mail client with images off shows it. Then
 * what axe cannot judge: the text stays 18 px or more, and the posters' alt text is what shows.
 */

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const VIEWS: Record<string, MailView> = {
  confirmation: { kind: 'confirmation', confirmUrl: CONFIRM_URL },
  'already-subscribed': { kind: 'already-subscribed', manageUrl: MANAGE_URL },
  alert: alertView(),
  digest: { kind: 'digest', week: '2026-10-21', films: [clockChangeFilm(), clockChangeFilm({ tconst: 'tt0064116', title: 'Il était une fois dans l’Ouest', year: 1968 })], manageUrl: MANAGE_URL, unsubscribeUrl: UNSUBSCRIBE_URL },
  cancellation: { kind: 'cancellation', film: { tconst: 'tt0060196', title: 'Le Bon, la Brute et le Truand' }, screening: { id: 's', startsAt: '2026-10-24T18:30:00Z', room: '2' }, manageUrl: MANAGE_URL, unsubscribeUrl: UNSUBSCRIBE_URL },
};

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: deadline(30_000),
  });
  const context = await browser.newContext({ javaScriptEnabled: true });
  context.setDefaultTimeout(deadline(30_000));
  // Images off, no network: nothing the email points to is fetched.
  await context.route('**/*', (route) => route.abort());
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

it.each(Object.keys(VIEWS))('the %s email has no axe violation, 18 px text or more, and alt text where posters would be', async (name) => {
  const { html } = composeMail(VIEWS[name]!, IDENTITY);
  await page.setContent(html, { waitUntil: 'load' });
  await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) })))`)) as unknown[];
  expect(violations).toEqual([]);

  const smallest = (await page.evaluate(`Math.min(...[...document.body.querySelectorAll('p, li, a, h1, h2, h3, span, strong')]
    .filter(e => e.textContent.trim() !== '').map(e => parseFloat(getComputedStyle(e).fontSize)))`)) as number;
  expect(smallest).toBeGreaterThanOrEqual(18);
  expect(await page.evaluate(`document.documentElement.lang`)).toBe('fr');
  const images = (await page.evaluate(`[...document.images].map(i => ({ alt: i.alt, loaded: i.naturalWidth > 0 }))`)) as Array<{ alt: string; loaded: boolean }>;
  for (const image of images) {
    expect(image.loaded).toBe(false);
    expect(image.alt).toMatch(/^Affiche du film .+/);
  }
  expect(images.length).toBe(name === 'alert' ? 1 : name === 'digest' ? 2 : 0);
});
