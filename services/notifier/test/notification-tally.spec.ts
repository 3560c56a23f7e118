import { createLogger, type NotificationStats } from '@cine/common';
import { createEmbeddedTestDatabase, createTestDatabase, readOnlySession, type TestDatabase } from '@cine/db/testing';
import postgres from 'postgres';
import { NotificationLedgerRepository } from '../src/notification/notification-ledger.repository';
import { StatsRepository } from '../src/notification/stats.repository';
import { RetentionRepository } from '../src/retention/retention.repository';
import { RetentionService } from '../src/retention/retention.service';
import { LinkService } from '../src/subscription/links.service';
import { consentSha256, emailHash, tokenHash } from '../src/subscription/secrets';
import { type ConsentProof, SubscriptionRepository } from '../src/subscription/subscription.repository';

const silent = createLogger('notifier-test', { level: 'silent' });
const DAY = 24 * 3600_000;
const PAGE: ConsentProof = { version: '2026-12-v1', sha256: consentSha256('2026-12-v1')!, source: 'page' };
const LINK: ConsentProof = { ...PAGE, source: 'email-link' };

/** What changed in the owner's figures between two readings (only what did). */
function change(before: NotificationStats, after: NotificationStats): Record<string, number> {
  const flat = (s: NotificationStats) => {
    const { departures, ...rest } = s;
    return { ...rest, ...Object.fromEntries(Object.entries(departures).map(([way, n]) => [`departures.${way}`, n])) } as Record<string, number>;
  };
  const [a, b] = [flat(before), flat(after)];
  return Object.fromEntries(Object.keys(b).flatMap((k) => (b[k] === a[k] ? [] : [[k, b[k]! - a[k]!]])));
}

/**
 * The owner's running totals (`notification_tally`, read through `notification_stats`): an email
 * counts once when it is marked sent, a departure once by its way, in the same transaction as the
 * event, and neither goes down when whom it counted is erased. On both backends the notifier runs on.
 */
