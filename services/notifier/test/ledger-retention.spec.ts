import { createLogger, JobName } from '@cine/common';
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { NotificationLedgerRepository } from '../src/notification/notification-ledger.repository';
import { RetentionRepository } from '../src/retention/retention.repository';
import { RetentionService } from '../src/retention/retention.service';
import { LinkService } from '../src/subscription/links.service';
import { consentSha256, emailHash } from '../src/subscription/secrets';
import { SubscriptionRepository } from '../src/subscription/subscription.repository';
import { createNotifyHandlers, PROGRAMME_HANDLERS_MISSING } from '../src/jobs/notify.handlers';
import type { SendConfirmationJob } from '../src/jobs/send-confirmation.job';

const silent = createLogger('notifier-test', { level: 'silent' });
const DAY = 24 * 3600_000;

async function addSubscriber(repo: SubscriptionRepository, email: string, now: Date, active: boolean): Promise<string> {
  const outcome = await repo.request(
    { email, emailHash: emailHash(email), liked: ['tt0068646'], disliked: [], preferences: { alerts: true, digest: true }, consent: { version: '2026-12-v1', sha256: consentSha256('2026-12-v1')!, source: 'page' } },
    { now, maxPerDay: 3, confirmationKey: (id) => `confirmation:${id}:1` },
  );
  if (active) {
    await repo.insertToken(outcome.subscriberId, emailHash(`confirm-${email}`), 'confirm', now, new Date(now.getTime() + 7 * DAY));
    await repo.confirm(emailHash(`confirm-${email}`), { version: '2026-12-v1', sha256: consentSha256('2026-12-v1')!, source: 'email-link' }, now);
  }
  return outcome.subscriberId;
}

