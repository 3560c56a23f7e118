import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSENT_WORDING, CONSENT_WORDING_VERSION, createLogger, LEARNING_CONSENT_WORDING, LEARNING_CONSENT_WORDING_VERSION, type Env, type FilmAudience, openNotifyQueue, QueueName } from '@cine/common';
import { deadline } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { NoImportQueue } from '../src/admin/no-import-queue';
import { buildGateway } from '../src/app';
import { NO_SUBSCRIBERS_MESSAGE } from '../src/audience/audience.service';
import { SubscriberAudienceRepository } from '../src/audience/subscriber-audience.repository';
import { loadGatewayConfig } from '../src/config';
import { NOTIFIER_DOWN_MESSAGE, NOTIFIER_OFF_MESSAGE } from '../src/notifications/notifier.repository';
import { addDays, fromLocal, isoWithOffset, toLocal, weekStartOfDate } from '../src/programme/cinema-time';
import { HttpRecommenderClient } from '../src/recommendations/recommender.repository';
import { ADMIN_KEY, CLOSED_URL, TEST_REDIS_URL } from './gateway-harness';

/**
 * The gateway's side of the notifications, without a notifier behind it: what the gateway
 * answers alone (the consent wording, the 503 without NOTIFIER_URL, validation, the title
 * resolution, the admin guard, the /u/ page that changes nothing), what it logs (never a token),
 * the audience read from the notifier's table, and the notify jobs a programme change enqueues
 * on the real Redis. The forwarding to the real notifier is notifications-forwarding.spec.ts.
 */

const PARIS = 'Europe/Paris';
const key = { 'x-api-key': ADMIN_KEY };
const TOKEN = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo';
const STAR_WARS = 'tt0076759';

interface Running {
  url: string;
  app: FastifyInstance;
  lines: string[];
  close(): Promise<void>;
}

/** The gateway over real HTTP, its log kept in memory (every line, at info) to be read by the test. */
async function start(t: TestDatabase, env: Env, extra: Partial<Parameters<typeof buildGateway>[0]> = {}): Promise<Running> {
  const lines: string[] = [];
  const log = createLogger('gateway', { level: 'info', destination: { write: (line: string) => void lines.push(line) } });
  const config = loadGatewayConfig({ RECOMMENDER_URL: CLOSED_URL, RECOMMENDER_TIMEOUT_MS: String(deadline(1500)), ADMIN_API_KEY: ADMIN_KEY, RATE_LIMIT_MAX: '1000000', ...env });
  const app = await buildGateway({ config, handle: t.handle, queue: new NoImportQueue(), recommender: new HttpRecommenderClient(config.recommender.url, config.recommender.timeoutMs), log, ...extra });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    app,
    lines,
    close: () => app.close(),
  };
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const subscription = (over: Record<string, unknown> = {}) => ({
  email: 'jeanne.martin@example.fr',
  liked: [STAR_WARS],
  preferences: { alerts: true, digest: true },
  consent: { wordingVersion: CONSENT_WORDING_VERSION, accepted: true },
  ...over,
});