describe.each([
  ['postgres', () => createTestDatabase()],
  ['pglite', () => createEmbeddedTestDatabase()],
])('the notification tally on %s', (_backend, create) => {
  let t: TestDatabase;
  let subscriptions: SubscriptionRepository;
  let ledger: NotificationLedgerRepository;
  let stats: StatsRepository;
  beforeAll(async () => {
    t = await create();
    subscriptions = new SubscriptionRepository(t.handle);
    ledger = new NotificationLedgerRepository(t.handle);
    stats = new StatsRepository(t.handle);
  });
  afterAll(async () => {
    await t?.drop();
  });

  /** A subscriber as the routes make one: requested at `at`, confirmed then unless `pending`. */
  async function subscriber(email: string, at: Date, state: 'active' | 'pending' = 'active'): Promise<string> {
    const { subscriberId } = await subscriptions.request(
      { email, emailHash: emailHash(email), liked: ['tt0068646'], disliked: [], preferences: { alerts: true, digest: true }, consent: PAGE },
      { now: at, maxPerDay: 3, confirmationKey: (id) => `confirmation:${id}:1` },
    );
    if (state === 'active') {
      const confirm = tokenHash(`confirm-${email}`);
      await subscriptions.insertToken(subscriberId, confirm, 'confirm', at, new Date(at.getTime() + 7 * DAY));
      await subscriptions.confirm(confirm, LINK, at);
    }
    return subscriberId;
  }

  async function send(key: string, entry: Parameters<NotificationLedgerRepository['claim']>[1], at = new Date()): Promise<void> {
    expect(await ledger.claim(key, entry, at)).toBe(true);
    await ledger.markSent(key, at);
  }

  it('erasing a subscriber who had emails sent leaves the sent totals as they were and counts one departure, as erase', async () => {
    const start = await stats.read();
    const id = await subscriber('efface@example.org', new Date());
    await send(`confirmation:${id}:1`, { subscriberId: id, kind: 'confirmation' });
    await send(`alert:${id}:tt0068646`, { subscriberId: id, kind: 'alert', tconst: 'tt0068646' });
    const digest = `digest:${id}:2026-12-09`;
    await send(digest, { subscriberId: id, kind: 'digest', week: '2026-12-09' });
    // Marked sent again (a retried job, concurrent or not): counted once.
    await Promise.all([1, 2, 3].map(() => ledger.markSent(digest)));
    const sent = await stats.read();
    expect(change(start, sent)).toEqual({ subscribers: 1, confirmed: 1, confirmationsSent: 1, alertsSent: 1, digestsSent: 1 });

    expect(await subscriptions.erase(id, 'erased', new Date())).toBe(true);
    expect(await t.handle.db.selectFrom('notification').select('key').where('subscriber_id', '=', id).execute()).toEqual([]);
    expect(await subscriptions.erase(id, 'erased', new Date())).toBe(false);
    expect(change(sent, await stats.read())).toEqual({ subscribers: -1, confirmed: -1, 'departures.total': 1, 'departures.erase': 1 });
  });

  it('a one-click unsubscribe counts once, as unsubscribe; a second click finds no one', async () => {
    const start = await stats.read();
    const id = await subscriber('depart@example.org', new Date());
    const token = await new LinkService(subscriptions, 'https://cinema.example').issue(id, 'unsubscribe');
    expect(await subscriptions.unsubscribe(tokenHash(token), LINK, new Date())).toBe('done');
    expect(await subscriptions.unsubscribe(tokenHash(token), LINK, new Date())).toBe('unknown');
    expect(change(start, await stats.read())).toEqual({ unsubscribed: 1, 'departures.total': 1, 'departures.unsubscribe': 1 });
  });

  it('a first bounce of a subscriber’s address is their departure, once; a bounce of an address nobody has is none', async () => {
    const start = await stats.read();
    await subscriber('refuse@example.org', new Date());
    await Promise.all([1, 2, 3, 4].map(() => subscriptions.suppress(emailHash('refuse@example.org'), 'bounced')));
    await subscriptions.suppress(emailHash('personne@example.org'), 'bounced');
    expect(change(start, await stats.read())).toEqual({ subscribers: 1, confirmed: 1, bounced: 2, 'departures.total': 1, 'departures.bounced': 1 });
  });

  it('the retention job counts its expiries and 3-year erasures, those who left by a bounce aside', async () => {
    const now = new Date('2030-06-01T03:30:00Z');
    const start = await stats.read();
    await subscriber('jamais@example.org', new Date(now.getTime() - 8 * DAY), 'pending');
    await subscriber('jamais-refuse@example.org', new Date(now.getTime() - 8 * DAY), 'pending');
    await subscriber('dormant@example.org', new Date('2027-05-01T00:00:00Z'));
    await subscriber('dormant-refuse@example.org', new Date('2027-05-01T00:00:00Z'));
    await subscriptions.suppress(emailHash('jamais-refuse@example.org'), 'bounced', new Date('2027-05-02T00:00:00Z'));
    await subscriptions.suppress(emailHash('dormant-refuse@example.org'), 'bounced', new Date('2027-05-02T00:00:00Z'));
    const bounced = await stats.read();
    expect(change(start, bounced)).toMatchObject({ 'departures.total': 2, 'departures.bounced': 2 });

    const counts = await new RetentionService(new RetentionRepository(t.handle), silent).run(now);
    // The earlier tests' subscriber whose address bounced is dormant by then too: erased, not counted again.
    expect(counts).toMatchObject({ pendingDeleted: 2, inactiveErased: 3 });
    expect(change(bounced, await stats.read())).toEqual({
      subscribers: -5,
      confirmed: -3,
      pending: -2,
      'departures.total': 2,
      'departures.expired': 1,
      'departures.inactive': 1,
    });
    // Nothing left to delete: a second run counts nothing.
    const again = await stats.read();
    await new RetentionService(new RetentionRepository(t.handle), silent).run(now);
    expect(change(again, await stats.read())).toEqual({});
  });

  it('counts an event on its UTC day, never whom it counted', async () => {
    const id = await subscriber('jour@example.org', new Date('2027-01-05T20:00:00Z'));
    // 00:30 on the 6th in Paris, the 5th in UTC.
    await send(`alert:${id}:tt0110357`, { subscriberId: id, kind: 'alert', tconst: 'tt0110357' }, new Date('2027-01-05T23:30:00Z'));
    await subscriptions.erase(id, 'erased', new Date('2027-01-06T00:10:00Z'));
    const rows = await t.handle.db.selectFrom('notification_tally').selectAll().where('day', 'in', ['2027-01-05', '2027-01-06']).orderBy('day').orderBy('kind').execute();
    expect(rows).toEqual([
      { day: '2027-01-05', kind: 'alert', outcome: 'sent', n: 1 },
      { day: '2027-01-06', kind: 'departure', outcome: 'erase', n: 1 },
    ]);
    expect(JSON.stringify(await t.handle.db.selectFrom('notification_tally').selectAll().execute())).not.toMatch(new RegExp(`${id}|@`));
  });
});

describe('the notification figures as Grafana’s read-only role reads them', () => {
  let t: TestDatabase;
  let reader: postgres.Sql;
  beforeAll(async () => {
    t = await createTestDatabase();
    reader = await readOnlySession(t.url!);
  });
  afterAll(async () => {
    await reader?.end();
    await t?.drop();
  });

  it('reads the counts view and the tally: whole numbers, days and the names of kinds and ways, no personal column', async () => {
    const subscriptions = new SubscriptionRepository(t.handle);
    const { subscriberId } = await subscriptions.request(
      { email: 'vue@example.org', emailHash: emailHash('vue@example.org'), liked: ['tt0068646'], disliked: [], preferences: { alerts: true, digest: true }, consent: PAGE },
      { now: new Date(), maxPerDay: 3, confirmationKey: (id) => `confirmation:${id}:1` },
    );
    await subscriptions.erase(subscriberId, 'erased', new Date());

    const stats = await reader`SELECT * FROM notification_stats`;
    expect(stats.columns.every((c) => c.type === 23)).toBe(true); // int4: counts only
    expect(stats[0]).toMatchObject({ subscribers: 0, departures: 1, departures_erase: 1 });
    const tally = await reader`SELECT * FROM notification_tally`;
    expect(tally.columns.map((c) => c.name)).toEqual(['day', 'kind', 'outcome', 'n']);
    expect(tally.map((r) => [r.kind, r.outcome, r.n])).toEqual([['departure', 'erase', 1]]);
    for (const table of ['subscriber', 'consent_record', 'subscriber_token', 'notification', 'suppression']) {
      await expect(reader.unsafe(`SELECT count(*) FROM ${table}`)).rejects.toThrow(/permission denied/);
    }
  });
});
