import { CONSENT_WORDING, CONSENT_WORDING_VERSION, type ConfirmResponse, type SubscriptionExport, type SubscriptionView } from '@cine/common';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { emailHash } from '../src/subscription/secrets';
import { SUBSCRIBE_ACCEPTED } from '../src/subscription/subscription.service';
import { FILMS, notifierSuite, subscribeRequest, tokenOf } from './notifier-harness';

/**
 * A subscription's life over the notifier's real HTTP routes (fastify inject), on a real database
 * with the real migrations, its emails sent by the real sender to a real SMTP server.
 */
describe('subscriptions', () => {
  const s = notifierSuite();
  const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, token?: string) =>
    s.notifier.app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }), headers: token ? { authorization: `Bearer ${token}` } : {} });
  const mailsTo = (address: string) => s.smtp.received.filter((m) => m.recipients.some((r) => r.toLowerCase() === address.toLowerCase()));
  const subscribe = async (email: string, change = {}) => {
    const res = await inject('POST', '/v1/subscriptions', subscribeRequest(email, change));
    await s.idle();
    return res;
  };
  /** Subscribes and confirms; the manage token of the confirmation's answer. */
  const subscribed = async (email: string): Promise<{ id: string; manage: string }> => {
    await subscribe(email);
    const confirmation = mailsTo(email).at(-1)!;
    const link = /https:\/\/cinema\.example\/abonnement\/confirmer#[A-Za-z0-9_-]{43}/.exec(confirmation.parsed.text ?? '')![0];
    const res = await inject('POST', '/v1/subscriptions/confirm', { token: tokenOf(link) });
    expect(res.statusCode).toBe(200);
    const row = await s.t.handle.db.selectFrom('subscriber').select('id').where('email_hash', '=', emailHash(email)).executeTakeFirstOrThrow();
    return { id: row.id, manage: (res.json() as ConfirmResponse).manageToken };
  };

  it('answers the same 202 for a new, a pending, an active and a bounced address; one email per request for the first', async () => {
    const fresh = 'nouvelle@example.org';
    const first = await subscribe(fresh);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual(SUBSCRIBE_ACCEPTED);
    expect(mailsTo(fresh)).toHaveLength(1);
    const mail = mailsTo(fresh)[0]!;
    expect(mail.parsed.subject).toMatch(/Confirmez/);
    expect(mail.parsed.text).toMatch(/https:\/\/cinema\.example\/abonnement\/confirmer#[A-Za-z0-9_-]{43}/);
    // A confirmation is not a list: no List-Unsubscribe.
    expect(mail.parsed.headers.has('list-unsubscribe')).toBe(false);

    const pending = await subscribe(fresh);
    expect(pending.statusCode).toBe(202);
    expect(pending.json()).toEqual(first.json());
    expect(mailsTo(fresh)).toHaveLength(2);

    const active = 'active@example.org';
    await subscribed(active);
    const before = mailsTo(active).length;
    const again = await subscribe(active, { liked: [FILMS.pulpFiction.tconst], disliked: [] });
    expect(again.json()).toEqual(first.json());
    expect(mailsTo(active)).toHaveLength(before + 1);
    expect(mailsTo(active).at(-1)!.parsed.subject).toMatch(/déjà inscrite/);
    // Whoever typed an active address changed nothing of it.
    const kept = await s.t.handle.db.selectFrom('subscriber').select('liked').where('email_hash', '=', emailHash(active)).executeTakeFirstOrThrow();
    expect(kept.liked).toEqual([FILMS.godfather.tconst, FILMS.amelie.tconst]);

    const bounced = 'bounced@example.org';
    await s.notifier.services.subscriptions.suppress(emailHash(bounced), 'bounced');
    const refused = await subscribe(bounced);
    expect(refused.statusCode).toBe(202);
    expect(refused.json()).toEqual(first.json());
    expect(mailsTo(bounced)).toHaveLength(0);
    expect(await s.t.handle.db.selectFrom('subscriber').select('id').where('email_hash', '=', emailHash(bounced)).execute()).toEqual([]);
  });

  it('sends at most 3 confirmation emails per address in 24 hours, and accepts the rest', async () => {
    const email = 'impatient@example.org';
    for (let i = 0; i < 5; i++) expect((await subscribe(email)).statusCode).toBe(202);
    expect(mailsTo(email)).toHaveLength(3);
    s.clock.now = new Date(s.clock.now.getTime() + 24 * 3600_000 + 1000);
    await subscribe(email);
    expect(mailsTo(email)).toHaveLength(4);
  });

  it('refuses a bad request naming the field, in French, and stores nothing', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ email: 'pas-une-adresse' }, /^email : /],
      [{ liked: [] }, /^liked : choisissez/],
      [{ liked: ['tt9999999'] }, /^liked\[0\] : ce film n’est pas dans le catalogue/],
      [{ liked: [FILMS.godfather.tconst, 'Le Parrain'] }, /^liked\[1\] : /],
      [{ disliked: [FILMS.godfather.tconst] }, /^disliked\[0\] : ce film est aussi parmi les films aimés/],
      [{ consent: { wordingVersion: 'v0', accepted: true } }, /^consent\.wordingVersion : /],
      [{ consent: { wordingVersion: CONSENT_WORDING_VERSION, accepted: false } }, /^consent\.accepted : /],
      [{ preferences: { alerts: false, digest: false } }, /^preferences : /],
      [{ extra: 1 }, /^extra : valeur refusée/],
    ];
    for (const [change, message] of cases) {
      const res = await inject('POST', '/v1/subscriptions', subscribeRequest('refus@example.org', change));
      expect({ change, status: res.statusCode }).toEqual({ change, status: 400 });
      expect(res.json().message).toMatch(message);
      // The customer's films are personal data: an error names a position, never the film.
      expect(res.json().message).not.toMatch(/tt\d|Parrain/);
    }
    expect(await s.t.handle.db.selectFrom('subscriber').select('id').where('email_hash', '=', emailHash('refus@example.org')).execute()).toEqual([]);
  });

  it('sends nothing but the confirmation before confirmation; confirms by POST only, once, within 7 days', async () => {
    const email = 'double-opt-in@example.org';
    await subscribe(email);
    const row = await s.t.handle.db.selectFrom('subscriber').select(['id', 'status']).where('email_hash', '=', emailHash(email)).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(await s.notifier.services.subscriptions.sendableAddress(row.id)).toBeNull();

    const token = tokenOf(/https:\/\/\S+confirmer#\S+/.exec(mailsTo(email)[0]!.parsed.text!)![0]);
    // A mail scanner following links (GET) confirms nothing.
    expect((await inject('GET', `/v1/subscriptions/confirm`)).statusCode).toBe(404);
    expect((await s.t.handle.db.selectFrom('subscriber').select('status').where('id', '=', row.id).executeTakeFirstOrThrow()).status).toBe('pending');

    const confirmed = await inject('POST', '/v1/subscriptions/confirm', { token });
    expect(confirmed.statusCode).toBe(200);
    const body = confirmed.json() as ConfirmResponse;
    expect(body.subscription).toMatchObject({ email, status: 'active', channel: 'email', confirmedAt: s.clock.now.toISOString() });
    expect(body.subscription.liked.map((f) => f.title)).toEqual(['The Godfather', 'Le Fabuleux Destin d’Amélie Poulain']);
    expect(body.manageToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await s.notifier.services.subscriptions.sendableAddress(row.id)).toBe(email);

    const twice = await inject('POST', '/v1/subscriptions/confirm', { token });
    expect(twice.statusCode).toBe(410);
    expect(twice.json().message).toMatch(/n’est plus valable/);
    expect((await inject('POST', '/v1/subscriptions/confirm', { token: 'x'.repeat(43) })).statusCode).toBe(410);

    // A link older than 7 days no longer confirms.
    const late = 'tardif@example.org';
    await subscribe(late);
    const lateToken = tokenOf(/https:\/\/\S+confirmer#\S+/.exec(mailsTo(late)[0]!.parsed.text!)![0]);
    s.clock.now = new Date(s.clock.now.getTime() + 7 * 24 * 3600_000 + 1000);
    expect((await inject('POST', '/v1/subscriptions/confirm', { token: lateToken })).statusCode).toBe(410);
  });

  it('manages with the manage token: read, change (pause: nothing sendable), export everything kept, erase leaving only the hash', async () => {
    const email = 'Gestion@Example.org';
    const { id, manage } = await subscribed(email);
    expect((await inject('GET', '/v1/subscriptions/me')).statusCode).toBe(401);
    expect((await inject('GET', '/v1/subscriptions/me', undefined, 'y'.repeat(43))).statusCode).toBe(401);

    const view = (await inject('GET', '/v1/subscriptions/me', undefined, manage)).json() as SubscriptionView;
    expect(view).toMatchObject({ email, status: 'active', preferences: { alerts: true, digest: true, versions: ['VOST'] } });
    expect(view.disliked).toEqual([{ tconst: FILMS.pulpFiction.tconst, title: 'Pulp Fiction', year: 1994 }]);

    s.clock.now = new Date(s.clock.now.getTime() + 3600_000);
    const changed = await inject('PUT', '/v1/subscriptions/me', { liked: [FILMS.pulpFiction.tconst], disliked: [], preferences: { alerts: false, digest: true, paused: true } }, manage);
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ status: 'paused', liked: [{ tconst: FILMS.pulpFiction.tconst }], disliked: [], preferences: { alerts: false, digest: true, paused: true } });
    expect(await s.notifier.services.subscriptions.sendableAddress(id)).toBeNull();
    expect((await inject('PUT', '/v1/subscriptions/me', { liked: ['tt0000000'] }, manage)).json().message).toMatch(/^liked\[0\] : /);

    const exported = await inject('GET', '/v1/subscriptions/me/export', undefined, manage);
    expect(exported.statusCode).toBe(200);
    const data = exported.json() as SubscriptionExport;
    const sha = createHash('sha256').update(CONSENT_WORDING[CONSENT_WORDING_VERSION]!).digest('hex');
    expect(data.subscription).toMatchObject({ email, status: 'paused', lastActivityAt: s.clock.now.toISOString() });
    expect(data.consent).toEqual([
      { at: expect.any(String), wordingVersion: CONSENT_WORDING_VERSION, wordingSha256: sha, source: 'page', action: 'given', purpose: 'emails' },
      { at: expect.any(String), wordingVersion: CONSENT_WORDING_VERSION, wordingSha256: sha, source: 'email-link', action: 'given', purpose: 'emails' },
    ]);
    expect(data.notifications).toEqual([{ kind: 'confirmation', tconst: null, week: null, sentAt: expect.any(String), status: 'sent' }]);
    // Everything the tables hold about the subscriber is in the export.
    const counts = await Promise.all(
      (['consent_record', 'notification'] as const).map(async (table) => (await s.t.handle.db.selectFrom(table).select('subscriber_id').where('subscriber_id', '=', id).execute()).length),
    );
    expect(counts).toEqual([data.consent.length, data.notifications.length]);

    expect((await inject('DELETE', '/v1/subscriptions/me', undefined, manage)).statusCode).toBe(204);
    expect((await inject('GET', '/v1/subscriptions/me', undefined, manage)).statusCode).toBe(401);
    for (const table of ['consent_record', 'subscriber_token', 'notification'] as const) {
      expect(await s.t.handle.db.selectFrom(table).select('subscriber_id').where('subscriber_id', '=', id).execute()).toEqual([]);
    }
    expect(await s.t.handle.db.selectFrom('subscriber').select('id').where('id', '=', id).execute()).toEqual([]);
    const left = await s.t.handle.db.selectFrom('suppression').selectAll().where('email_hash', '=', emailHash(email)).execute();
    expect(left.map((r) => r.reason)).toEqual(['erased']);
    expect(Buffer.from(left[0]!.email_hash).equals(emailHash('gestion@example.org'))).toBe(true);
  });

  it('unsubscribes in one click (a form POST), idempotently; a new confirmation lifts it', async () => {
    const email = 'depart@example.org';
    const { id } = await subscribed(email);
    const links = await s.notifier.services.links.issueLinks(id);
    expect(links.unsubscribeUrl).toMatch(/^https:\/\/cinema\.example\/u\/[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(links.unsubscribeUrl);
    const post = () =>
      s.notifier.app.inject({ method: 'POST', url: `/v1/unsubscribe/${token}`, payload: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const first = await post();
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ status: 'unsubscribed' });
    expect(await s.t.handle.db.selectFrom('subscriber').select('id').where('id', '=', id).execute()).toEqual([]);
    expect((await s.t.handle.db.selectFrom('suppression').select('reason').where('email_hash', '=', emailHash(email)).executeTakeFirstOrThrow()).reason).toBe('unsubscribed');
    const second = await post();
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    // JSON works too (the gateway's page button).
    expect((await inject('POST', `/v1/unsubscribe/${token}`, {})).statusCode).toBe(200);

    const back = await subscribed(email);
    expect(await s.t.handle.db.selectFrom('suppression').select('reason').where('email_hash', '=', emailHash(email)).execute()).toEqual([]);
    expect(await s.notifier.services.subscriptions.sendableAddress(back.id)).toBe(email);
  });

  it('stores no raw token in any column, and logs no address and no token', async () => {
    const email = 'secret@example.org';
    const { id, manage } = await subscribed(email);
    const links = await s.notifier.services.links.issueLinks(id);
    const confirm = tokenOf(/https:\/\/\S+confirmer#\S+/.exec(mailsTo(email)[0]!.parsed.text!)![0]);
    await s.notifier.app.inject({ method: 'POST', url: `/v1/unsubscribe/${'z'.repeat(43)}` });
    const tokens = [confirm, manage, tokenOf(links.manageUrl), tokenOf(links.unsubscribeUrl)];

    const columns = await sql<{ table_name: string; column_name: string; data_type: string }>`
      SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name IN ('subscriber', 'consent_record', 'subscriber_token', 'notification', 'suppression')
        AND data_type IN ('text', 'bytea', 'ARRAY', 'jsonb')`.execute(s.t.handle.db);
    expect(columns.rows.length).toBeGreaterThanOrEqual(15);
    for (const { table_name, column_name, data_type } of columns.rows) {
      const text = data_type === 'bytea' ? sql`encode(${sql.ref(column_name)}, 'escape') || encode(${sql.ref(column_name)}, 'hex') || encode(${sql.ref(column_name)}, 'base64')` : sql`${sql.ref(column_name)}::text`;
      const { rows } = await sql<{ v: string | null }>`SELECT ${text} AS v FROM ${sql.table(table_name)}`.execute(s.t.handle.db);
      const all = rows.map((r) => r.v ?? '').join('\n');
      for (const token of tokens) {
        expect({ column: `${table_name}.${column_name}`, found: all.includes(token) || all.includes(Buffer.from(token, 'base64url').toString('hex')) }).toEqual({
          column: `${table_name}.${column_name}`,
          found: false,
        });
      }
    }
    const log = s.lines.join('\n');
    expect(log).toMatch(/request completed/);
    for (const secret of [...tokens, email, 'nouvelle@example.org', 'Gestion@Example.org']) expect(log.includes(secret)).toBe(false);
  });

  it('counts subscribers and emails for the owner, with no address', async () => {
    const res = await inject('GET', '/v1/admin/stats');
    expect(res.statusCode).toBe(200);
    const stats = res.json();
    const count = async (where: (q: any) => any) => Number((await where(s.t.handle.db.selectFrom('subscriber').select((eb) => eb.fn.countAll().as('n'))).executeTakeFirstOrThrow()).n);
    expect(stats).toEqual({
      subscribers: await count((q) => q),
      confirmed: await count((q) => q.where('status', '=', 'active')),
      paused: 0,
      pending: await count((q) => q.where('status', '=', 'pending')),
      alertsSent: 0,
      digestsSent: 0,
      cancellationsSent: 0,
      bounced: 1,
      // Running totals over the tests above, whoever has since gone or come back: every email sent
      // so far was a confirmation; Gestion@ erased itself, depart@ unsubscribed then confirmed again;
      // the bounced address was nobody's.
      confirmationsSent: s.smtp.received.length,
      unsubscribed: 1,
      departures: { total: 2, unsubscribe: 1, erase: 1, expired: 0, inactive: 0, bounced: 0 },
    });
    expect(stats.confirmed).toBeGreaterThan(0);
    expect(JSON.stringify(stats)).not.toMatch(/@/);
  });

  it('answers its health and metrics', async () => {
    expect((await inject('GET', '/health/live')).statusCode).toBe(200);
    const ready = await inject('GET', '/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toMatchObject({ db: { ok: true }, queue: { ok: true } });
    expect((await inject('GET', '/metrics')).body).toMatch(/http_request_duration_seconds/);
  });
});
