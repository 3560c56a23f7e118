/**
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { join } from 'node:path';
import type { FilmDetail, KpiData, RecommendationsRequest, RecommendationsResponse } from '@cine/common';
import { refreshKpis } from '@cine/db';
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { axeScan, unbreak, ensureWebBuilt, launchBrowser, routeTmdb, screenshotDir, type Stack, startStack } from './browser-harness';
import { deadline } from '@cine/common/testing';

const GODFATHER = 'tt0068646';

// Functions given to page.evaluate run in the browser; the root tsconfig has no DOM lib, so the
// few browser globals they use are declared here, for this module only.
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare const localStorage: any;
declare function getComputedStyle(el: unknown): any;

/**
 * The customer page in Debian's Chromium, against the real gateway and recommender over a
 * catalogue imported from ../shared/data. The steps follow one customer's visit, so they share
 * one page and run in order; each saves a screenshot.
 */
describeWithSamples('customer page in a real browser', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shots: string;
  /** The whole page, or (`fullPage` false) what the screen shows: a phone, an open dialog. */
  const shot = (p: Page, name: string, fullPage = true) => p.screenshot({ path: join(shots, `${name}.png`), fullPage, scale: 'css' });
  const api = async <T>(path: string): Promise<T> => (await fetch(`${stack.gateway.url}${path}`)).json() as Promise<T>;
  const cards = () => page.locator('.results .card');
  /** Waits for the next recommendations answer the page receives, and returns its request and body. */
  const nextRecommendations = (p: Page = page) =>
    p
      .waitForResponse((r) => r.url().endsWith('/api/v1/recommendations') && r.request().method() === 'POST', { timeout: deadline(20_000) })
      .then(async (r) => ({ status: r.status(), request: r.request().postDataJSON() as RecommendationsRequest, body: (await r.json()) as RecommendationsResponse }));

  beforeAll(async () => {
    shots = screenshotDir('page');
    await ensureWebBuilt();
    // Both settle before either is kept, so afterAll closes the stack even when the browser fails
    // to launch (a missing Chromium used to leave the stack's test database behind).
    const [started, launched] = await Promise.allSettled([startStack(), launchBrowser()]);
    if (started.status === 'fulfilled') stack = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    page = await context.newPage();
    await routeTmdb(page, 'offline');
  }, deadline(120_000));

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('on a fresh install, says the catalogue is not loaded, follows its import, then comes alive', async () => {
    await page.goto(stack.gateway.url);
    const banner = page.locator('.banner');
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/catalogue de films n’est pas encore chargé/);
    expect(await page.locator('.state--empty .state__try').count()).toBe(0);
    await shot(page, '01-catalogue-not-loaded');

    // The cinema's admin starts the first import: the page follows it.
    const run = await stack.startAdminImport();
    await page.reload();
    await banner.waitFor();
    expect(await banner.innerText()).toMatch(/catalogue de films est en cours de chargement/);
    await shot(page, '01b-catalogue-loading');
    await run.finish();
    await refreshKpis(stack.handle);
    // The page polls the catalogue status: the banner leaves by itself, the examples appear.
    await banner.waitFor({ state: 'detached', timeout: deadline(15_000) });
    await page.locator('.state__try').waitFor();

    // Each "to try" example fills the search box and finds its film.
    for (const example of await page.locator('.state__try button').allInnerTexts()) {
      await page.getByRole('button', { name: example, exact: true }).click();
      const input = page.getByRole('combobox', { name: 'Un film que vous avez aimé' });
      await page.waitForFunction((text) => document.getElementById('liked-input').value === text, example);
      await page.locator('#liked-list [role=option]').first().waitFor();
      expect(await page.locator('#liked-list [role=option]').first().innerText()).toContain(example);
      await input.press('Escape');
      await page.locator('#liked-list').waitFor({ state: 'hidden' });
      await input.press('Escape');
      await page.waitForFunction(() => document.getElementById('liked-input').value === '');
    }
  }, deadline(180_000));

  it('a misspelled French title finds the film; picking it brings suggestions with reasons and placeholders', async () => {
    const input = page.getByRole('combobox', { name: 'Un film que vous avez aimé' });
    await input.fill('le parain');
    const options = page.locator('#liked-list [role=option]');
    await options.first().waitFor();
    const first = await options.first().innerText();
    expect(first).toContain('Le Parrain');
    expect(first).toContain('1972');
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    // Each suggestion carries a small poster or its placeholder.
    const n = await options.count();
    expect(await page.locator('#liked-list [role=option] .poster').count()).toBe(n);
    await shot(page, '02-autocomplete-misspelled');

    const answer = nextRecommendations();
    await options.first().click();
    const { request, body } = await answer;
    expect(request.liked).toEqual([GODFATHER]);
    expect(await page.locator('.chips--liked .chip').allInnerTexts()).toEqual([expect.stringContaining('Le Parrain (1972)')]);
    expect(await input.inputValue()).toBe('');

    await cards().first().waitFor();
    expect(await cards().count()).toBe(body.items.length);
    expect(body.items.length).toBeGreaterThan(3);
    const shown = await cards().evaluateAll((els) =>
      els.map((el) => ({
        tconst: el.getAttribute('data-tconst'),
        title: el.querySelector('.card__title')?.textContent,
        reason: el.querySelector('.card__reason')?.textContent?.replace(/\u00a0/g, ' '),
        poster: el.querySelector('.poster img, .poster[data-placeholder]') !== null,
      })),
    );
    expect(shown).toEqual(body.items.map((i) => ({ tconst: i.tconst, title: i.title, reason: i.reason.fr, poster: true })));
    expect(shown.map((s) => s.tconst)).not.toContain(GODFATHER);
    // TMDB is unreachable here: a film with a poster URL falls back to its placeholder with its title.
    const withPoster = body.items.findIndex((i) => i.poster !== null);
    expect(withPoster).toBeGreaterThanOrEqual(0);
    const placeholder = cards().nth(withPoster).locator('[data-placeholder]');
    await placeholder.waitFor();
    expect(await placeholder.innerText()).toContain(body.items[withPoster]!.title);
    await shot(page, '03-recommendations');
    await page.evaluate(() => document.getElementById('results-heading').scrollIntoView());
    await shot(page, '03b-recommendations-screen', false);
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it('a second liked film and a "pas pour moi" film change what is asked and what is shown', async () => {
    const input = page.getByRole('combobox', { name: 'Un film que vous avez aimé' });
    await input.fill('amelie');
    await page.locator('#liked-list [role=option]').first().waitFor();
    let answer = nextRecommendations();
    await input.press('Enter');
    let res = await answer;
    expect(res.request.liked).toEqual([GODFATHER, 'tt0211915']);
    expect(await page.locator('.chips--liked .chip').count()).toBe(2);
    await cards().first().waitFor();
    // The visit's random id goes with every request of the visit, kept in the tab's session storage
    // (never a cookie); the page says beside the form, in French, what is kept and why.
    const visitId = res.request.visitId;
    expect(visitId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await page.evaluate(() => window.sessionStorage.getItem('cine-visit'))).toBe(visitId);
    expect((await context.cookies()).map((c) => c.name)).toEqual([]);
    const notice = page.locator('#learn-note');
    await expect(notice.isVisible()).resolves.toBe(true);
    expect(await notice.innerText()).toMatch(/seulement des totaux.*Ni votre liste, ni votre adresse IP, ni cookie/s);
    // Two liked films: the visit was counted, as counts.
    const counted = await stack.handle.db.selectFrom('taste_pair').selectAll().execute();
    expect(counted).toEqual([{ film_a: GODFATHER, film_b: 'tt0211915', co_likes: 1 }]);

    // "Pas pour moi" on a suggestion: it leaves the list and joins the films not for me.
    const rejected = res.body.items[0]!;
    answer = nextRecommendations();
    await page.getByRole('button', { name: `${rejected.title} n’est pas pour moi` }).click();
    res = await answer;
    expect(res.request.visitId).toBe(visitId);
    expect(res.request.disliked).toEqual([rejected.tconst]);
    expect(res.body.items.map((i) => i.tconst)).not.toContain(rejected.tconst);
    await page.locator(`.results .card[data-tconst="${rejected.tconst}"]`).waitFor({ state: 'detached' });
    expect(await page.locator('.chips--disliked .chip').allInnerTexts()).toEqual([expect.stringContaining(rejected.title)]);

    // And one typed in the "pas pour moi" box.
    const notForMe = page.getByRole('combobox', { name: 'Un film qui n’est pas pour vous' });
    await notForMe.fill('star wars');
    await page.locator('#disliked-list [role=option]').first().waitFor();
    answer = nextRecommendations();
    await notForMe.press('Enter');
    res = await answer;
    expect(res.request.disliked).toHaveLength(2);
    expect(await page.locator('.chips--disliked .chip').count()).toBe(2);
    await cards().first().waitFor();
    await shot(page, '04-two-liked-one-not-for-me');
  });

  it('opens a film record with its overview, director, cast, runtime, rating and French title', async () => {
    // From a suggestion: a modal dialog named by the film; Escape closes it and focus comes back.
    const first = await api<FilmDetail>(`/api/v1/films/${(await cards().first().getAttribute('data-tconst'))!}`);
    const opener = cards().first().getByRole('button', { name: `Voir la fiche de ${first.title}` });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: first.title });
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain(`${first.runtimeMinutes} minutes`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await opener.evaluate((el) => el === document.activeElement)).toBe(true);

    // The samples hold credits for old films and TMDB overviews for famous ones: one of each,
    // opened by the film's own link, which the gateway answers with the page.
    const { rows } = await sql<{ tconst: string }>`
      select t.tconst from title t
      where t.title_type = 'movie' and t.runtime_minutes is not null and t.average_rating is not null
        and exists (select 1 from crew c join person p on p.nconst = c.nconst where c.tconst = t.tconst and c.role = 'director' and p.primary_name is not null)
        and (select count(*) from credit c join person p on p.nconst = c.nconst
             where c.tconst = t.tconst and c.category in ('actor', 'actress') and p.primary_name is not null) >= 3
      order by t.num_votes desc limit 1`.execute(stack.handle.db);
    const credited = await api<FilmDetail>(`/api/v1/films/${rows[0]!.tconst}`);
    const godfather = await api<FilmDetail>(`/api/v1/films/${GODFATHER}`);
    expect(godfather.overview).toBeTruthy();
    const p = await context.newPage();
    await routeTmdb(p, 'offline');
    for (const film of [credited, godfather]) {
      await p.goto(`${stack.gateway.url}/film/${film.tconst}`);
      const record = p.getByRole('dialog', { name: film.title });
      await record.waitFor();
      const text = await record.innerText();
      expect(text).toContain(`${film.runtimeMinutes} minutes`);
      expect(text).toContain(`${film.rating!.toFixed(1).replace('.', ',')} / 10`);
      if (film === credited) {
        expect(text).toContain('Réalisation');
        // People IMDb gives no name for (the API shows their id) are left out of the record.
        const named = (p: { name: string }) => !/^nm\d+$/.test(p.name);
        expect(text).toContain(film.directors.filter(named).map((d) => d.name).join(', '));
        expect(text).toContain('Avec');
        expect(film.cast.filter(named).length).toBeGreaterThan(0);
        for (const c of film.cast.filter(named).slice(0, 3)) expect(text).toContain(c.name);
        expect(text).not.toMatch(/\bnm\d{5,}/);
        await p.screenshot({ path: join(shots, '05-film-record-credits.png'), scale: 'css' });
      } else {
        // The French title heads the record; the original title follows.
        expect(await record.getByRole('heading', { level: 2 }).innerText()).toBe('Le Parrain');
        expect(text).toContain('Titre original');
        expect(text).toContain('The Godfather');
        expect(text).toContain(film.overview!.slice(0, 60));
        await p.screenshot({ path: join(shots, '05b-film-record-overview.png'), scale: 'css' });
      }
      expect(await axeScan(p)).toEqual([]);
      await p.getByRole('button', { name: 'Fermer' }).click();
      await record.waitFor({ state: 'detached' });
      // The dialog's close event comes a task after it hides; the address follows it.
      await p.waitForFunction(() => window.location.pathname === '/');
    }
    await p.close();
  });

  it('filters: French films only and Découverte are sent, and every suggestion is French', async () => {
    await page.locator('.more--filters > summary').click();
    let answer = nextRecommendations();
    await page.getByRole('checkbox', { name: 'Films français seulement' }).check();
    let res = await answer;
    expect(res.request.filters).toEqual({ frenchOnly: true });
    for (const item of res.body.items) expect(item.countries.includes('FR') || item.originalLanguage === 'fr').toBe(true);

    answer = nextRecommendations();
    await page.getByRole('switch', { name: 'Découverte' }).check();
    res = await answer;
    expect(res.request.diversity).toBeGreaterThan(0);

    answer = nextRecommendations();
    await page.getByRole('combobox', { name: 'Durée maximale' }).selectOption('120');
    res = await answer;
    expect(res.request.filters).toEqual({ frenchOnly: true, maxRuntime: 120 });
    for (const item of res.body.items) expect(item.runtimeMinutes === null || item.runtimeMinutes <= 120).toBe(true);
    await page.locator('.results .card, .results .state').first().waitFor();
    expect(await page.locator('.more--filters .badge').innerText()).toBe('3');
    await shot(page, '06-filters');
  });

  it('when the recommender is down, says so kindly and offers a retry that works once it is back', async () => {
    await stack.stopRecommender();
    let answer = nextRecommendations();
    await page.getByRole('checkbox', { name: 'Films français seulement' }).uncheck();
    expect((await answer).status).toBe(503);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('momentanément indisponibles');
    expect(await cards().count()).toBe(0);
    await shot(page, '07-recommender-unavailable');

    await stack.restartRecommender();
    answer = nextRecommendations();
    await alert.getByRole('button', { name: 'Réessayer' }).click();
    expect((await answer).status).toBe(200);
    await cards().first().waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);
  }, deadline(60_000));

  it('has no serious or critical axe violation: suggestions, open film record, open filters', async () => {
    expect(await axeScan(page)).toEqual([]);
    await cards().first().getByRole('button', { name: /^Voir la fiche/ }).click();
    await page.getByRole('dialog').waitFor();
    expect(await axeScan(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  });

  it('keyboard only: skip link, search with arrows and Enter, Escape, chip removal, film record, all with a visible focus', async () => {
    const kb = await context.newPage();
    await routeTmdb(kb, 'offline');
    await kb.goto(stack.gateway.url);
    await kb.locator('.state__try').waitFor();
    const focused = () =>
      kb.evaluate(() => {
        const el = document.activeElement;
        const style = el ? getComputedStyle(el) : null;
        return { id: el?.id ?? '', text: (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim(), outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '' };
      });

    await kb.keyboard.press('Tab');
    let f = await focused();
    expect(f.text).toBe('Aller au contenu');
    expect(f.outline).toMatch(/^solid [3-9]/);
    await kb.keyboard.press('Enter');
    expect((await focused()).id).toBe('main');
    // From the main content, the first stop is the search box.
    await kb.keyboard.press('Tab');
    expect((await focused()).id).toBe('liked-input');
    expect((await focused()).outline).toMatch(/^solid [3-9]/);

    await kb.keyboard.type('godfater', { delay: 30 });
    const options = kb.locator('#liked-list [role=option]');
    await options.first().waitFor();
    await kb.keyboard.press('ArrowDown');
    await kb.keyboard.press('ArrowDown');
    await kb.keyboard.press('ArrowUp');
    const input = kb.locator('#liked-input');
    expect(await input.getAttribute('aria-activedescendant')).toBe('liked-opt-0');
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    await kb.keyboard.press('Escape');
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    expect(await input.inputValue()).toBe('godfater');
    await kb.keyboard.press('ArrowDown');
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    await shot(kb, '08-keyboard-suggestion');
    const answer = nextRecommendations(kb);
    await kb.keyboard.press('Enter');
    expect((await answer).request.liked).toEqual([GODFATHER]);
    expect(await kb.locator('.chips--liked .chip').innerText()).toContain('Le Parrain');

    // Tab from the search box reaches the chip's remove button, then the rest of the page.
    await kb.keyboard.press('Tab');
    f = await focused();
    expect(f.text).toBe('Retirer Le Parrain (1972)');
    await kb.locator('.results .card').first().waitFor();
    // Walk forward to the first card's "Voir la fiche", by keyboard alone.
    for (let i = 0; i < 60 && !(await focused()).text.startsWith('Voir la fiche'); i++) await kb.keyboard.press('Tab');
    f = await focused();
    expect(f.text).toMatch(/^Voir la fiche de /);
    expect(f.outline).toMatch(/^solid [3-9]/);
    await shot(kb, '09-keyboard-focus-on-card');
    await kb.keyboard.press('Enter');
    await kb.getByRole('dialog').waitFor();
    expect((await focused()).text).toBe('Fermer');
    await kb.keyboard.press('Escape');
    await kb.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await focused()).text).toBe(f.text);

    // The filters open and switch by keyboard: Enter on their summary, Space on the switch.
    await kb.locator('.more--filters > summary').focus();
    await kb.keyboard.press('Enter');
    await kb.keyboard.press('Tab');
    expect(await kb.evaluate(() => document.activeElement.getAttribute('role'))).toBe('switch');
    const discovery = nextRecommendations(kb);
    await kb.keyboard.press('Space');
    expect((await discovery).request.diversity).toBeGreaterThan(0);
    await kb.keyboard.press('Tab');
    await kb.keyboard.press('Space');
    expect(await kb.getByRole('checkbox', { name: 'Films français seulement' }).isChecked()).toBe(true);
    await kb.keyboard.press('Tab');
    expect(await kb.evaluate(() => document.activeElement.closest('.pill')?.textContent)).toBe('Comédie');
    expect(await kb.evaluate(() => getComputedStyle(document.activeElement.nextElementSibling).outlineStyle)).toBe('solid');
    await shot(kb, '09b-keyboard-filters', false);

    // Removing the only chip by keyboard returns focus to the search box, not to the top.
    await kb.locator('.chip__remove').focus();
    await kb.keyboard.press('Enter');
    await kb.locator('.chips--liked').waitFor({ state: 'detached' });
    await kb.waitForFunction(() => document.activeElement?.id === 'liked-input');
    await kb.locator('.state--empty').waitFor();
    await kb.close();
  });

  it('switches to English and to larger text, and remembers both on the next visit', async () => {
    const p = await context.newPage();
    await routeTmdb(p, 'offline');
    await p.goto(stack.gateway.url);
    const base = () => p.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    expect(await base()).toBeGreaterThanOrEqual(18);
    await p.getByRole('button', { name: 'Read this page in English' }).click();
    await p.getByRole('switch', { name: 'Larger text' }).check();
    await p.waitForFunction(() => parseFloat(getComputedStyle(document.documentElement).fontSize) >= 22);
    expect(await p.evaluate(() => document.documentElement.lang)).toBe('en');
    await p.reload();
    await p.getByRole('combobox', { name: 'A film you liked' }).waitFor();
    expect(await p.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await base()).toBeGreaterThanOrEqual(22);
    expect(await p.locator('footer').innerText()).toContain('This product uses the TMDB API but is not endorsed or certified by TMDB.');

    const input = p.getByRole('combobox', { name: 'A film you liked' });
    await input.fill('the godfather');
    await p.locator('#liked-list [role=option]').first().waitFor();
    const answer = nextRecommendations(p);
    await input.press('Enter');
    const res = await answer;
    await p.locator('.card__reason').first().waitFor();
    expect(unbreak(await p.locator('.card__reason').first().innerText())).toBe(res.body.items[0]!.reason.en);
    await shot(p, '10-english-larger-text');
    expect(await axeScan(p)).toEqual([]);
    // Back to the defaults for the pages that follow (same browser storage).
    await p.getByRole('button', { name: 'Lire cette page en français' }).click();
    await p.getByRole('switch', { name: 'Texte plus grand' }).uncheck();
    await p.waitForFunction(() => localStorage.getItem('cine-lang') === 'fr' && localStorage.getItem('cine-text-size') === 'normal');
    await p.close();
  });

  it('fits a 360 px phone: one column, no sideways scroll, posters drawn at card size', async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' });
    const p = await phone.newPage();
    await routeTmdb(p, 'posters');
    await p.goto(stack.gateway.url);
    await shot(p, '11-phone-empty', false);
    const input = p.getByRole('combobox', { name: 'Un film que vous avez aimé' });
    await input.fill('amelie');
    await p.locator('#liked-list [role=option]').first().waitFor();
    await shot(p, '12-phone-autocomplete', false);
    // A slow rural connection: while the suggestions travel, the page says it is looking.
    const cdp = await phone.newCDPSession(p);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 1500, downloadThroughput: -1, uploadThroughput: -1 });
    const answer = nextRecommendations(p);
    await p.locator('#liked-list [role=option]').first().tap();
    const loading = p.locator('.state--loading');
    await loading.waitFor();
    expect(await loading.innerText()).toContain('Nous cherchons des films pour vous');
    expect(await p.locator('.results').getAttribute('aria-busy')).toBe('true');
    await loading.scrollIntoViewIfNeeded();
    await shot(p, '12b-phone-loading', false);
    const res = await answer;
    await p.locator('.results .card').first().waitFor();
    expect(await p.locator('.results').getAttribute('aria-busy')).toBe('false');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const withPoster = res.body.items.findIndex((i) => i.poster !== null);
    const img = p.locator('.results .card').nth(withPoster).locator('img.poster__img');
    await img.scrollIntoViewIfNeeded();
    await p.waitForFunction((i) => {
      const el = document.querySelectorAll('.results .card')[i]?.querySelector('img.poster__img') as { complete: boolean; naturalWidth: number } | null;
      return !!el && el.complete && el.naturalWidth > 0;
    }, withPoster);
    // The srcset picks w342 or w500 for a 2x phone card, never the page's whole w500 on a thumbnail.
    expect(await img.evaluate((el) => (el as unknown as { currentSrc: string }).currentSrc)).toMatch(/\/w(342|500)\//);
    expect(await img.getAttribute('srcset')).toMatch(/w185\/.* 185w, .*w342\/.* 342w, .*w500\/.* 500w/);
    const layout = await p.evaluate(() => {
      const cards = [...document.querySelectorAll('.results .card')].map((c: any) => c.getBoundingClientRect());
      return {
        scrollWidth: document.documentElement.scrollWidth,
        lefts: new Set(cards.map((r: { left: number }) => Math.round(r.left))).size,
        fontSize: parseFloat(getComputedStyle(document.body).fontSize),
        reasonSize: parseFloat(getComputedStyle(document.querySelector('.card__reason')!).fontSize),
      };
    });
    expect(layout.scrollWidth).toBeLessThanOrEqual(360);
    expect(layout.lefts).toBe(1);
    expect(layout.fontSize).toBeGreaterThanOrEqual(18);
    expect(layout.reasonSize).toBeGreaterThanOrEqual(18);
    await p.evaluate(() => document.getElementById('results-heading').scrollIntoView());
    await shot(p, '13-phone-recommendations', false);
    expect(await axeScan(p)).toEqual([]);

    // The film record fills the phone's screen and scrolls inside itself.
    await p.locator('.results .card').first().getByRole('button', { name: /^Voir la fiche/ }).tap();
    const dialog = p.getByRole('dialog');
    await dialog.waitFor();
    const box = (await dialog.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    await shot(p, '14-phone-film-record', false);
    await p.getByRole('button', { name: 'Fermer' }).tap();
    await dialog.waitFor({ state: 'detached' });
    await phone.close();
  });

  it('shows the catalogue in figures: four charts in plain French with their text alternatives', async () => {
    const p = await context.newPage();
    await p.goto(stack.gateway.url);
    await p.getByRole('link', { name: 'Le catalogue en chiffres' }).click();
    expect(new URL(p.url()).pathname).toBe('/chiffres');
    for (const id of ['kpi-decades', 'kpi-runtime', 'kpi-best', 'kpi-actors']) await p.locator(`#${id} figure`).waitFor();
    expect(await p.locator('svg.chart[role=img]').count()).toBe(2);

    // The sentence says what the data says.
    const decades = await api<KpiData>('/api/v1/kpis/catalogue_by_decade');
    const films = decades.rows.filter((r) => r.kind === 'film' && r.decade !== null);
    const top = films.reduce((a, b) => (Number(b.titles) > Number(a.titles) ? b : a));
    const caption = await p.locator('#kpi-decades figcaption').innerText();
    expect(caption).toContain(`années ${top.decade}`);
    expect(await p.locator('#kpi-decades svg').getAttribute('aria-labelledby')).toBe('kpi-decades-caption');
    await p.locator('#kpi-decades summary').click();
    expect(await p.locator('#kpi-decades tbody tr').count()).toBe(films.length);

    const best = await api<KpiData>('/api/v1/kpis/best_rated_films');
    expect(await p.locator('#kpi-best .ranked__label').first().innerText()).toContain(String(best.rows[0]!.title));
    const actors = await api<KpiData>('/api/v1/kpis/top_actors');
    // People IMDb gives no name for (the view shows their id) are left out of the customers' page.
    const named = actors.rows.filter((r) => !/^nm\d+$/.test(String(r.name)));
    const most = Math.max(...named.map((r) => Number(r.films)));
    expect(await p.locator('#kpi-actors').innerText()).not.toMatch(/\bnm\d{5,}/);
    expect(await p.locator('#kpi-actors figcaption').innerText()).toContain(`${most} films`);
    await shot(p, '15-kpi-page');
    expect(await axeScan(p)).toEqual([]);

    // A deep link to the page works (the gateway answers index.html for it).
    await p.goto(`${stack.gateway.url}/chiffres`);
    await p.locator('#kpi-decades figure').waitFor();
    await p.close();
  });
});
