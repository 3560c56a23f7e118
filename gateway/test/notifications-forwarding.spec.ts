import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONSENT_WORDING_VERSION,
  type ConfirmResponse,
  createLogger,
  type InProcessNotifyQueue,
  LEARNING_CONSENT_WORDING_VERSION,
  type NotificationStats,
  type SubscriptionExport,
  type SubscriptionView,
} from '@cine/common';
import { deadline } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { type RunningNotifier, startNotifier } from '@cine/notifier';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { ADMIN_KEY, type RunningGateway, startGateway } from './gateway-harness';
import { testNotifierConfig } from '@cine/notifier/testing/test-config';

/**
 * The gateway in front of the real notifier (started by its package name, on the same test
 * database, its emails written to an outbox folder as in `npm start`): every public route
 * forwarded, titles resolved by the gateway first, the notifier's answers and errors passed on.
 */

const GODFATHER = 'tt0068646';
const STAR_WARS = 'tt0076759';
const AMELIE = 'tt0211915';
const key = { 'x-api-key': ADMIN_KEY };
const silent = createLogger('notifications-forwarding', { level: 'silent' });

describeWithSamples('notifications through the gateway, against the real notifier', () => {
  let t: TestDatabase;
  let notifier: RunningNotifier;
  let gw: RunningGateway;
  let outbox: string;

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples' });
    outbox = mkdtempSync(join(tmpdir(), 'cine-gateway-outbox-'));
    notifier = await startNotifier({
      handle: t.handle,
      log: silent,
      config: testNotifierConfig({ outboxDir: outbox }),
    });
    gw = await startGateway({ handle: t.handle, env: { NOTIFIER_URL: notifier.url, NOTIFIER_TIMEOUT_MS: String(deadline(5000)) } });
  }, deadline(120_000));
  afterAll(async () => {
    await gw?.close();
    await notifier?.close();
    await t?.drop();
    if (outbox) rmSync(outbox, { recursive: true, force: true });
  });

  const idle = () => (notifier.queue as InProcessNotifyQueue).idle();
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gw.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const me = (token: string, init: RequestInit = {}) => fetch(`${gw.url}/api/v1/subscriptions/me`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  /** The emails written so far, parsed, oldest first. */
  const emails = async () =>
    Promise.all(
      readdirSync(outbox)
        .filter((f) => f.endsWith('.eml'))
        .sort()
        .map((f) => simpleParser(readFileSync(join(outbox, f)))),
    );
  const subscription = (email: string, liked: string[]) => ({
    email,
    liked,
    disliked: ['titanic'],
    preferences: { alerts: true, digest: false, versions: ['VOST'] },
    consent: { wordingVersion: CONSENT_WORDING_VERSION, accepted: true, learning: true },
    source: 'page',
  });

  let manageToken = '';

  it('subscribe → the same 202 for a new and a known address, one confirmation email; confirm by POST → the resolved films and a manage token', async () => {
    const first = await post('/api/v1/subscriptions', subscription('marie.dupont@example.fr', ['le parrain', STAR_WARS]));
    expect(first.status).toBe(202);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const firstBody = await first.json();
    expect(firstBody).toMatchObject({ status: 'pending', message: expect.any(String) });
    await idle();
    const again = await post('/api/v1/subscriptions', subscription('marie.dupont@example.fr', [GODFATHER]));
    expect([again.status, await again.json()]).toEqual([202, firstBody]);
    await idle();

    const mails = await emails();
    expect(mails.length).toBeGreaterThanOrEqual(1);
    const link = /https:\/\/cinema\.example\/abonnement\/confirmer#([A-Za-z0-9_-]+)/.exec(mails.at(-1)!.text ?? '');
    expect(link).not.toBeNull();
    const confirmToken = link![1]!;

    const confirmed = await post('/api/v1/subscriptions/confirm', { token: confirmToken });
    expect(confirmed.status).toBe(200);
    expect(confirmed.headers.get('referrer-policy')).toBe('no-referrer');
    const body = (await confirmed.json()) as ConfirmResponse;
    expect(body.subscription.status).toBe('active');
    expect(body.subscription.email).toBe('marie.dupont@example.fr');
    // The titles were the gateway's to resolve: the notifier holds tconsts.
    expect(body.subscription.liked.map((f) => f.tconst).sort()).toEqual(expect.arrayContaining([GODFATHER]));
    expect(body.subscription.disliked.map((f) => f.tconst)).toHaveLength(1);
    expect(body.subscription.preferences).toMatchObject({ alerts: true, digest: false, versions: ['VOST'] });
    // The optional learning box, ticked, was forwarded and recorded.
    expect(body.subscription.learning).toBe(true);
    manageToken = body.manageToken;

    // The token is single-use: the notifier's 410 (or 404) passes through, in its words.
    const twice = await post('/api/v1/subscriptions/confirm', { token: confirmToken });
    expect([404, 410]).toContain(twice.status);
  });

  it('manage: read, change films by title (resolved) and preferences, pause; a title matching no film changes nothing', async () => {
    const read = await me(manageToken);
    expect(read.status).toBe(200);
    expect(read.headers.get('cache-control')).toBe('no-store');
    expect(((await read.json()) as SubscriptionView).status).toBe('active');

    const changed = await me(manageToken, { method: 'PUT', body: JSON.stringify({ liked: ['amelie', GODFATHER], preferences: { alerts: true, digest: true, paused: true } }) });
    expect(changed.status).toBe(200);
    const view = (await changed.json()) as SubscriptionView;
    expect(view.liked.map((f) => f.tconst)).toEqual([AMELIE, GODFATHER]);
    expect(view.status).toBe('paused');

    const refused = await me(manageToken, { method: 'PUT', body: JSON.stringify({ liked: [STAR_WARS, 'zzqxj wvvkp'] }) });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toMatch(/^body\/liked\/1 : /);
    const unchanged = (await (await me(manageToken)).json()) as SubscriptionView;
    expect(unchanged.liked.map((f) => f.tconst)).toEqual([AMELIE, GODFATHER]);

    // The learning consent withdrawn from the manage page.
    const withdrawn = await me(manageToken, { method: 'PUT', body: JSON.stringify({ learning: false }) });
    expect([withdrawn.status, ((await withdrawn.json()) as SubscriptionView).learning]).toEqual([200, false]);

    const wrong = await me('A'.repeat(43));
    expect(wrong.status).toBe(401);
  });

  it('export: everything kept, the consent proof with its wording version among it', async () => {
    const res = await fetch(`${gw.url}/api/v1/subscriptions/me/export`, { headers: { authorization: `Bearer ${manageToken}` } });
    expect(res.status).toBe(200);
    const data = (await res.json()) as SubscriptionExport;
    expect(data.subscription.email).toBe('marie.dupont@example.fr');
    expect(data.consent).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'given', purpose: 'emails', wordingVersion: CONSENT_WORDING_VERSION, source: 'page' })]));
    expect(data.consent.filter((c) => c.purpose === 'learning').map((c) => [c.action, c.wordingVersion])).toEqual([
      ['given', LEARNING_CONSENT_WORDING_VERSION],
      ['withdrawn', LEARNING_CONSENT_WORDING_VERSION],
    ]);
    expect(data.notifications.map((n) => n.kind)).toContain('confirmation');
  });

  it("the owner's stats through the admin guard: counts only", async () => {
    expect((await fetch(`${gw.url}/api/v1/admin/notifications/stats`)).status).toBe(401);
    const res = await fetch(`${gw.url}/api/v1/admin/notifications/stats`, { headers: key });
    expect(res.status).toBe(200);
    const stats = (await res.json()) as NotificationStats;
    expect(stats).toMatchObject({ subscribers: 1, confirmed: 1, paused: 1, pending: 0 });
    expect(JSON.stringify(stats)).not.toContain('@');
  });

  it("the owner's digest preview: the admin guard, and the query checked at the door", async () => {
    // This notifier runs without the matching jobs (no recommender here): a well-formed preview
    // reaches it and its 503 comes back; the jobs' own spec checks the preview's content.
    const path = `${gw.url}/api/v1/admin/notifications/preview`;
    expect((await fetch(`${path}?liked=${GODFATHER}`)).status).toBe(401);
    expect((await fetch(`${path}?liked=${GODFATHER},${AMELIE}`, { headers: key })).status).toBe(503);
    expect((await fetch(`${path}?subscriber=6f1d2c3b-0000-4000-8000-000000000000`, { headers: key })).status).toBe(503);
    // An address is refused (a query string is logged), and so is a title in place of tconsts.
    expect((await fetch(`${path}?subscriber=marie.dupont@example.fr`, { headers: key })).status).toBe(400);
    expect((await fetch(`${path}?liked=Le%20Parrain`, { headers: key })).status).toBe(400);
  });

  it('one-click: GET /u/{token} changes nothing; the RFC 8058 POST unsubscribes, twice the same; the manage token then fails', async () => {
    // The unsubscribe link any later email carries, issued by the notifier's own link service.
    const { rows } = await sql<{ id: string }>`SELECT id::text AS id FROM subscriber`.execute(t.handle.db);
    expect(rows).toHaveLength(1);
    const token = await notifier.services.links.issue(rows[0]!.id, 'unsubscribe');

    const page = await fetch(`${gw.url}/u/${token}`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect((await me(manageToken)).status).toBe(200);

    const oneClick = () => fetch(`${gw.url}/u/${token}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    const first = await oneClick();
    expect([first.status, await first.json()]).toEqual([200, { status: 'unsubscribed', message: expect.stringMatching(/^Vous êtes désabonné/) }]);
    const second = await oneClick();
    expect(second.status).toBe(200);
    expect((await me(manageToken)).status).toBe(401);
    const { rows: left } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM subscriber`.execute(t.handle.db);
    expect(left[0]!.n).toBe(0);
  });

  it('erase from the manage token: 204, and the token then opens nothing', async () => {
    await post('/api/v1/subscriptions', subscription('paul.durand@example.fr', [GODFATHER]));
    await idle();
    const link = /abonnement\/confirmer#([A-Za-z0-9_-]+)/.exec((await emails()).at(-1)!.text ?? '');
    const confirmed = (await (await post('/api/v1/subscriptions/confirm', { token: link![1]! })).json()) as ConfirmResponse;
    const erased = await me(confirmed.manageToken, { method: 'DELETE' });
    expect(erased.status).toBe(204);
    expect((await me(confirmed.manageToken)).status).toBe(401);
  });

  it('the owner erases a subscriber who asked the cinema: by address, behind the admin guard; an unknown address erases nothing', async () => {
    await post('/api/v1/subscriptions', subscription('Lucie.Bernard@example.fr', [GODFATHER]));
    await idle();
    const link = /abonnement\/confirmer#([A-Za-z0-9_-]+)/.exec((await emails()).at(-1)!.text ?? '');
    const confirmed = (await (await post('/api/v1/subscriptions/confirm', { token: link![1]! })).json()) as ConfirmResponse;
    const path = '/api/v1/admin/subscribers/erase';
    expect((await post(path, { email: 'lucie.bernard@example.fr' })).status).toBe(401);
    expect((await post(path, { email: 'pas une adresse' }, key)).status).toBe(400);
    // Typed as the customer wrote it: case and spaces do not matter.
    const stats = async () => (await (await fetch(`${gw.url}/api/v1/admin/notifications/stats`, { headers: key })).json()) as NotificationStats;
    const before = await stats();
    const done = await post(path, { email: '  lucie.bernard@EXAMPLE.fr ' }, key);
    expect([done.status, await done.json()]).toEqual([200, { erased: true }]);
    // Counted as an erasure asked for, through the gateway's schema (the running totals survive it).
    const after = await stats();
    expect(after.departures.erase - before.departures.erase).toBe(1);
    expect(after.departures.total - before.departures.total).toBe(1);
    expect((await me(confirmed.manageToken)).status).toBe(401);
    const { rows } = await sql<{ reason: string }>`SELECT reason FROM suppression WHERE email_hash = sha256(convert_to('lucie.bernard@example.fr', 'UTF8'))`.execute(t.handle.db);
    expect(rows.map((r) => r.reason)).toEqual(['erased']);
    const again = await post(path, { email: 'lucie.bernard@example.fr' }, key);
    expect(await again.json()).toEqual({ erased: false });
  });
});