describeWithSamples('notifications at the gateway, without a notifier', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples' });
  }, deadline(120_000));
  afterAll(async () => {
    await t?.drop();
  });

  describe('no NOTIFIER_URL', () => {
    let gw: Running;
    let webRoot: string;
    beforeAll(async () => {
      // A page of its own: the subscription pages are served only where a page is.
      webRoot = mkdtempSync(join(tmpdir(), 'cine-notify-page-'));
      writeFileSync(join(webRoot, 'index.html'), '<!doctype html><html lang="fr"><title>page</title><div id="app"></div></html>');
      gw = await start(t, {}, { webRoot });
    });
    afterAll(async () => {
      await gw?.close();
      rmSync(webRoot, { recursive: true, force: true });
    });

    it('the subscription pages are the page, to any client (a mail app’s browser may not say text/html), with no Referer to send', async () => {
      for (const path of ['/abonnement', '/abonnement/confirmer']) {
        const res = await fetch(`${gw.url}${path}`);
        expect([path, res.status, res.headers.get('content-type')]).toEqual([path, 200, 'text/html; charset=utf-8']);
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(await res.text()).toContain('<div id="app">');
      }
    });

    it('every customer route answers 503 in French; the page reads the consent route to hide its form', async () => {
      const consent = await fetch(`${gw.url}/api/v1/subscriptions/consent`);
      expect(consent.status).toBe(503);
      expect(await consent.json()).toMatchObject({ statusCode: 503, message: NOTIFIER_OFF_MESSAGE });
      const subscribe = await fetch(`${gw.url}/api/v1/subscriptions`, json(subscription()));
      expect([subscribe.status, ((await subscribe.json()) as { message: string }).message]).toEqual([503, NOTIFIER_OFF_MESSAGE]);
      const confirm = await fetch(`${gw.url}/api/v1/subscriptions/confirm`, json({ token: TOKEN }));
      expect(confirm.status).toBe(503);
      const me = await fetch(`${gw.url}/api/v1/subscriptions/me`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(me.status).toBe(503);
      const oneClick = await fetch(`${gw.url}/u/${TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(oneClick.status).toBe(503);
    });

    it('the admin routes ask for the owner first (401), then say the notifier is off (503)', async () => {
      for (const [method, path] of [
        ['GET', '/api/v1/admin/notifications/stats'],
        ['GET', '/api/v1/admin/notifications/preview'],
        ['POST', '/api/v1/admin/notifications/digest'],
      ] as const) {
        const body = method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {};
        const anonymous = await fetch(`${gw.url}${path}`, { method, ...body });
        expect([path, anonymous.status]).toEqual([path, 401]);
        const wrongKey = await fetch(`${gw.url}${path}`, { method, ...body, headers: { ...body.headers, 'x-api-key': 'not-the-key-0123456789' } });
        expect([path, wrongKey.status]).toEqual([path, 401]);
        const owner = await fetch(`${gw.url}${path}`, { method, ...body, headers: { ...body.headers, ...key } });
        expect([path, owner.status]).toEqual([path, 503]);
      }
    });
  });

  describe('NOTIFIER_URL set, the notifier down', () => {
    let gw: Running;
    beforeAll(async () => {
      gw = await start(t, { NOTIFIER_URL: CLOSED_URL, NOTIFIER_TIMEOUT_MS: String(deadline(2000)), SUBSCRIBE_RATE_LIMIT_MAX: '100' });
    });
    afterAll(async () => gw?.close());

    it('the consent wording is the gateway’s own answer: the current version and its exact text', async () => {
      const res = await fetch(`${gw.url}/api/v1/subscriptions/consent`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        version: CONSENT_WORDING_VERSION,
        text: CONSENT_WORDING[CONSENT_WORDING_VERSION],
        learning: { version: LEARNING_CONSENT_WORDING_VERSION, text: LEARNING_CONSENT_WORDING[LEARNING_CONSENT_WORDING_VERSION] },
      });
    });

    it('refuses what breaks the contract before anything is forwarded, naming the field', async () => {
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [subscription({ consent: { wordingVersion: CONSENT_WORDING_VERSION, accepted: false } }), /body\/consent\/accepted/],
        [subscription({ consent: { wordingVersion: 'old-v0', accepted: true } }), /body\/consent\/wordingVersion : le texte du consentement a changé/],
        [subscription({ consent: { wordingVersion: CONSENT_WORDING_VERSION, accepted: true, learning: 'oui' } }), /body\/consent\/learning/],
        [subscription({ email: 'pas-une-adresse' }), /body\/email/],
        [subscription({ liked: [] }), /body\/liked/],
        [subscription({ preferences: { alerts: true } }), /body\/preferences\/digest is required/],
        [subscription({ preferences: { alerts: true, digest: false, versions: ['VF', 'VHS'] } }), /body\/preferences\/versions\/1/],
        [subscription({ extra: 1 }), /body\/extra is not allowed/],
      ];
      for (const [body, message] of cases) {
        const res = await fetch(`${gw.url}/api/v1/subscriptions`, json(body));
        const answer = (await res.json()) as { message: string };
        expect([answer.message, res.status]).toEqual([expect.stringMatching(message), 400]);
        // The address is never repeated in an answer.
        expect(answer.message).not.toContain('jeanne');
      }
    });

    it('resolves titles as the recommendations do: one that matches no film is a 400 naming its place, not its text', async () => {
      const res = await fetch(`${gw.url}/api/v1/subscriptions`, json(subscription({ liked: ['le parrain', 'zzqxj wvvkp'], disliked: ['titanic'] })));
      const answer = (await res.json()) as { message: string };
      expect(res.status).toBe(400);
      expect(answer.message).toMatch(/^body\/liked\/1 : film non reconnu/);
      expect(answer.message).not.toContain('zzqxj');
      const badDisliked = await fetch(`${gw.url}/api/v1/subscriptions`, json(subscription({ disliked: ['tt9999999'] })));
      expect([badDisliked.status, ((await badDisliked.json()) as { message: string }).message]).toEqual([400, expect.stringMatching(/^body\/disliked\/0 : /)]);
      // Every title resolved: forwarded, and the notifier being down is a 503 in French with Retry-After.
      const down = await fetch(`${gw.url}/api/v1/subscriptions`, json(subscription({ liked: ['le parrain', STAR_WARS], disliked: ['titanic'] })));
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('30');
      expect(((await down.json()) as { message: string }).message).toBe(NOTIFIER_DOWN_MESSAGE);
    });

    it('the manage routes need the manage token as a Bearer header (401 in French); with one, they are forwarded', async () => {
      for (const headers of [{}, { authorization: TOKEN }, { authorization: 'Bearer short' }, { authorization: `Basic ${TOKEN}` }] as Array<Record<string, string>>) {
        const res = await fetch(`${gw.url}/api/v1/subscriptions/me`, { headers });
        expect([headers, res.status]).toEqual([headers, 401]);
        expect(((await res.json()) as { message: string }).message).toMatch(/Gérer mon abonnement/);
      }
      const withToken = await fetch(`${gw.url}/api/v1/subscriptions/me/export`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(withToken.status).toBe(503);
      const erase = await fetch(`${gw.url}/api/v1/subscriptions/me`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(erase.status).toBe(503);
    });

    it('GET /u/{token}: a French page with one button posting back to the same URL; nothing is forwarded, nothing changes', async () => {
      const res = await fetch(`${gw.url}/u/${TOKEN}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const html = await res.text();
      expect(html).toContain('<html lang="fr">');
      expect(html.match(/<button/g)).toHaveLength(1);
      expect(html).toMatch(/<form method="post">\s*<input type="hidden" name="List-Unsubscribe" value="One-Click">/);
      // The page does not hold the token (the form posts to its own URL).
      expect(html).not.toContain(TOKEN);
      // The notifier is down: had the GET been forwarded, it would have been a 503.
      const head = await fetch(`${gw.url}/u/${TOKEN}`, { method: 'HEAD' });
      expect(head.status).toBe(200);
    });

    it('POST /u/{token} wants RFC 8058’s body (400 otherwise); forwarded then (503 here, an HTML page to a browser)', async () => {
      const post = (body: string, headers: Record<string, string>) => fetch(`${gw.url}/u/${TOKEN}`, { method: 'POST', headers, body });
      expect((await post('List-Unsubscribe=Yes', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(400);
      expect((await post('{}', { 'content-type': 'application/json' })).status).toBe(400);
      const form = await post('List-Unsubscribe=One-Click', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(form.status).toBe(503);
      expect(form.headers.get('referrer-policy')).toBe('no-referrer');
      const boundary = 'xYzZY';
      const multipart = await post(`--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`, {
        'content-type': `multipart/form-data; boundary=${boundary}`,
      });
      expect(multipart.status).toBe(503);
      const browser = await post('List-Unsubscribe=One-Click', { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' });
      expect(browser.status).toBe(503);
      expect(await browser.text()).toContain('Service momentanément indisponible');
    });

    it('the request log never carries an unsubscribe token, whatever the path or the method', async () => {
      const before = gw.lines.length;
      await fetch(`${gw.url}/u/${TOKEN}`);
      await fetch(`${gw.url}/u/${TOKEN}?from=mail`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      await fetch(`${gw.url}/u/${TOKEN}/more`);
      await fetch(`${gw.url}/u/${TOKEN}`, { method: 'PUT' });
      await fetch(`${gw.url}/api/v1/subscriptions/me`, { headers: { authorization: `Bearer ${TOKEN}` } });
      const logged = gw.lines.slice(before);
      const urls = logged.flatMap((line) => {
        const url = (JSON.parse(line) as { req?: { url?: string } }).req?.url;
        return url ? [url] : [];
      });
      expect(urls).toEqual(['/u/***', '/u/***?from=mail', '/u/***/more', '/u/***', '/api/v1/subscriptions/me']);
      expect(logged.join('\n')).not.toContain(TOKEN);
      expect(logged.join('\n')).not.toContain(TOKEN.slice(0, 12));
    });

    it('nor an address or a subscriber id in a query string, even one the route refuses', async () => {
      const before = gw.lines.length;
      const headers = { 'x-api-key': ADMIN_KEY };
      const refused = await fetch(`${gw.url}/api/v1/admin/notifications/preview?subscriber=jeanne.martin@example.org`, { headers });
      expect(refused.status).toBe(400);
      await fetch(`${gw.url}/api/v1/admin/notifications/preview?subscriber=sub_42&liked=tt0068646`, { headers });
      await fetch(`${gw.url}/api/v1/films/search?q=jeanne.martin%40example.org&limit=3`);
      const logged = gw.lines.slice(before);
      const urls = logged.flatMap((line) => {
        const url = (JSON.parse(line) as { req?: { url?: string } }).req?.url;
        return url ? [url] : [];
      });
      expect(urls).toEqual([
        '/api/v1/admin/notifications/preview?subscriber=***',
        '/api/v1/admin/notifications/preview?subscriber=***&liked=tt0068646',
        '/api/v1/films/search?q=***&limit=3',
      ]);
      expect(logged.join('\n')).not.toMatch(/jeanne|sub_42/);
    });

  });

  describe('the subscribe rate limit', () => {
    let gw: Running;
    beforeAll(async () => {
      gw = await start(t, { NOTIFIER_URL: CLOSED_URL, NOTIFIER_TIMEOUT_MS: String(deadline(2000)), SUBSCRIBE_RATE_LIMIT_MAX: '3' });
    });
    afterAll(async () => gw?.close());

    it('is per client and tighter than the general one: the 4th subscription of the hour is a 429 in French; other routes still answer', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await fetch(`${gw.url}/api/v1/subscriptions`, json(subscription({ liked: [] })))).status);
      expect(statuses).toEqual([400, 400, 400, 429]);
      const limited = await fetch(`${gw.url}/api/v1/subscriptions`, json(subscription()));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3000);
      expect(((await limited.json()) as { message: string }).message).toMatch(/^Trop d’inscriptions/);
      expect((await fetch(`${gw.url}/api/v1/subscriptions/consent`)).status).toBe(200);
    });
  });

  describe('the audience, from the notifier’s subscriber table', () => {
    let gw: Running;
    beforeAll(async () => {
      gw = await start(t, {});
    });
    afterAll(async () => {
      await gw?.close();
      await sql`DELETE FROM subscriber`.execute(t.handle.db);
    });

    it('with no confirmed subscriber: zeros, source "subscribers", the message saying why, no recommender asked (it is down here)', async () => {
      await insertSubscriber(t, { status: 'pending', liked: [STAR_WARS] });
      const res = await fetch(`${gw.url}/api/v1/admin/films/${STAR_WARS}/audience`, { headers: key });
      expect(res.status).toBe(200);
      expect((await res.json()) as FilmAudience).toEqual({ tconst: STAR_WARS, tastes: 0, fits: 0, reasons: [], source: 'subscribers', message: NO_SUBSCRIBERS_MESSAGE });
    });

    it('reads the liked films of the confirmed subscribers who are not paused, and nothing else', async () => {
      await insertSubscriber(t, { status: 'active', liked: ['tt0080684', STAR_WARS] });
      await insertSubscriber(t, { status: 'active', liked: ['tt0133093'], preferences: { alerts: true, digest: false, paused: false } });
      await insertSubscriber(t, { status: 'active', liked: ['tt0110912'], preferences: { alerts: true, digest: true, paused: true } });
      await insertSubscriber(t, { status: 'active', liked: [] });
      const lists = await new SubscriberAudienceRepository(t.handle.db).likedLists();
      expect(lists.map((l) => l.join(',')).sort()).toEqual(['tt0080684,tt0076759', 'tt0133093']);
      // With tastes to score, the route asks the recommender, which is down here: a 503, not a wrong zero.
      const res = await fetch(`${gw.url}/api/v1/admin/films/${STAR_WARS}/audience`, { headers: key });
      expect(res.status).toBe(503);
    });
  });

  describe('programme changes as notify jobs, on the real Redis', () => {
    const prefix = `gwnotify-${process.pid}-${randomBytes(4).toString('hex')}`;
    let gw: Running;
    let jobs: Queue;
    const producer = openNotifyQueue(TEST_REDIS_URL, { attempts: 1, backoffMs: 10, prefix }, createLogger('test', { level: 'silent' }));
    const week = addDays(weekStartOfDate(toLocal(new Date(), PARIS).date), 14);
    const draftWeek = addDays(week, 7);
    const at = (date: string, time: string) => isoWithOffset(fromLocal({ date, time }, PARIS), PARIS);
    const admin = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${gw.url}${path}`, { method, headers: { ...key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const answer = (await res.json()) as { id: string };
      expect([path, res.status < 300, answer]).toEqual([path, true, answer]);
      return answer;
    };
    const queued = async () =>
      (await jobs.getJobs(['waiting', 'delayed'])).map((j) => ({ name: j.name, data: j.data as unknown })).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

    beforeAll(async () => {
      jobs = new Queue(QueueName.Notify, { connection: { url: TEST_REDIS_URL }, prefix });
      gw = await start(t, {}, { notify: producer });
    });
    afterAll(async () => {
      await gw?.close();
      await producer.close();
      await jobs?.obliterate({ force: true });
      await jobs?.close();
    });

    it('a draft week tells nobody; publishing it is one match-programme job for that week; a change after is another; a cancellation tells those it was announced to', async () => {
      await admin('POST', '/api/v1/admin/rooms', { name: 'Salle Notify', seats: 80 });
      const first = await admin('POST', '/api/v1/admin/screenings', { tconst: STAR_WARS, startsAt: at(week, '20:30'), room: 'Salle Notify', version: 'VF' });
      const draft = await admin('POST', '/api/v1/admin/screenings', { tconst: STAR_WARS, startsAt: at(draftWeek, '20:30'), room: 'Salle Notify', version: 'VF' });
      await admin('PATCH', `/api/v1/admin/screenings/${draft.id}`, { version: 'VOST' });
      await admin('DELETE', `/api/v1/admin/screenings/${draft.id}`);
      expect(await queued()).toEqual([]);

      const to = addDays(week, 7);
      await admin('POST', `/api/v1/admin/weeks/${week}/publish`);
      // Published again: the same job id, still one job.
      await admin('POST', `/api/v1/admin/weeks/${week}/publish`);
      expect(await queued()).toEqual([{ name: 'match-programme', data: { reason: 'published', from: week, to } }]);

      await admin('PATCH', `/api/v1/admin/screenings/${first.id}`, { startsAt: at(addDays(week, 1), '14:00') });
      await admin('POST', '/api/v1/admin/screenings', { tconst: 'tt0086190', startsAt: at(addDays(week, 2), '20:30'), room: 'Salle Notify', version: 'VOST' });
      await admin('DELETE', `/api/v1/admin/screenings/${first.id}`);
      // Cancelled twice: the second changes nothing and tells nobody.
      await admin('DELETE', `/api/v1/admin/screenings/${first.id}`);
      expect(await queued()).toEqual(
        [
          { name: 'match-programme', data: { reason: 'published', from: week, to } },
          { name: 'match-programme', data: { reason: 'changed', from: week, to } },
          { name: 'match-programme', data: { reason: 'changed', from: week, to } },
          { name: 'screening-cancelled', data: { screeningId: first.id } },
        ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      );
    });
  });
});

async function insertSubscriber(t: TestDatabase, row: { status: 'pending' | 'active'; liked: string[]; preferences?: Record<string, unknown> }): Promise<void> {
  const email = `abonne-${randomBytes(4).toString('hex')}@example.fr`;
  await sql`
    INSERT INTO subscriber (email, email_hash, status, liked, preferences, confirmed_at)
    VALUES (${email}, sha256(convert_to(${email}, 'UTF8')), ${row.status}, ${row.liked}::text[], ${JSON.stringify(row.preferences ?? { alerts: true, digest: true })}::text::jsonb,
            ${row.status === 'active' ? sql`now()` : sql`NULL`})`.execute(t.handle.db);
}
