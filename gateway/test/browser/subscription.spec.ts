import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONSENT_WORDING,
  CONSENT_WORDING_VERSION,
  createLogger,
  type InProcessNotifyQueue,
  LEARNING_CONSENT_WORDING,
  LEARNING_CONSENT_WORDING_VERSION,
  type SubscriptionExport,
} from '@cine/common';
import { deadline } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { type RunningNotifier, startNotifier } from '@cine/notifier';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { OwnerAccountService } from '../../src/auth/owner-account.service';
import { OwnerRepository } from '../../src/auth/owner.repository';
import { type RunningGateway, startGateway } from '../gateway-harness';
import { axeScan, ensureWebBuilt, focusedText, launchBrowser, routeTmdb, screenshotDir, seedFamous40, WEB_DIST } from './browser-harness';
import { testNotifierConfig } from '@cine/notifier/testing/test-config';

// Functions given to page.evaluate run in the browser (see page.spec.ts).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const location: any;

const GODFATHER = 'tt0068646';
const AMELIE = 'tt0211915';
const LEARNING_TEXT = LEARNING_CONSENT_WORDING[LEARNING_CONSENT_WORDING_VERSION]!;
const silent = createLogger('subscription-browser', { level: 'silent' });

/**
 * A customer subscribes on the page, confirms from the email's link with the button (opening the
 * link confirms nothing), changes their films and preferences, pauses, downloads their data and
 * unsubscribes — in Chromium, against the real gateway and the real notifier (its emails written
 * to an outbox folder, as in `npm start`), on famous-40. No recommender: the subscription needs
 * none, and the suggestions' own states are page.spec's.
 */