/** The send ledger's exactly-once, on both backends the notifier runs on. */
describe.each([
  ['postgres', () => createTestDatabase()],
  ['pglite', () => createEmbeddedTestDatabase()],
])('the send ledger on %s', (_backend, create) => {
  let t: TestDatabase;
  let ledger: NotificationLedgerRepository;
  let subscriberId: string;
  beforeAll(async () => {
    t = await create();
    ledger = new NotificationLedgerRepository(t.handle);
    subscriberId = await addSubscriber(new SubscriptionRepository(t.handle), 'ledger@example.org', new Date(), true);
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('lets exactly one of many concurrent claims of a key win, and none once it is sent', async () => {
    const key = `alert:${subscriberId}:tt0068646`;
    const entry = { subscriberId, kind: 'alert' as const, tconst: 'tt0068646' };
    const wins = await Promise.all(Array.from({ length: 20 }, () => ledger.claim(key, entry)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await ledger.claim(key, entry)).toBe(false);
    await ledger.markSent(key);
    expect(await ledger.claim(key, entry, new Date(Date.now() + DAY))).toBe(false);
    expect(await ledger.status(key)).toEqual({ status: 'sent', attempts: 1 });
    expect(await t.handle.db.selectFrom('notification').select('key').where('key', '=', key).execute()).toHaveLength(1);
  });

  it('gives a released key to the retry at once, and a killed sender’s key to another once its lease is old', async () => {
    const entry = { subscriberId, kind: 'digest' as const, week: '2026-12-09' };
    const released = `digest:${subscriberId}:2026-12-09`;
    expect(await ledger.claim(released, entry)).toBe(true);
    await ledger.release(released);
    expect(await ledger.claim(released, entry)).toBe(true);
    expect(await ledger.status(released)).toEqual({ status: 'pending', attempts: 2 });

    const killed = `digest:${subscriberId}:2026-12-16`;
    const start = new Date();
    expect(await ledger.claim(killed, { ...entry, week: '2026-12-16' }, start)).toBe(true);
    expect(await ledger.claim(killed, { ...entry, week: '2026-12-16' }, new Date(start.getTime() + 60_000))).toBe(false);
    const late = new Date(start.getTime() + 11 * 60_000);
    const takeovers = await Promise.all(Array.from({ length: 5 }, () => ledger.claim(killed, { ...entry, week: '2026-12-16' }, late)));
    expect(takeovers.filter(Boolean)).toHaveLength(1);

    const refused = `cancellation:${subscriberId}:42`;
    expect(await ledger.claim(refused, { subscriberId, kind: 'cancellation', screeningIds: ['42'] })).toBe(true);
    await ledger.markFailed(refused);
    expect(await ledger.claim(refused, { subscriberId, kind: 'cancellation' }, new Date(Date.now() + DAY))).toBe(false);
  });

  it('reserves without claiming: the reservation is claimed once', async () => {
    const key = `confirmation:${subscriberId}:reserved`;
    expect(await ledger.reserve(key, { subscriberId, kind: 'confirmation' })).toBe(true);
    expect(await ledger.reserve(key, { subscriberId, kind: 'confirmation' })).toBe(false);
    expect(await ledger.pendingKeys(subscriberId, 'confirmation')).toContain(key);
    const claims = await Promise.all([1, 2, 3].map(() => ledger.claim(key, { subscriberId, kind: 'confirmation' })));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});

describe('retention (the notifier-retention job, with an injected clock)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('deletes pending addresses after 7 days, erases subscribers inactive for 3 years (hash kept), purges expired tokens; ledger rows go with them', async () => {
    const repo = new SubscriptionRepository(t.handle);
    const now = new Date('2030-06-01T03:30:00Z');
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const stalePending = await addSubscriber(repo, 'stale-pending@example.org', ago(8 * DAY), false);
    const freshPending = await addSubscriber(repo, 'fresh-pending@example.org', ago(6 * DAY), false);
    const dormant = await addSubscriber(repo, 'dormant@example.org', new Date('2027-05-01T00:00:00Z'), true);
    const reader = await addSubscriber(repo, 'reader@example.org', new Date('2027-05-01T00:00:00Z'), true);
    await repo.touch(reader, ago(2 * 365 * DAY));
    await new NotificationLedgerRepository(t.handle).claim(`digest:${dormant}:2027-05-05`, { subscriberId: dormant, kind: 'digest', week: '2027-05-05' }, new Date('2027-05-05T10:00:00Z'));
    const links = new LinkService(repo, 'https://cinema.example', () => ago(91 * DAY));
    await links.issueLinks(reader); // manage expired (90 days), unsubscribe still live (400 days)

    const retention = new RetentionService(new RetentionRepository(t.handle), silent);
    const handlers = createNotifyHandlers({ confirmation: {} as SendConfirmationJob, retention, clock: () => new Date() }, PROGRAMME_HANDLERS_MISSING);
    const counts = await handlers[JobName.NotifierRetention]({ now: now.toISOString() }, { jobId: null, earlierFailures: [], onProgress: () => {} });
    // The reader's used confirm token and expired manage token; the dormant one's went with it.
    expect(counts).toEqual({ pendingDeleted: 1, inactiveErased: 1, tokensPurged: 2 });

    const left = await t.handle.db.selectFrom('subscriber').select('id').orderBy('email').execute();
    expect(left.map((r) => r.id).sort()).toEqual([freshPending, reader].sort());
    expect(await t.handle.db.selectFrom('notification').select('key').where('subscriber_id', 'in', [stalePending, dormant]).execute()).toEqual([]);
    const hashes = await t.handle.db.selectFrom('suppression').select(['email_hash', 'reason']).execute();
    // The dormant subscriber's hash is kept; the unconfirmed address never consented: nothing of it stays.
    expect(hashes.map((h) => [Buffer.from(h.email_hash).toString('hex'), h.reason])).toEqual([[emailHash('dormant@example.org').toString('hex'), 'erased']]);
    const tokens = await t.handle.db.selectFrom('subscriber_token').select(['scope', 'subscriber_id']).execute();
    expect(tokens).toEqual([{ scope: 'unsubscribe', subscriber_id: reader }]);
  });
});
