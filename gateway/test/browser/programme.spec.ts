/**
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ScreeningMatchesResponse, ScreeningsResponse } from '@cine/common';
import type { DbHandle } from '@cine/db';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { deadline } from '@cine/common/testing';
import { etlFor } from '@cine/etl-worker/testing/etl-harness';
import { describeWithSamples, IMDB, TMDB } from '@cine/etl-worker/testing/samples';
import { OwnerAccountService } from '../../src/auth/owner-account.service';
import { OwnerRepository } from '../../src/auth/owner.repository';
import { axeScan, ensureWebBuilt, focusedText, launchBrowser, routeTmdb, screenshotDir, type Stack, startStack, unbreak } from './browser-harness';

// Functions given to page.evaluate run in the browser (see page.spec.ts).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;

const REPO = resolve(__dirname, '../../..');
/** The docs' screenshots are rewritten only when asked (CINE_DOCS_SCREENSHOTS=1): a test run leaves the tree alone. */
const DOCS_IMG = process.env.CINE_DOCS_SCREENSHOTS === '1' ? join(REPO, 'docs', 'img') : null;
const EMAIL = 'gerant@cinema-creuse.fr';
const PASSWORD = 'une phrase de passe du gérant';

/** Dates as the cinema's French reads them, written out here rather than asked of Intl as the page does. */
const WEEKDAYS = ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'];
const MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const frenchDay = (date: string) => {
  const d = new Date(`${date}T12:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
};
/** Today in Paris, and the Wednesday that starts next week's programme. */
const parisToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
const nextWednesday = (() => {
  const weekday = new Date(`${parisToday}T12:00:00Z`).getUTCDay();
  return addDays(parisToday, 7 - ((weekday - 3 + 7) % 7));
})();

/** docs/programme-demo.csv (the week of Wednesday 9 December 2026) moved to next week. */
function demoCsvNextWeek(): string {
  return readFileSync(join(REPO, 'docs', 'programme-demo.csv'), 'utf8').replace(/^2026-12-(\d\d)/gm, (_m, day: string) => addDays(nextWednesday, Number(day) - 9));
}

/**
 * famous-40 imported at a vote threshold (300 000) that leaves its least-voted film (RoboCop,
 * 255 k votes) out of the recommendation catalogue; the film index keeps every film of the file,
 * so the owner can still find and programme it.
 */
async function seedFamous40AboveThreshold(handle: DbHandle): Promise<void> {
  const etl = etlFor(handle);
  await etl.importer.imdb({ sources: [IMDB('famous-40')], policy: { movieMinVotes: 300_000, seriesMinVotes: 0 } });
  await etl.importer.tmdb({ sources: [TMDB('tmdb_full.csv')] });
}

/** The films the IMDb files hold (the film index) that the catalogue does not. */
async function outsideCatalogue(handle: DbHandle): Promise<Array<{ tconst: string; primary_title: string; start_year: number | null }>> {
  const { rows } = await sql<{ tconst: string; primary_title: string; start_year: number | null }>`
    SELECT f.tconst, f.primary_title, f.start_year FROM film_index f
    WHERE NOT EXISTS (SELECT 1 FROM title t WHERE t.tconst = f.tconst) ORDER BY f.tconst`.execute(handle.db);
  return rows;
}

/**
 * The programme in Debian's Chromium against the real gateway: the owner builds and publishes
 * next week on /gestion, then a customer on a phone reads it on /programme. The steps share the
 * stack and run in order; the screenshots of the docs come from here.
 */
describeWithSamples('the programme: the owner’s editor and “À l’affiche”', () => {
  let stack: Stack;
  let browser: Browser;
  let desk: BrowserContext;
  let owner: Page;
  let shots: string;
  const shot = async (p: Page, name: string, docs?: string) => {
    await p.screenshot({ path: join(shots, `${name}.png`), fullPage: true, scale: 'css' });
    if (docs) await p.screenshot({ path: join(DOCS_IMG ?? shots, `${docs}.png`), fullPage: false, scale: 'css' });
  };
  const expectAxeClean = async (p: Page) => expect(await axeScan(p)).toEqual([]);
  const note = () => owner.locator('.owner-note');
  const seances = () => owner.locator('.owner-seance');

  beforeAll(async () => {
    shots = screenshotDir('programme');
    await ensureWebBuilt();
    const [started, launched] = await Promise.allSettled([startStack({ seed: seedFamous40AboveThreshold }), launchBrowser()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    await new OwnerAccountService(new OwnerRepository(stack.handle)).add(EMAIL, PASSWORD);
    desk = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    owner = await desk.newPage();
    await routeTmdb(owner, 'posters');
  }, deadline(120_000));

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('the owner’s login says plainly what is wrong, then opens the editor', async () => {
    await owner.goto(`${stack.gateway.url}/gestion`);
    await owner.getByRole('heading', { name: 'Gestion du programme' }).waitFor();
    await expectAxeClean(owner);
    await owner.getByLabel('Adresse e-mail').fill(EMAIL);
    await owner.getByLabel('Mot de passe').fill('pas le bon mot de passe');
    await owner.getByRole('button', { name: 'Se connecter' }).click();
    await owner.getByRole('alert').filter({ hasText: 'Adresse e-mail ou mot de passe incorrect.' }).waitFor();
    await shot(owner, '01-login-refused');
    await expectAxeClean(owner);

    await owner.getByLabel('Mot de passe').fill(PASSWORD);
    await owner.getByRole('button', { name: 'Se connecter' }).click();
    await owner.getByText(`Connecté : ${EMAIL}`).waitFor();
    // The editor opens on this week; no room yet.
    await owner.getByText('Aucune salle : ajoutez-en une avant les séances.').waitFor();
    await expectAxeClean(owner);
  });

  it('adds the rooms, then a séance of next week found by a misspelled title', async () => {
    for (const [name, seats] of [
      ['Salle 1', '120'],
      ['Salle 2', '45'],
    ] as const) {
      await owner.getByLabel('Nom de la salle').fill(name);
      await owner.getByLabel('Places').fill(seats);
      await owner.getByRole('button', { name: 'Ajouter la salle' }).click();
      await note().filter({ hasText: `Salle « ${name} » ajoutée.` }).waitFor();
    }
    await owner.getByRole('button', { name: 'Semaine suivante →' }).click();
    await owner.getByRole('heading', { name: `Semaine du ${frenchDay(nextWednesday)} au ${frenchDay(addDays(nextWednesday, 6))}` }).waitFor();
    await owner.getByText('Aucune séance cette semaine.').waitFor();

    const search = owner.getByRole('combobox', { name: 'Film (tapez le titre)' });
    await search.fill('le parain');
    const option = owner.locator('#f-film-list [role=option]').first();
    await option.waitFor();
    expect(await option.innerText()).toContain('Le Parrain');
    await option.click();
    await owner.getByText('Film choisi : Le Parrain (1972)').waitFor();
    const thursday = addDays(nextWednesday, 1);
    await owner.getByLabel('Salle', { exact: true }).selectOption('Salle 2');
    await owner.getByLabel('Date').fill(thursday);
    await owner.getByLabel('Heure').fill('18:00');
    await owner.getByLabel('Version').selectOption('VOST');
    await owner.getByLabel('SME — Sous-titres sourds et malentendants').check();
    await owner.getByLabel('Patrimoine').check();
    await owner.getByLabel('Note de tarif (facultatif)').fill('Tarif unique 5 €');
    await owner.getByRole('button', { name: 'Ajouter la séance' }).click();
    await note().filter({ hasText: `Séance ajoutée : Le Parrain, ${frenchDay(thursday)} 18:00.` }).waitFor();
    await seances().first().waitFor();
    expect(unbreak(await seances().first().innerText())).toMatch(new RegExp(`${frenchDay(thursday)} 18:00 Le Parrain[\\s\\S]*VOST[\\s\\S]*SME[\\s\\S]*Patrimoine[\\s\\S]*Salle 2`));
    await expectAxeClean(owner);
  });

  it('imports a CSV: a bad line is named and nothing is saved; the good file fills the week', async () => {
    const good = demoCsvNextWeek();
    const lines = good.split('\n');
    lines[2] = lines[2]!.replace('Salle 1', 'Grande salle');
    const file = owner.getByLabel('Fichier CSV');
    await file.setInputFiles({ name: 'programme.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\n')) });
    await owner.getByRole('button', { name: 'Importer le fichier' }).click();
    const alert = owner.getByRole('alert');
    await alert.waitFor();
    // In French, the line and the column named (the column as the file spells it).
    expect(await alert.innerText()).toBe(
      'Fichier refusé. Ligne 3 du fichier, colonne « room » (la salle) : aucune salle ne s’appelle « Grande salle » (ajoutez-la d’abord dans « Les salles »). Rien n’a été enregistré : corrigez le fichier, puis importez-le de nouveau.',
    );
    await shot(owner, '02-import-refused');
    await expectAxeClean(owner);
    expect(await seances().count()).toBe(1);

    await file.setInputFiles({ name: 'programme.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await owner.getByRole('button', { name: 'Importer le fichier' }).click();
    await note().filter({ hasText: 'Fichier importé : 9 séances' }).waitFor();
    await owner.waitForFunction(() => document.querySelectorAll('.owner-seance').length === 10);
  });

  it('cancels a séance and publishes the week', async () => {
    const sunday = addDays(nextWednesday, 4);
    const truman = seances().filter({ hasText: `${frenchDay(sunday)} 15:00` });
    owner.once('dialog', (d) => void d.accept());
    await truman.getByRole('button', { name: /Annuler la séance/ }).click();
    await note().filter({ hasText: /annulée\.$/ }).waitFor();
    await truman.locator('.tag--cancelled').waitFor();
    expect(await truman.getByRole('button').count()).toBe(0);
    await owner.getByText('Brouillon : les spectateurs ne la voient pas encore.').waitFor();

    await owner.getByRole('button', { name: 'Publier la semaine' }).click();
    await note().filter({ hasText: 'Semaine publiée (9 séances).' }).waitFor();
    await owner.getByText(/^Publiée le .* : les spectateurs la voient\.$/).waitFor();
    await expectAxeClean(owner);
    await owner.evaluate(() => window.scrollTo(0, 0));
    await shot(owner, '03-week-published', 'programme-editor-desktop');
  });

  it('a customer on a 360 px phone reads next week by film, in French, with badges and agenda links', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'fr-FR' });
    try {
      const page = await phone.newPage();
      await page.goto(`${stack.gateway.url}/programme`);
      await page.getByRole('heading', { name: 'À l’affiche' }).waitFor();
      const next = page.locator('.programme__week').nth(1);
      await next.locator('.showing__film').first().waitFor();
      expect(await next.getByRole('heading', { level: 3 }).innerText()).toContain(`La semaine prochaine du ${frenchDay(nextWednesday)} au ${frenchDay(addDays(nextWednesday, 6))}`);

      // Grouped by film: Amélie plays twice, the Godfather twice (the owner's séance and the file's).
      const titles = await next.locator('.showing__title').allInnerTexts();
      // Eight films for ten séances: one card per film.
      expect(titles).toHaveLength(8);
      expect(new Set(titles).size).toBe(8);
      expect(titles).toContain('Le Parrain');
      const godfather = next.locator('.showing__film[data-tconst="tt0068646"]');
      const times = (await godfather.locator('.seance__when time').allInnerTexts()).map(unbreak);
      expect(times).toEqual([`${frenchDay(addDays(nextWednesday, 1))} 18:00`, `${frenchDay(addDays(nextWednesday, 2))} 20:30`]);
      expect(unbreak(await godfather.locator('.seance').first().innerText())).toMatch(/VOST[\s\S]*SME\s+Sous-titres sourds et malentendants[\s\S]*Patrimoine[\s\S]*Salle 2 · Tarif unique 5 €/);
      const seniors = next.locator('.showing__film[data-tconst="tt0111161"] .seance');
      expect(unbreak(await seniors.innerText())).toMatch(/SME\s+Sous-titres sourds et malentendants[\s\S]*AD\s+Audiodescription[\s\S]*Ciné-seniors/);
      // The cancelled séance stays, marked, without agenda link.
      const truman = next.locator('.showing__film[data-tconst="tt0120382"] .seance');
      expect(await truman.innerText()).toContain('Annulée');
      expect(await truman.getByRole('link').count()).toBe(0);

      // Each séance's agenda link and the whole feed answer iCalendar.
      const agenda = godfather.getByRole('link', { name: /^Ajouter à mon agenda/ }).first();
      const ics = await fetch(new URL((await agenda.getAttribute('href'))!, stack.gateway.url));
      expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
      expect(await ics.text()).toContain('SUMMARY:');
      expect(await page.getByRole('link', { name: 'Tout le programme dans mon agenda' }).getAttribute('href')).toBe('/programme.ics');

      // schema.org for search engines: the theater and one ScreeningEvent per séance listed.
      const ld = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent() ?? '{}') as { '@graph': { '@type': string }[] };
      const listed = await page.locator('.seance').count();
      expect(ld['@graph'].filter((n) => n['@type'] === 'ScreeningEvent')).toHaveLength(listed);
      expect(ld['@graph'][0]!['@type']).toBe('MovieTheater');

      // Nothing wider than the phone; links and buttons reachable with the keyboard.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await agenda.focus();
      expect(await agenda.evaluate((el) => el === document.activeElement)).toBe(true);
      await expectAxeClean(page);
      await godfather.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(DOCS_IMG ?? shots, 'programme-phone.png'), scale: 'css' });
      await shot(page, '04-programme-phone');

      // The owner's editor on the same phone: logged in, next week, nothing wider than the screen.
      await page.goto(`${stack.gateway.url}/gestion`);
      await page.getByLabel('Adresse e-mail').fill(EMAIL);
      await page.getByLabel('Mot de passe').fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByRole('button', { name: 'Semaine suivante →' }).click();
      await page.getByText(/^Publiée le /).waitFor();
      await page.locator('.owner-seance').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await expectAxeClean(page);
      await page.screenshot({ path: join(DOCS_IMG ?? shots, 'programme-editor-phone.png'), scale: 'css' });
      await shot(page, '04b-editor-phone');
    } finally {
      await phone.close();
    }
  });

  it('a customer who liked a film finds the programme ranked for that taste, “Pour vous” and the reason on the films that fit', async () => {
    await stack.serveEmbeddings();
    const page = await desk.newPage();
    await page.goto(stack.gateway.url);
    const input = page.getByRole('combobox', { name: 'Un film que vous avez aimé' });
    await input.fill('les evades');
    const option = page.locator('#liked-list [role=option]').first();
    await option.waitFor();
    expect(await option.innerText()).toContain('Les Évadés');
    await option.click();
    await page.locator('.chips--liked .chip').waitFor();

    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/screenings/matches') && r.request().method() === 'POST', { timeout: deadline(20_000) });
    await page.getByRole('link', { name: 'À l’affiche' }).click();
    const response = await answered;
    expect(response.status()).toBe(200);
    expect(response.request().postDataJSON()).toMatchObject({ liked: ['tt0111161'] });
    const body = (await response.json()) as ScreeningMatchesResponse;
    const forYou = body.items.filter((m) => m.forYou);
    expect(forYou.length).toBeGreaterThan(0);

    await page.locator('.tag--for-you').first().waitFor();
    await page.getByText('Classés selon vos goûts : vous avez aimé Les Évadés.').waitFor();
    const next = page.locator('.programme__week').nth(1);
    const shown = await next.locator('.showing__film').evaluateAll((els) =>
      els.map((el) => ({ tconst: el.getAttribute('data-tconst'), forYou: el.querySelector('.tag--for-you') !== null, text: el.querySelector('.showing__for-you')?.textContent ?? null })),
    );
    // The films that fit come first, each with "Pour vous" and the reason the route gave.
    expect(shown.slice(0, forYou.length)).toEqual(forYou.map((m) => ({ tconst: m.film.tconst, forYou: true, text: `Pour vous ${m.reason?.fr ?? ''}` })));
    expect(shown.slice(forYou.length).every((f) => !f.forYou)).toBe(true);
    await expectAxeClean(page);
    await next.evaluate((el) => el.scrollIntoView());
    await shot(page, '05-programme-for-you', 'programme-for-you-desktop');
    await page.close();
  });

  it('“À l’affiche” is a tab of the page on a desktop too, in larger text', async () => {
    const page = await desk.newPage();
    await page.goto(stack.gateway.url);
    await page.getByRole('link', { name: 'À l’affiche' }).click();
    await page.waitForURL(/\/programme$/);
    await page.locator('.showing__film').first().waitFor();
    await page.getByRole('switch', { name: 'Texte plus grand' }).check();
    await expectAxeClean(page);
    await page.locator('.programme__week').nth(1).evaluate((el) => el.scrollIntoView());
    await shot(page, '05-programme-desktop', 'programme-desktop');
    await page.close();
  });
  // The owner's edits, last: the customers' steps above read the week as it was published.
  it('edits a séance: the form opens prefilled with the focus on it, leaving it gives the focus back, saving sends PATCH with the CSRF token', async () => {
    const thursday = addDays(nextWednesday, 1);
    const parrain = seances().filter({ hasText: `${frenchDay(thursday)} 18:00` });
    const id = await parrain.getAttribute('data-screening');
    const edit = parrain.getByRole('button', { name: `Modifier la séance de Le Parrain du ${frenchDay(thursday)} 18:00` });
    await edit.click();
    const form = parrain.getByRole('region', { name: `Modifier la séance de Le Parrain du ${frenchDay(thursday)} 18:00` });
    await form.waitFor();
    // The focus is on the form's heading: a screen reader says which séance is being changed.
    expect(await focusedText(owner, `Modifier la séance de Le Parrain du ${frenchDay(thursday)} 18:00`)).toBe(`Modifier la séance de Le Parrain du ${frenchDay(thursday)} 18:00`);
    // Prefilled with the séance as it is.
    expect(await form.getByLabel('Salle', { exact: true }).inputValue()).toBe('Salle 2');
    expect(await form.getByLabel('Date').inputValue()).toBe(thursday);
    expect(await form.getByLabel('Heure').inputValue()).toBe('18:00');
    expect(await form.getByLabel('Version').inputValue()).toBe('VOST');
    expect(await form.getByLabel('SME — Sous-titres sourds et malentendants').isChecked()).toBe(true);
    expect(await form.getByLabel('AD — Audiodescription').isChecked()).toBe(false);
    expect(await form.getByLabel('Patrimoine').isChecked()).toBe(true);
    expect(await form.getByLabel('Note de tarif (facultatif)').inputValue()).toBe('Tarif unique 5 €');
    await form.getByText('Film choisi : Le Parrain').waitFor();
    await expectAxeClean(owner);
    await shot(owner, '06-edit-open');

    // Leaving without saving: back to the list, the focus on the séance's "Modifier".
    await form.getByLabel('Heure').fill('23:00');
    await form.getByRole('button', { name: 'Revenir à la liste sans enregistrer' }).click();
    await form.waitFor({ state: 'detached' });
    const focused = await owner.evaluate(() => ({ id: document.activeElement?.closest('[data-screening]')?.getAttribute('data-screening'), text: document.activeElement?.textContent ?? '' }));
    expect({ id: focused.id, text: unbreak(focused.text) }).toEqual({ id, text: `Modifier la séance de Le Parrain du ${frenchDay(thursday)} 18:00` });
    expect(unbreak(await parrain.innerText())).toContain(`${frenchDay(thursday)} 18:00`);

    // By the keyboard: Enter on the focused button opens it, Escape leaves it unsaved, the focus
    // back on "Modifier".
    await owner.keyboard.press('Enter');
    await form.waitFor();
    await form.getByLabel('Heure').fill('23:30');
    await owner.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    expect(await focusedText(owner, `Modifier la séance de Le Parrain du ${frenchDay(thursday)} 18:00`)).toBe(`Modifier la séance de Le Parrain du ${frenchDay(thursday)} 18:00`);
    expect(unbreak(await parrain.innerText())).toContain(`${frenchDay(thursday)} 18:00`);

    // Again, then change time and version.
    await owner.keyboard.press('Enter');
    await form.waitFor();
    await form.getByLabel('Heure').fill('21:00');
    await form.getByLabel('Version').selectOption('VF');
    const me = (await owner.evaluate(() => fetch('/api/v1/auth/me').then((r: any) => r.json()))) as { csrfToken: string };
    const patched = owner.waitForRequest((r) => r.method() === 'PATCH');
    await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    const request = await patched;
    expect(request.url()).toBe(`${stack.gateway.url}/api/v1/admin/screenings/${id}`);
    expect(request.headers()['x-csrf-token']).toBe(me.csrfToken);
    expect(request.postDataJSON()).toMatchObject({ tconst: 'tt0068646', room: 'Salle 2', version: 'VF', accessibility: { sme: true, ad: false }, labels: ['patrimoine'], priceNote: 'Tarif unique 5 €' });
    await note().filter({ hasText: `Séance modifiée : Le Parrain, ${frenchDay(thursday)} 21:00.` }).waitFor();
    const changed = owner.locator(`[data-screening="${id}"]`);
    await changed.filter({ hasText: `${frenchDay(thursday)} 21:00` }).waitFor();
    expect(unbreak(await changed.innerText())).toMatch(new RegExp(`^${frenchDay(thursday)} 21:00 Le Parrain\\s+VF\\s+SME\\s+Patrimoine\\s+Salle 2`));
    expect(await owner.evaluate(() => document.activeElement?.closest('[data-screening]')?.getAttribute('data-screening'))).toBe(id);
    // Customers read the change (the week is published).
    const listed = (await (await fetch(`${stack.gateway.url}/api/v1/screenings?from=${nextWednesday}&to=${addDays(nextWednesday, 6)}`)).json()) as ScreeningsResponse;
    expect(listed.items.find((s) => s.id === id)).toMatchObject({ version: 'VF', startsAt: expect.stringMatching(new RegExp(`^${thursday}T21:00:00\\+0[12]:00$`)) });
    await expectAxeClean(owner);
  });

  it('a refused change is said in French under the form, naming the field, which takes the focus', async () => {
    const thursday = addDays(nextWednesday, 1);
    const parrain = seances().filter({ hasText: `${frenchDay(thursday)} 21:00` });
    await parrain.getByRole('button', { name: /^Modifier la séance de Le Parrain/ }).click();
    const form = parrain.getByRole('region', { name: /^Modifier la séance de Le Parrain/ });
    // Salle 1 shows Amélie at 14:30 that day (the CSV): the room is taken.
    await form.getByLabel('Salle', { exact: true }).selectOption('Salle 1');
    await form.getByLabel('Heure').fill('14:30');
    await form.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(unbreak(await alert.innerText())).toBe(`Modification refusée. Date et heure : la salle a déjà une séance le ${frenchDay(thursday)} 14:30 ; choisissez une autre heure ou une autre salle.`);
    const time = form.getByLabel('Heure');
    expect(await time.getAttribute('aria-invalid')).toBe('true');
    expect(await time.evaluate((el) => el === document.activeElement)).toBe(true);
    await expectAxeClean(owner);
    await shot(owner, '07-edit-refused');
    await form.getByRole('button', { name: 'Revenir à la liste sans enregistrer' }).click();
    // Nothing changed.
    expect(unbreak(await parrain.innerText())).toMatch(new RegExp(`^${frenchDay(thursday)} 21:00 Le Parrain[\\s\\S]*Salle 2`));
  });

  it('programmes a film the recommendation catalogue left out, found by the admin search of the IMDb files', async () => {
    const outside = await outsideCatalogue(stack.handle);
    // The seed's vote threshold leaves famous-40's least-voted film out of the catalogue.
    expect(outside.map((f) => f.primary_title)).toEqual(['RoboCop']);
    const film = outside[0]!;
    const searched = owner.waitForResponse((r) => r.url().includes('/api/v1/admin/films/search?'));
    await owner.getByRole('combobox', { name: 'Film (tapez le titre)' }).fill('robocob');
    expect((await searched).status()).toBe(200);
    const option = owner.locator('#f-film-list [role=option]').first();
    await option.waitFor();
    expect(unbreak(await option.innerText())).toMatch(new RegExp(`^RoboCop\\s+${film.start_year} · 102 min\\s+Hors catalogue`));
    await expectAxeClean(owner);
    await shot(owner, '08-search-outside-catalogue');
    await owner.keyboard.press('ArrowDown');
    await owner.keyboard.press('Enter');
    await owner.getByText(`Film choisi : RoboCop (${film.start_year})`).waitFor();
    const tuesday = addDays(nextWednesday, 6);
    await owner.getByLabel('Salle', { exact: true }).selectOption('Salle 1');
    await owner.getByLabel('Date').fill(tuesday);
    await owner.getByLabel('Heure').fill('20:30');
    await owner.getByLabel('Version').selectOption('VF');
    await owner.getByRole('button', { name: 'Ajouter la séance' }).click();
    await note().filter({ hasText: `Séance ajoutée : RoboCop, ${frenchDay(tuesday)} 20:30.` }).waitFor();
    const added = seances().filter({ hasText: `${frenchDay(tuesday)} 20:30` });
    await added.waitFor();
    // The week shows it by its IMDb title, though the catalogue does not hold it.
    expect(unbreak(await added.innerText())).toMatch(new RegExp(`^${frenchDay(tuesday)} 20:30 RoboCop\\s+VF[\\s\\S]*Salle 1`));
    const saved = await stack.handle.db.selectFrom('screening').select(['starts_at', 'version', 'room_id']).where('tconst', '=', film.tconst).execute();
    const paris = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' }).format(d);
    expect(saved.map((r) => [paris(r.starts_at), r.version])).toEqual([[`${tuesday} 20:30`, 'VF']]);
    await expectAxeClean(owner);
  });

  it('« Qui sera prévenu ? »: film by film, how many alert subscribers it fits — none yet, then counted over those who subscribed', async () => {
    const panel = owner.locator('section').filter({ has: owner.getByRole('heading', { name: 'Qui sera prévenu ?' }) });
    await panel.waitFor();
    const film = panel.locator('.owner-audience__film').filter({ hasText: 'Les Évadés' });
    await film.getByRole('button', { name: /^Compter/ }).click();
    await film.getByText(/^Pas encore d.abonné confirmé aux alertes/).waitFor();

    // Two confirmed subscribers (as the notifier writes them), and one still pending, who does not count.
    for (const [email, status] of [['a@example.org', 'active'], ['b@example.org', 'active'], ['c@example.org', 'pending']] as const) {
      await sql`INSERT INTO subscriber (email, email_hash, status, liked, confirmed_at)
        VALUES (${email}, sha256(convert_to(${email}, 'UTF8')), ${status}, ARRAY['tt0068646', 'tt0110912'], ${status === 'active' ? sql`now()` : null})`.execute(stack.handle.db);
    }
    await owner.reload();
    await owner.getByRole('button', { name: 'Semaine suivante →' }).click();
    const again = owner.locator('.owner-audience__film').filter({ hasText: 'Les Évadés' });
    await again.getByRole('button', { name: /^Compter/ }).click();
    const answer = again.locator('.owner-audience__answer');
    await answer.filter({ hasText: /sur 2/ }).waitFor();
    // Counts only: never an address.
    expect(await answer.innerText()).toMatch(/^[0-2] abonnés? sur 2( — .+)?$/);
    expect(await owner.locator('main').innerText()).not.toContain('@example.org');
    await expectAxeClean(owner);
    await sql`DELETE FROM subscriber`.execute(stack.handle.db);
  });
});
