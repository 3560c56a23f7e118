import {
  CONSENT_WORDING,
  CONSENT_WORDING_VERSION,
  type ConfirmResponse,
  LEARNING_CONSENT_WORDING,
  LEARNING_CONSENT_WORDING_VERSION,
  type SubscribeRequest,
  type SubscriptionExport,
  type SubscriptionView,
} from '@cine/common';
import { createHash } from 'node:crypto';
import { emailHash } from '../src/subscription/secrets';
import { notifierSuite, subscribeRequest, tokenOf } from './notifier-harness';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const EMAILS_SHA = sha(CONSENT_WORDING[CONSENT_WORDING_VERSION]!);
const LEARNING_SHA = sha(LEARNING_CONSENT_WORDING[LEARNING_CONSENT_WORDING_VERSION]!);

/**
 * The second, optional consent (the liked films teach the suggestions made to others): recorded
 * apart from the emails' consent, only when its box is ticked, given and withdrawn from the manage
 * page, shown in the export with its purpose, gone with the subscriber.
 */
describe('learning consent', () => {
  const s = notifierSuite();
  const inject = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, token?: string) =>
    s.notifier.app.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }), headers: token ? { authorization: `Bearer ${token}` } : {} });
  const mailsTo = (address: string) => s.smtp.received.filter((m) => m.recipients.some((r) => r.toLowerCase() === address.toLowerCase()));
  const idOf = async (email: string) => (await s.t.handle.db.selectFrom('subscriber').select('id').where('email_hash', '=', emailHash(email)).executeTakeFirstOrThrow()).id;
  const records = async (id: string) =>
    s.t.handle.db.selectFrom('consent_record').select(['purpose', 'action', 'wording_version', 'wording_sha256', 'source']).where('subscriber_id', '=', id).orderBy('id').execute();
  const subscribe = async (email: string, change: Partial<SubscribeRequest> = {}) => {
    const res = await inject('POST', '/v1/subscriptions', subscribeRequest(email, change));
    expect(res.statusCode).toBe(202);
    await s.idle();
  };
  const confirm = async (email: string): Promise<ConfirmResponse> => {
    const link = /https:\/\/cinema\.example\/abonnement\/confirmer#[A-Za-z0-9_-]{43}/.exec(mailsTo(email).at(-1)!.parsed.text ?? '')![0];
    const res = await inject('POST', '/v1/subscriptions/confirm', { token: tokenOf(link) });
    expect(res.statusCode).toBe(200);
    return res.json() as ConfirmResponse;
  };
  const ticked = (learning: boolean | undefined): Partial<SubscribeRequest> => ({
    consent: { wordingVersion: CONSENT_WORDING_VERSION, accepted: true, ...(learning === undefined ? {} : { learning }) },
  });

  it('records a learning consent only when its box is ticked, with its own version and SHA-256; the confirmation keeps it', async () => {
    await subscribe('apprendre@example.org', { ...ticked(true), source: 'widget' });
    await subscribe('sans-case@example.org', ticked(undefined));
    await subscribe('case-vide@example.org', ticked(false));
    const learner = await idOf('apprendre@example.org');
    expect(await records(learner)).toEqual([
      { purpose: 'emails', action: 'given', wording_version: CONSENT_WORDING_VERSION, wording_sha256: EMAILS_SHA, source: 'widget' },
      { purpose: 'learning', action: 'given', wording_version: LEARNING_CONSENT_WORDING_VERSION, wording_sha256: LEARNING_SHA, source: 'widget' },
    ]);
    for (const email of ['sans-case@example.org', 'case-vide@example.org']) {
      expect((await records(await idOf(email))).map((r) => r.purpose)).toEqual(['emails']);
    }

    const confirmed = await confirm('apprendre@example.org');
    expect(confirmed.subscription.learning).toBe(true);
    // The confirmation adds the emails' proof and leaves the learning consent in force.
    expect((await records(learner)).map((r) => [r.purpose, r.action, r.source])).toEqual([
      ['emails', 'given', 'widget'],
      ['learning', 'given', 'widget'],
      ['emails', 'given', 'email-link'],
    ]);
    expect((await confirm('sans-case@example.org')).subscription.learning).toBe(false);
  });

  it('a pending address asked again takes the new request’s choice: the box not ticked this time withdraws it', async () => {
    const email = 'hesitant@example.org';
    await subscribe(email, ticked(true));
    await subscribe(email, ticked(false));
    const id = await idOf(email);
    expect((await records(id)).filter((r) => r.purpose === 'learning').map((r) => r.action)).toEqual(['given', 'withdrawn']);
    expect((await confirm(email)).subscription.learning).toBe(false);
  });

  it('the manage page gives and withdraws it, one row per change and none for a save that keeps it; the export names each purpose', async () => {
    const email = 'gerer-apprendre@example.org';
    await subscribe(email);
    const { manageToken: manage } = await confirm(email);
    const id = await idOf(email);
    const put = async (body: object) => {
      const res = await inject('PUT', '/v1/subscriptions/me', body, manage);
      expect(res.statusCode).toBe(200);
      return res.json() as SubscriptionView;
    };

    expect(((await inject('GET', '/v1/subscriptions/me', undefined, manage)).json() as SubscriptionView).learning).toBe(false);
    expect((await put({ learning: true })).learning).toBe(true);
    expect((await put({ learning: true, preferences: { alerts: true, digest: false } })).learning).toBe(true);
    // A change that does not name it leaves it as it is.
    expect((await put({ preferences: { alerts: true, digest: true } })).learning).toBe(true);
    expect((await put({ learning: false })).learning).toBe(false);
    expect(((await inject('GET', '/v1/subscriptions/me', undefined, manage)).json() as SubscriptionView).learning).toBe(false);
    expect((await inject('PUT', '/v1/subscriptions/me', { learning: 'oui' }, manage)).statusCode).toBe(400);

    const learning = (await records(id)).filter((r) => r.purpose === 'learning');
    expect(learning).toEqual([
      { purpose: 'learning', action: 'given', wording_version: LEARNING_CONSENT_WORDING_VERSION, wording_sha256: LEARNING_SHA, source: 'email-link' },
      { purpose: 'learning', action: 'withdrawn', wording_version: LEARNING_CONSENT_WORDING_VERSION, wording_sha256: LEARNING_SHA, source: 'email-link' },
    ]);

    const data = (await inject('GET', '/v1/subscriptions/me/export', undefined, manage)).json() as SubscriptionExport;
    expect(data.subscription.learning).toBe(false);
    expect(data.consent.map((c) => [c.purpose, c.action, c.wordingVersion])).toEqual([
      ['emails', 'given', CONSENT_WORDING_VERSION],
      ['emails', 'given', CONSENT_WORDING_VERSION],
      ['learning', 'given', LEARNING_CONSENT_WORDING_VERSION],
      ['learning', 'withdrawn', LEARNING_CONSENT_WORDING_VERSION],
    ]);
  });

  it('goes with the subscriber on erasure and on the one-click unsubscribe', async () => {
    const erased = 'efface-apprendre@example.org';
    await subscribe(erased, ticked(true));
    const { manageToken } = await confirm(erased);
    const erasedId = await idOf(erased);
    expect((await inject('DELETE', '/v1/subscriptions/me', undefined, manageToken)).statusCode).toBe(204);
    expect(await records(erasedId)).toEqual([]);

    const gone = 'parti-apprendre@example.org';
    await subscribe(gone, ticked(true));
    await confirm(gone);
    const goneId = await idOf(gone);
    const links = await s.notifier.services.links.issueLinks(goneId);
    expect((await inject('POST', `/v1/unsubscribe/${tokenOf(links.unsubscribeUrl)}`, {})).statusCode).toBe(200);
    expect(await records(goneId)).toEqual([]);
  });

  it('the table refuses a purpose it does not know, and a row written without one is the emails’', async () => {
    await subscribe('table@example.org');
    const id = await idOf('table@example.org');
    const row = { subscriber_id: id, action: 'given' as const, wording_version: 'v', wording_sha256: EMAILS_SHA, source: 'page' as const };
    await expect(s.t.handle.db.insertInto('consent_record').values({ ...row, purpose: 'ads' as never }).execute()).rejects.toThrow(/check/i);
    const { purpose } = await s.t.handle.db.insertInto('consent_record').values(row).returning('purpose').executeTakeFirstOrThrow();
    expect(purpose).toBe('emails');
  });
});