describeWithSamples('the email subscription in a real browser', () => {
  let t: TestDatabase;
  let notifier: RunningNotifier;
  let gw: RunningGateway;
  let bare: RunningGateway;
  let browser: Browser;
  let page: Page;
  let outbox: string;
  let shots: string;
  /** Another site embedding the widget, on its own origin (allowed by the gateway's CORS_ORIGINS). */
  let host: Server;
  let hostUrl = '';
  const shot = (name: string) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true, scale: 'css' });
  const subscriber = async () =>
    (await sql<{ status: string; liked: string[]; preferences: Record<string, unknown> }>`SELECT status, liked, preferences FROM subscriber`.execute(t.handle.db)).rows;

  beforeAll(async () => {
    shots = screenshotDir('subscription');
    await ensureWebBuilt();
    t = await createTestDatabase();
    await seedFamous40(t.handle);
    outbox = mkdtempSync(join(tmpdir(), 'cine-browser-outbox-'));
    // The host exists before the gateway, which reads its CORS allowlist at boot.
    host = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Cinéma de Guéret</title></head>` +
          `<body><h1>Cinéma de Guéret</h1><script src="${gw.url}/widget.js" data-api="${gw.url}" defer></script></body></html>`,
      );
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    hostUrl = `http://localhost:${(host.address() as AddressInfo).port}`;
    // The emails' links name PUBLIC_BASE_URL; the test opens their token on the gateway it started.
    notifier = await startNotifier({
      handle: t.handle,
      log: silent,
      config: testNotifierConfig({ outboxDir: outbox }),
    });
    gw = await startGateway({ handle: t.handle, webRoot: WEB_DIST, env: { NOTIFIER_URL: notifier.url, NOTIFIER_TIMEOUT_MS: String(deadline(5000)), CORS_ORIGINS: hostUrl } });
    bare = await startGateway({ handle: t.handle, webRoot: WEB_DIST });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1024, height: 900 }, acceptDownloads: true });
    await routeTmdb(page, 'offline');
  }, deadline(180_000));
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await bare?.close();
    await notifier?.close();
    if (host) await new Promise((resolve) => host.close(resolve));
    await t?.drop();
    if (outbox) rmSync(outbox, { recursive: true, force: true });
  });

  it('without a notifier on the install, the page shows no subscription form', async () => {
    const other = await browser.newPage();
    const consent = other.waitForResponse((r) => r.url().endsWith('/api/v1/subscriptions/consent'));
    await other.goto(bare.url);
    expect((await consent).status()).toBe(503);
    await other.getByRole('combobox', { name: 'Un film que vous avez aimé' }).waitFor();
    expect(await other.getByRole('heading', { name: 'Recevoir par e-mail les séances qui me plaisent' }).count()).toBe(0);
    await other.close();
  });

  it('the form: the films already chosen prefilled, every field labelled, the consent box unticked with the exact wording, what is kept said; errors announced', async () => {
    await page.goto(gw.url);
    const search = page.getByRole('combobox', { name: 'Un film que vous avez aimé' });
    await search.fill('le parrain');
    await page.locator('#liked-list [role=option]').first().waitFor();
    await search.press('Enter');

    const form = page.locator('section.sub');
    await form.getByRole('heading', { name: 'Recevoir par e-mail les séances qui me plaisent' }).waitFor();
    // The film chosen for the suggestions is in the form's list too.
    await form.getByRole('list', { name: 'Les films que j’ai aimés' }).getByText(/Parrain/).waitFor();

    const consent = form.getByRole('checkbox', { name: CONSENT_WORDING[CONSENT_WORDING_VERSION]! });
    expect(await consent.isChecked()).toBe(false);
    // The optional learning consent: a second box, under the first, unticked, with its exact wording.
    const learning = form.getByRole('checkbox', { name: LEARNING_TEXT, exact: true });
    expect(await learning.isChecked()).toBe(false);
    const boxes = await form.locator('.sub-consent input[type=checkbox]').evaluateAll((inputs: any[]) => inputs.map((i) => i.id));
    expect(boxes.map((id: string) => id.split('-').at(-1))).toEqual(['consent', 'learning']);
    expect(await form.getByLabel('Mon adresse e-mail').getAttribute('type')).toBe('email');
    expect(await form.getByRole('radio', { name: 'Les deux' }).isChecked()).toBe(true);
    for (const name of ['VOST : en version originale sous-titrée', 'Audiodescription', 'Seulement les séances de l’après-midi (avant 18 h)']) {
      expect([name, await form.getByRole('checkbox', { name }).isChecked()]).toEqual([name, false]);
    }
    const privacy = await form.locator('.sub-privacy').innerText();
    expect(privacy).toMatch(/7 jours/);
    expect(privacy).toMatch(/3 ans/);
    expect(privacy).toMatch(/télécharger vos données ou tout effacer/);
    // Who is responsible, how to reach them, and the authority to turn to (RGPD art. 13).
    expect(privacy).toMatch(/responsable de ces données/);
    expect(privacy).toMatch(/CNIL/);
    expect(await axeScan(page)).toEqual([]);
    await shot('01-form');

    // Sent empty: nothing leaves the page; what is missing is read out and takes the focus.
    let posted = false;
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/v1/subscriptions')) posted = true;
    });
    await form.getByRole('button', { name: 'M’inscrire' }).click();
    const alert = form.getByRole('alert');
    await alert.getByText('Indiquez votre adresse e-mail complète', { exact: false }).waitFor();
    expect(await alert.innerText()).toContain('Cochez la case « Mon accord »');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('alert');
    expect(await form.getByLabel('Mon adresse e-mail').getAttribute('aria-invalid')).toBe('true');
    expect(posted).toBe(false);
    await shot('02-form-errors');
  });

  it('« Vos données personnelles »: linked from the form and the footer, a deep link too; who is responsible, what is kept, how long, the rights, the CNIL', async () => {
    const other = await browser.newPage();
    await other.goto(gw.url);
    const fromForm = other.locator('section.sub').getByRole('link', { name: 'Tout savoir sur vos données personnelles' });
    expect(new URL((await fromForm.getAttribute('href'))!, gw.url).pathname).toBe('/confidentialite');
    await other.getByRole('contentinfo').getByRole('link', { name: 'Vos données personnelles' }).click();
    await other.getByRole('heading', { name: 'Vos données personnelles', level: 2 }).waitFor();
    expect(new URL(other.url()).pathname).toBe('/confidentialite');
    // The title follows in an effect after the render: a loaded machine runs it a moment later.
    await other.waitForFunction(() => document.title === 'Vos données personnelles — Ciné Creuse', undefined, { timeout: deadline(10_000) }).catch(() => {});
    expect(await other.title()).toBe('Vos données personnelles — Ciné Creuse');
    const text = await other.locator('article.privacy').innerText();
    for (const said of [/responsable des données/, /7 jours/, /3 ans/, /empreinte de votre adresse/, /hébergeur/, /télécharge/, /CNIL/]) expect(text).toMatch(said);
    expect(await axeScan(other)).toEqual([]);
    // A deep link (from an email, a search engine) gets the same page.
    await other.goto(`${gw.url}/confidentialite`);
    await other.getByRole('heading', { name: 'Vos données personnelles', level: 2 }).waitFor();
    await other.close();
  });

  it('subscribing answers "Vérifiez votre boîte mail"; one confirmation email goes out', async () => {
    const form = page.locator('section.sub');
    await form.getByLabel('Mon adresse e-mail').fill('lucienne.bernard@example.fr');
    await form.getByRole('checkbox', { name: 'VOST : en version originale sous-titrée' }).check();
    await form.getByRole('checkbox', { name: CONSENT_WORDING[CONSENT_WORDING_VERSION]! }).check();
    await form.getByRole('checkbox', { name: LEARNING_TEXT, exact: true }).check();
    const sent = page.waitForResponse((r) => r.url().endsWith('/api/v1/subscriptions') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'M’inscrire' }).click();
    const answer = await sent;
    expect(answer.status()).toBe(202);
    expect(JSON.parse(answer.request().postData() ?? '{}')).toMatchObject({
      email: 'lucienne.bernard@example.fr',
      liked: [GODFATHER],
      preferences: { alerts: true, digest: true, versions: ['VOST'] },
      consent: { wordingVersion: CONSENT_WORDING_VERSION, accepted: true, learning: true },
      source: 'page',
    });
    const done = page.getByRole('heading', { name: 'Vérifiez votre boîte mail' });
    await done.waitFor();
    expect(await focusedText(page, 'Vérifiez votre boîte mail')).toBe('Vérifiez votre boîte mail');
    await shot('03-check-your-mailbox');
    await (notifier.queue as InProcessNotifyQueue).idle();
    expect(await subscriber()).toEqual([expect.objectContaining({ status: 'pending', liked: [GODFATHER] })]);
  });

  let confirmToken = '';

  it('the confirmation link: opening it confirms nothing and clears the token from the address bar; the button confirms and opens the manage page', async () => {
    const mails = readdirSync(outbox).filter((f) => f.endsWith('.eml'));
    expect(mails).toHaveLength(1);
    const mail = await simpleParser(readFileSync(join(outbox, mails[0]!)));
    confirmToken = /https:\/\/cinema\.example\/abonnement\/confirmer#([A-Za-z0-9_-]+)/.exec(mail.text ?? '')![1]!;

    const opened = await page.goto(`${gw.url}/abonnement/confirmer#${confirmToken}`);
    expect(opened!.headers()['referrer-policy']).toBe('no-referrer');
    const button = page.getByRole('button', { name: 'Confirmer mon inscription' });
    await button.waitFor();
    expect(await page.evaluate(() => location.href)).toBe(`${gw.url}/abonnement/confirmer`);
    // A mail scanner would stop here: still pending.
    expect((await subscriber())[0]!.status).toBe('pending');
    expect(await axeScan(page)).toEqual([]);
    await shot('04-confirm');

    const confirm = page.waitForResponse((r) => r.url().endsWith('/api/v1/subscriptions/confirm'));
    await button.click();
    expect((await confirm).status()).toBe(200);
    await page.getByText('C’est confirmé !', { exact: false }).waitFor();
    expect(await page.evaluate(() => location.pathname + location.hash)).toBe('/abonnement');
    await page.getByText('Adresse : lucienne.bernard@example.fr').waitFor();
    await page.getByText('Vous recevez les e-mails.').waitFor();
    expect((await subscriber())[0]!.status).toBe('active');
    await shot('05-manage');
  });

  it('manage: add a film and a preference, untick the learning consent, save; pause and resume; download the data', async () => {
    const search = page.getByRole('combobox', { name: 'Ajouter un film que j’ai aimé' });
    await search.fill('le fabuleux destin');
    await page.locator('#manage-liked-list [role=option]').first().waitFor();
    await search.press('Enter');
    await page.getByRole('checkbox', { name: 'Audiodescription' }).check();
    // Ticked on the form, shown ticked here with the same words; unticked and saved, it is withdrawn.
    const learning = page.getByRole('checkbox', { name: LEARNING_TEXT, exact: true });
    expect(await learning.isChecked()).toBe(true);
    await learning.uncheck();
    await page.getByRole('button', { name: 'Enregistrer mes choix' }).click();
    await page.getByRole('status').filter({ hasText: 'Vos choix sont enregistrés.' }).waitFor();
    const [saved] = await subscriber();
    expect(saved!.liked).toEqual([GODFATHER, AMELIE]);
    expect(saved!.preferences).toMatchObject({ versions: ['VOST'], accessibility: { ad: true } });
    const learningRows = await sql<{ action: string }>`SELECT action FROM consent_record WHERE purpose = 'learning' ORDER BY id`.execute(t.handle.db);
    expect(learningRows.rows.map((r) => r.action)).toEqual(['given', 'withdrawn']);
    expect(await learning.isChecked()).toBe(false);

    await page.getByRole('button', { name: 'Mettre mes e-mails en pause' }).click();
    await page.getByText('Vos e-mails sont en pause : vous ne recevez rien pour l’instant.').waitFor();
    expect((await subscriber())[0]!.preferences.paused).toBe(true);
    await page.getByRole('button', { name: 'Recevoir à nouveau mes e-mails' }).click();
    await page.getByText('Vous recevez les e-mails.').waitFor();
    expect((await subscriber())[0]!.preferences.paused).toBe(false);

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Télécharger mes données' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('mes-donnees.json');
    const data = JSON.parse(readFileSync((await file.path())!, 'utf8')) as SubscriptionExport;
    expect(data.subscription.email).toBe('lucienne.bernard@example.fr');
    expect(data.consent[0]).toMatchObject({ action: 'given', wordingVersion: CONSENT_WORDING_VERSION, source: 'page' });
    expect(await axeScan(page)).toEqual([]);
    await shot('06-manage-saved');
  });

  it('unsubscribing asks once more, then erases everything', async () => {
    await page.getByRole('button', { name: 'Me désabonner et tout effacer' }).click();
    const question = page.getByText('Êtes-vous sûr ? Cela ne peut pas être annulé.');
    await question.waitFor();
    // The focus is on the question, not on the button that erases.
    expect(await focusedText(page, 'Êtes-vous sûr ? Cela ne peut pas être annulé.')).toBe('Êtes-vous sûr ? Cela ne peut pas être annulé.');
    expect(await subscriber()).toHaveLength(1);
    await shot('07-erase-question');
    await page.getByRole('button', { name: 'Oui, tout effacer' }).click();
    await page.getByText('C’est fait : vous êtes désabonné et tout est effacé.', { exact: false }).waitFor();
    expect(await subscriber()).toEqual([]);
    await shot('08-erased');
  });

  it('the widget on another site: the same form in its shadow root, the consent box unticked; subscribing through CORS sends one confirmation, its proof saying "widget"', async () => {
    const other = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await routeTmdb(other, 'offline');
    await other.goto(hostUrl);
    expect(new URL(hostUrl).origin).not.toBe(new URL(gw.url).origin);
    const widget = other.locator('cine-creuse-reco');
    const search = widget.getByRole('combobox', { name: 'Un film que vous avez aimé' });
    await search.fill('amelie');
    await widget.getByRole('option').first().waitFor();
    await search.press('Enter');
    const form = widget.locator('section.sub');
    await form.getByRole('heading', { name: 'Recevoir par e-mail les séances qui me plaisent' }).waitFor();
    const consent = form.getByRole('checkbox', { name: CONSENT_WORDING[CONSENT_WORDING_VERSION]! });
    expect(await consent.isChecked()).toBe(false);
    expect(await form.getByRole('checkbox', { name: LEARNING_TEXT, exact: true }).isChecked()).toBe(false);
    expect(await axeScan(other)).toEqual([]);
    await form.getByLabel('Mon adresse e-mail').fill('gaston.lefevre@example.fr');
    await consent.check();
    const sent = other.waitForResponse((r) => r.url().endsWith('/api/v1/subscriptions') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'M’inscrire' }).click();
    const answer = await sent;
    expect(answer.status()).toBe(202);
    expect(answer.headers()['access-control-allow-origin']).toBe(hostUrl);
    expect(JSON.parse(answer.request().postData() ?? '{}')).toMatchObject({
      email: 'gaston.lefevre@example.fr',
      liked: [AMELIE],
      consent: { accepted: true, learning: false },
      source: 'widget',
    });
    await form.getByRole('heading', { name: 'Vérifiez votre boîte mail' }).waitFor();
    await other.screenshot({ path: join(shots, '07-widget-subscribed.png'), fullPage: true });
    await (notifier.queue as InProcessNotifyQueue).idle();
    // The learning box left unticked: the emails' proof only.
    const proof = await sql<{ source: string }>`
      SELECT c.source FROM consent_record c JOIN subscriber s ON s.id = c.subscriber_id WHERE s.email = 'gaston.lefevre@example.fr'`.execute(t.handle.db);
    expect(proof.rows).toEqual([{ source: 'widget' }]);
    const mails = await Promise.all(readdirSync(outbox).map(async (f) => simpleParser(readFileSync(join(outbox, f)))));
    expect(mails.filter((m) => JSON.stringify(m.to).includes('gaston.lefevre@example.fr'))).toHaveLength(1);
    await other.close();
  });

  it('the confirmation link used again says so, in plain words', async () => {
    await page.goto(`${gw.url}/abonnement/confirmer#${confirmToken}`);
    await page.getByRole('button', { name: 'Confirmer mon inscription' }).click();
    await page.getByRole('alert').getByText('Ce lien a déjà servi ou a expiré.', { exact: false }).waitFor();
  });

  it('a customer asks the cinema to be erased: the owner types the address in /gestion, confirms, and the subscriber is gone, its hash kept', async () => {
    await new OwnerAccountService(new OwnerRepository(t.handle)).add('gerant@cinema-creuse.fr', 'une phrase de passe du gérant');
    const desk = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await desk.goto(`${gw.url}/gestion`);
    await desk.getByLabel('Adresse e-mail').fill('gerant@cinema-creuse.fr');
    await desk.getByLabel('Mot de passe').fill('une phrase de passe du gérant');
    await desk.getByRole('button', { name: 'Se connecter' }).click();
    const erase = desk.locator('section').filter({ has: desk.getByRole('heading', { name: 'Un client demande à être effacé' }) });
    const note = desk.locator('.owner-note');
    // Gaston subscribed through the widget (above) and asks by letter: his address as he wrote it.
    await erase.getByLabel('Son adresse e-mail').fill('Gaston.Lefevre@example.fr');
    desk.once('dialog', (d) => void d.accept());
    await erase.getByRole('button', { name: 'Effacer cet abonné' }).click();
    await note.filter({ hasText: 'C’est fait : cet abonné est effacé, il ne recevra plus rien.' }).waitFor();
    expect((await sql`SELECT 1 FROM subscriber WHERE lower(email) = 'gaston.lefevre@example.fr'`.execute(t.handle.db)).rows).toEqual([]);
    const kept = await sql<{ reason: string }>`SELECT reason FROM suppression WHERE email_hash = sha256(convert_to('gaston.lefevre@example.fr', 'UTF8'))`.execute(t.handle.db);
    expect(kept.rows).toEqual([{ reason: 'erased' }]);
    // Asked again: nobody has that address now, and the page says so.
    await erase.getByLabel('Son adresse e-mail').fill('gaston.lefevre@example.fr');
    desk.once('dialog', (d) => void d.accept());
    await erase.getByRole('button', { name: 'Effacer cet abonné' }).click();
    await note.filter({ hasText: /^Aucun abonné n’a cette adresse/ }).waitFor();
    expect(await axeScan(desk)).toEqual([]);
    await desk.close();
  });
});
