/**
 * The real recommender runs onnxruntime in this process: its environment shares the host's typed
 * arrays with the test realm (see the file).
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { type DigestPreview, type DigestRunAccepted, type InProcessNotifyQueue, JobName } from '@cine/common';
import { deadline } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { type RunningRecommender, startRecommender } from '@cine/recommender';
import { catchUpPeriod, EmailsLeftForRetry, type ProgrammeJobs } from '../../src/jobs/programme.jobs';
import { programmeJobs } from '../../src/jobs/programme.wiring';
import { HttpBatchScorer } from '../../src/matching/http-batch-scorer';
import type { BatchScorer } from '../../src/matching/matching.contract';
import { alertKey, digestKey } from '../../src/matching/matching.rules';
import { type RunningNotifier, startNotifier } from '../../src/server';
import { rawHeader } from '../mail/mail-fixtures';
import { captureLogger, type Received, type SmtpHarness, startSmtpServer } from '../mail/smtp-harness';
import { ProgrammeFixtures, SAMPLE } from './programme-fixtures';

/**
 * The programme's jobs against the real things: the notifier on a database of the samples with
 * embeddings (real migrations), the real recommender's batch endpoint, the real sender to a real
 * SMTP server. The programme and the subscribers are put in their tables as the gateway and the
 * double opt-in leave them.
 */

const WEEK = '2026-12-09';
const NEXT_WEEK = '2026-12-16';
/** Wednesday 9 December 2026, 09:00 in Paris. */
const NOW = new Date('2026-12-09T08:00:00Z');
const MAX_PER_WEEK = 5;

describeWithSamples('notifier: the programme jobs (alerts, digests, cancellations) against the real recommender and SMTP', () => {
  let t: TestDatabase;
  let recommender: RunningRecommender;
  let smtp: SmtpHarness;
  let notifier: RunningNotifier;
  let jobs: ProgrammeJobs;
  let lines: string[];
  let fx: ProgrammeFixtures;
  const clock = { now: NOW };
  /** By subscriber: runs once right after that subscriber's taste was scored, before anything of that page is sent. */
  const afterScoring = new Map<string, () => Promise<void>>();
  let batchCalls = 0;
  const screenings: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const emails: Record<string, string> = {};

  const received = (who: string): Received[] => smtp.received.filter((m) => m.recipients.includes(emails[who]!));
  const alertsTo = (who: string) => received(who).filter((m) => /^Un film pour vous/.test(m.parsed.subject ?? ''));
  const digestsTo = (who: string) => received(who).filter((m) => /^Vos films de la semaine/.test(m.parsed.subject ?? ''));
  const cancellationsTo = (who: string) => received(who).filter((m) => /^Séance annulée/.test(m.parsed.subject ?? ''));
  const ledger = (subscriberId: string) => t.handle.db.selectFrom('notification').selectAll().where('subscriber_id', '=', subscriberId).orderBy('key').execute();

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples-with-embeddings' });
    recommender = await startRecommender({ handle: t.handle, log: captureLogger().logger, pollIntervalMs: 0 });
    smtp = await startSmtpServer();
    const real = new HttpBatchScorer({ baseUrl: recommender.url, chunkSize: 2000 });
    const scorer: BatchScorer = {
      async score(tastes, candidates, options) {
        batchCalls++;
        const answer = await real.score(tastes, candidates, options);
        for (const taste of tastes) {
          const hook = afterScoring.get(taste.subscriberId);
          afterScoring.delete(taste.subscriberId);
          await hook?.();
        }
        return answer;
      },
    };
    const captured = captureLogger();
    lines = captured.lines;
    notifier = await startNotifier({
      handle: t.handle,
      log: captured.logger,
      clock: () => clock.now,
      config: {
        publicBaseUrl: 'https://cinema.example',
        redisUrl: undefined,
        jobs: { prefix: 'unused', attempts: 1, backoffMs: 10, lockDurationMs: 30_000, stalledIntervalMs: 30_000 },
        smtpUrl: smtp.url,
        outboxDir: '/nonexistent-outbox',
        mailFrom: '"Ciné Creuse" <programme@cinema.example>',
        cinemaName: 'Ciné Creuse',
        cinemaAddress: '1 place du Marché, 23000 Guéret',
        dkim: null,
        ratePerMinute: 60_000,
        schedules: { digestCron: '0 10 * * 3', retentionCron: '30 3 * * *', catchUpCron: '15 8-20 * * *', timezone: 'Europe/Paris' },
      },
      programme: (ctx) => {
        jobs = programmeJobs({ scorer, maxPerWeek: MAX_PER_WEEK, pageSize: 4 })(ctx);
        return jobs;
      },
    });

    fx = new ProgrammeFixtures(t.handle);
    const grande = await fx.room('Grande salle');
    const petite = await fx.room('Petite salle');
    await fx.week(WEEK);
    await fx.week(NEXT_WEEK, false);
    // Thursday 14:00 VOST with subtitles for the deaf, Friday 20:30 VF (Paris time).
    screenings.jediAfternoon = await fx.screening({ tconst: SAMPLE.jedi, startsAt: '2026-12-10T13:00:00Z', weekStart: WEEK, roomId: grande, version: 'VOST', sme: true });
    screenings.jediEvening = await fx.screening({ tconst: SAMPLE.jedi, startsAt: '2026-12-11T19:30:00Z', weekStart: WEEK, roomId: grande, version: 'VF' });
    // This morning at 8:00, over already: never announced.
    screenings.jediPast = await fx.screening({ tconst: SAMPLE.jedi, startsAt: '2026-12-09T07:00:00Z', weekStart: WEEK, roomId: petite, version: 'VO' });
    screenings.lionKing = await fx.screening({ tconst: SAMPLE.lionKing, startsAt: '2026-12-12T14:00:00Z', weekStart: WEEK, roomId: petite, version: 'VF' });
    screenings.amelie = await fx.screening({ tconst: SAMPLE.amelie, startsAt: '2026-12-13T19:00:00Z', weekStart: WEEK, roomId: petite, version: 'VOST' });
    screenings.godfather = await fx.screening({ tconst: SAMPLE.godfather, startsAt: '2026-12-14T19:30:00Z', weekStart: WEEK, roomId: grande, version: 'VF' });
    // A draft week: nobody hears of it.
    screenings.draft = await fx.screening({ tconst: SAMPLE.jedi, startsAt: '2026-12-17T19:30:00Z', weekStart: NEXT_WEEK, roomId: grande, version: 'VO' });

    const add = async (who: string, liked: string[], preferences: Parameters<ProgrammeFixtures['subscriber']>[2]) => {
      emails[who] = `${who}@example.org`;
      ids[who] = await fx.subscriber(emails[who]!, liked, preferences);
    };
    await add('fan', [SAMPLE.starWars], { alerts: true, digest: true });
    await add('vost', [SAMPLE.starWars], { alerts: true, digest: false, versions: ['VOST'], afternoonOnly: true, accessibility: { sme: true } });
    await add('vo', [SAMPLE.starWars], { alerts: true, digest: true, versions: ['VO'] });
    await add('full', [SAMPLE.starWars], { alerts: true, digest: true });
    await add('nearly', [SAMPLE.starWars], { alerts: true, digest: false });
    await add('keeps', [SAMPLE.starWars], { alerts: true, digest: true });
    await add('withdrawn', [SAMPLE.starWars], { alerts: true, digest: true });
    await add('pausing', [SAMPLE.starWars], { alerts: true, digest: true });
    await add('paused', [SAMPLE.starWars], { alerts: true, digest: true, paused: true });
    await add('digestOnly', [SAMPLE.pulpFiction], { alerts: false, digest: true });
    // Emails already sent this week (since Wednesday 00:00 Paris): the cap counts them.
    const sentThisWeek = async (who: string, n: number) => {
      for (let i = 0; i < n; i++) {
        await t.handle.db
          .insertInto('notification')
          .values({ key: `alert:${ids[who]}:tt99999${i}0`, subscriber_id: ids[who]!, kind: 'alert', tconst: `tt99999${i}0`, status: 'sent', created_at: NOW, sent_at: new Date('2026-12-08T23:30:00Z') })
          .execute();
      }
    };
    await sentThisWeek('full', MAX_PER_WEEK);
    await sentThisWeek('nearly', MAX_PER_WEEK - 1);
    await sentThisWeek('keeps', MAX_PER_WEEK - 2);
    // Last week's do not count.
    await t.handle.db
      .insertInto('notification')
      .values({ key: `alert:${ids.fan}:tt0000001`, subscriber_id: ids.fan!, kind: 'alert', tconst: 'tt0000001', status: 'sent', created_at: NOW, sent_at: new Date('2026-12-08T22:30:00Z') })
      .execute();
  }, deadline(180_000));

  afterAll(async () => {
    await notifier?.close();
    await recommender?.close();
    await smtp?.close();
    await t?.drop();
  });

  it('match-programme: alerts by the matching rules, preferences filtering the séances, the week capped, one batch call per page', async () => {
    // Between the matching and the sending: one unsubscribes (one-click), one pauses.
    afterScoring.set(ids.withdrawn!, async () => {
      const token = await notifier.services.links.issue(ids.withdrawn!, 'unsubscribe');
      const res = await notifier.app.inject({ method: 'POST', url: `/v1/unsubscribe/${token}` });
      expect(res.statusCode).toBe(200);
    });
    afterScoring.set(ids.pausing!, async () => {
      await notifier.services.subscriptions.update(ids.pausing!, { preferences: { alerts: true, digest: true, paused: true } }, clock.now);
    });
    batchCalls = 0;
    const counts = await jobs.matchProgramme({ reason: 'published', from: WEEK, to: NEXT_WEEK });
    // 8 subscribers want alerts (not the paused one), 4 a page: 2 batch calls.
    expect(batchCalls).toBe(2);
    expect(counts.films).toBe(4);

    // The fan hears of the Jedi (liked Star Wars), with both séances still to come; never the past one nor the draft week's.
    const fan = alertsTo('fan');
    expect(fan.length).toBeGreaterThanOrEqual(1);
    expect(fan.length).toBeLessThanOrEqual(3);
    const jedi = fan.find((m) => m.parsed.text!.includes(`/screenings/${screenings.jediEvening}.ics`));
    expect(jedi).toBeDefined();
    const fanJedi = (await ledger(ids.fan!)).find((r) => r.key === alertKey(ids.fan!, SAMPLE.jedi))!;
    expect(fanJedi).toMatchObject({ status: 'sent', kind: 'alert', tconst: SAMPLE.jedi });
    expect([...fanJedi.screening_ids].sort()).toEqual([screenings.jediAfternoon, screenings.jediEvening].sort());
    expect(jedi!.parsed.text).toContain('https://cinema.example/api/v1/screenings/' + screenings.jediAfternoon + '.ics');
    expect(jedi!.parsed.text).not.toContain(`/screenings/${screenings.jediPast}.ics`);
    expect(jedi!.parsed.text).not.toContain(`/screenings/${screenings.draft}.ics`);
    // Links of its own: manage and one-click unsubscribe.
    expect(rawHeader(jedi!.raw, 'List-Unsubscribe')).toMatch(/^<https:\/\/cinema\.example\/u\/[A-Za-z0-9_-]{43}>$/);
    expect(rawHeader(jedi!.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(jedi!.parsed.text).toMatch(/https:\/\/cinema\.example\/abonnement#[A-Za-z0-9_-]{43}/);
    // The poster through the gateway.
    expect(jedi!.parsed.html || '').toContain(`https://cinema.example/posters/w185/${SAMPLE.jedi}.jpg`);

    // VOST, afternoons, subtitles for the deaf: only Thursday 14:00.
    const vost = (await ledger(ids.vost!)).find((r) => r.key === alertKey(ids.vost!, SAMPLE.jedi))!;
    expect(vost.status).toBe('sent');
    expect(vost.screening_ids).toEqual([screenings.jediAfternoon]);
    const vostMail = alertsTo('vost').find((m) => m.parsed.text!.includes(`/screenings/${screenings.jediAfternoon}.ics`))!;
    expect(vostMail.parsed.text).not.toContain(`/screenings/${screenings.jediEvening}.ics`);
    // VO only: no séance of the week fits (the VO one is over), so no alert at all.
    expect(alertsTo('vo')).toHaveLength(0);
    expect(await ledger(ids.vo!)).toEqual([]);

    // The cap: a full week gets nothing; one email left, one alert.
    expect(received('full')).toHaveLength(0);
    expect(alertsTo('nearly')).toHaveLength(1);
    expect((await ledger(ids.nearly!)).filter((r) => r.status === 'sent')).toHaveLength(MAX_PER_WEEK);
    // Two emails left, and a digest wanted: one alert, one kept for the digest.
    expect(alertsTo('keeps')).toHaveLength(1);

    // Consent withdrawn between matching and sending: nothing sent, nothing kept.
    expect(received('withdrawn')).toHaveLength(0);
    expect(await ledger(ids.withdrawn!)).toEqual([]);
    // Paused meanwhile: nothing sent, the keys settled as suppressed (a pause is not a delay).
    expect(received('pausing')).toHaveLength(0);
    const pausing = await ledger(ids.pausing!);
    expect(pausing.length).toBeGreaterThan(0);
    expect(pausing.every((r) => r.status === 'suppressed')).toBe(true);
    // Paused before: not even read.
    expect(await ledger(ids.paused!)).toEqual([]);
    expect(counts.withheld).toBeGreaterThanOrEqual(pausing.length);
    expect(counts.capped).toBeGreaterThanOrEqual(1);
  });

  it('a duplicated job sends nothing twice: run again, and twice at once', async () => {
    const before = smtp.received.length;
    const again = await jobs.matchProgramme({ reason: 'changed', from: WEEK, to: NEXT_WEEK });
    expect(again.sent).toBe(0);
    expect(smtp.received.length).toBe(before);

    // A new subscriber, and the same job twice at the same time (two workers, or the queue's retry racing).
    emails.late = 'late@example.org';
    ids.late = await fx.subscriber(emails.late, [SAMPLE.starWars], { alerts: true, digest: false });
    const runs = await Promise.allSettled([jobs.matchProgramme({ reason: 'changed', from: WEEK, to: NEXT_WEEK }), jobs.matchProgramme({ reason: 'changed', from: WEEK, to: NEXT_WEEK })]);
    // A run that met the other's live claim fails for its retry (EmailsLeftForRetry); none fails otherwise.
    for (const run of runs) if (run.status === 'rejected') expect(run.reason).toBeInstanceOf(EmailsLeftForRetry);
    // The retry finds every key sent.
    expect((await jobs.matchProgramme({ reason: 'changed', from: WEEK, to: NEXT_WEEK })).sent).toBe(0);
    const late = alertsTo('late');
    expect(late.length).toBeGreaterThanOrEqual(1);
    const subjects = late.map((m) => m.parsed.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
    const rows = (await ledger(ids.late!)).filter((r) => r.kind === 'alert');
    expect(rows.map((r) => r.status)).toEqual(rows.map(() => 'sent'));
    expect(rows).toHaveLength(late.length);
    // Every alert's Message-ID comes from its key: distinct per email.
    const ids_ = smtp.received.map((m) => m.parsed.messageId);
    expect(new Set(ids_).size).toBe(ids_.length);
  });

  it("the schedule's catch-up matches the programme still to come from today, and sends what a lost event left unsent, once", async () => {
    // Today in the cinema's zone, for two weeks: 23:30 UTC on a Tuesday is already Wednesday in Paris.
    expect(catchUpPeriod(new Date('2026-12-08T23:30:00Z'), 'Europe/Paris')).toEqual({ from: '2026-12-09', to: '2026-12-23' });
    // A subscriber confirmed while the queue was away: the programme's event never reached the notifier.
    emails.missed = 'missed@example.org';
    ids.missed = await fx.subscriber(emails.missed, [SAMPLE.starWars], { alerts: true, digest: false });
    const caughtUp = await jobs.matchProgramme({ reason: 'scheduled' });
    // The published week's four films still to come; the draft week's séance is no one's yet.
    expect(caughtUp.films).toBe(4);
    expect(caughtUp.sent).toBe(alertsTo('missed').length);
    expect(alertsTo('missed').length).toBeGreaterThanOrEqual(1);
    const before = smtp.received.length;
    expect((await jobs.matchProgramme({ reason: 'scheduled' })).sent).toBe(0);
    expect(smtp.received.length).toBe(before);
  });

  it('a key held by another sender is left to the retry, which sends it once its lease is over', async () => {
    emails.held = 'held@example.org';
    ids.held = await fx.subscriber(emails.held, [SAMPLE.starWars], { alerts: true, digest: false });
    // Another worker claimed the Jedi's alert a minute ago and died.
    await notifier.services.ledger.claim(alertKey(ids.held, SAMPLE.jedi), { subscriberId: ids.held, kind: 'alert', tconst: SAMPLE.jedi }, new Date(clock.now.getTime() - 60_000));
    await expect(jobs.matchProgramme({ reason: 'changed', from: WEEK, to: NEXT_WEEK })).rejects.toBeInstanceOf(EmailsLeftForRetry);
    expect(alertsTo('held').some((m) => m.parsed.text!.includes(`/screenings/${screenings.jediEvening}.ics`))).toBe(false);
    // Eleven minutes later (the default lease is ten), the job's retry.
    clock.now = new Date(NOW.getTime() + 11 * 60_000);
    try {
      const retry = await jobs.matchProgramme({ reason: 'changed', from: WEEK, to: NEXT_WEEK });
      expect(retry.sent).toBeGreaterThanOrEqual(1);
      expect(alertsTo('held').filter((m) => m.parsed.text!.includes(`/screenings/${screenings.jediEvening}.ics`))).toHaveLength(1);
      expect(await notifier.services.ledger.status(alertKey(ids.held, SAMPLE.jedi))).toMatchObject({ status: 'sent' });
    } finally {
      clock.now = NOW;
    }
  });

  it('the owner previews this week’s digest (nothing sent, no ledger row, no link) and counts a dry run', async () => {
    const rowsBefore = await t.handle.db.selectFrom('notification').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const tokensBefore = await t.handle.db.selectFrom('subscriber_token').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const mailsBefore = smtp.received.length;

    const byId = await notifier.app.inject({ method: 'GET', url: `/v1/admin/preview?subscriber=${ids.fan}` });
    expect(byId.statusCode).toBe(200);
    const preview = byId.json() as DigestPreview;
    expect(preview.week).toBe(WEEK);
    expect(preview.subject).toMatch(/^Vos films de la semaine/);
    expect(preview.films.map((f) => f.tconst).sort()).toEqual([SAMPLE.amelie, SAMPLE.godfather, SAMPLE.jedi, SAMPLE.lionKing].sort());
    expect(preview.films[0]!.reason.fr.length).toBeGreaterThan(0);
    expect(preview.html).toContain('Grande salle');
    // By address, the same subscriber.
    const byEmail = await notifier.app.inject({ method: 'GET', url: `/v1/admin/preview?subscriber=${encodeURIComponent(emails.fan!)}` });
    expect((byEmail.json() as DigestPreview).films.map((f) => f.tconst)).toEqual(preview.films.map((f) => f.tconst));
    // VOST afternoons with SME: the Jedi's Thursday only.
    const vost = (await notifier.app.inject({ method: 'GET', url: `/v1/admin/preview?subscriber=${ids.vost}` })).json() as DigestPreview;
    expect(vost.films.flatMap((f) => f.screenings.map((s) => s.id))).toEqual([screenings.jediAfternoon]);
    // A sample taste: a liked film is never proposed.
    const sample = (await notifier.app.inject({ method: 'GET', url: `/v1/admin/preview?liked=${SAMPLE.amelie},${SAMPLE.starWars}` })).json() as DigestPreview;
    expect(sample.films.map((f) => f.tconst)).not.toContain(SAMPLE.amelie);
    expect(sample.films.length).toBe(3);
    const none = await notifier.app.inject({ method: 'GET', url: '/v1/admin/preview' });
    expect(none.statusCode).toBe(200);
    expect((none.json() as DigestPreview).films.length).toBeGreaterThan(0);
    const unknown = await notifier.app.inject({ method: 'GET', url: '/v1/admin/preview?subscriber=00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(404);
    const bad = await notifier.app.inject({ method: 'GET', url: '/v1/admin/preview?liked=tt0076759,le%20parrain' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/^liked\[1\] :/);

    const dry = await notifier.app.inject({ method: 'POST', url: '/v1/admin/digest', payload: { dryRun: true } });
    expect(dry.statusCode).toBe(202);
    // fan, keeps, digestOnly; not vo (no séance fits: no digest), full (capped), withdrawn (gone), pausing and paused (paused).
    expect(dry.json()).toEqual({ week: WEEK, dryRun: true, subscribers: 3 } satisfies DigestRunAccepted);

    const rowsAfter = await t.handle.db.selectFrom('notification').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const tokensAfter = await t.handle.db.selectFrom('subscriber_token').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(rowsAfter.n)).toBe(Number(rowsBefore.n));
    expect(Number(tokensAfter.n)).toBe(Number(tokensBefore.n));
    expect(smtp.received.length).toBe(mailsBefore);
  });

  it('send-digests: one digest per subscriber who wants it, through the queue; a second run sends none', async () => {
    const res = await notifier.app.inject({ method: 'POST', url: '/v1/admin/digest', payload: {} });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ week: WEEK, dryRun: false });
    await (notifier.queue as InProcessNotifyQueue).idle();
    expect(digestsTo('fan')).toHaveLength(1);
    expect(digestsTo('digestOnly')).toHaveLength(1);
    // The email kept for it: the week's last.
    expect(digestsTo('keeps')).toHaveLength(1);
    expect((await ledger(ids.keeps!)).filter((r) => r.status === 'sent')).toHaveLength(MAX_PER_WEEK);
    for (const who of ['vost', 'vo', 'full', 'nearly', 'withdrawn', 'pausing', 'paused']) expect({ who, digests: digestsTo(who).length }).toEqual({ who, digests: 0 });
    const row = (await ledger(ids.fan!)).find((r) => r.key === digestKey(ids.fan!, WEEK))!;
    expect(row).toMatchObject({ kind: 'digest', status: 'sent' });
    expect(row.week).toBe(WEEK);
    expect(row.screening_ids).toEqual(expect.arrayContaining([screenings.jediAfternoon, screenings.lionKing]));
    const digest = digestsTo('fan')[0]!;
    expect(digest.parsed.text).toContain('Grande salle');
    // Ranked for the taste: the films in the recommender's order of scores (as the preview shows them).
    const ranked = (await jobs.preview({ subscriber: ids.fan! })).films;
    expect(ranked.map((f) => f.score)).toEqual([...ranked.map((f) => f.score)].sort((a, b) => b - a));
    const at = (id: string) => digest.parsed.text!.indexOf(`/screenings/${id}.ics`);
    const positions = ranked.map((f) => at(f.screenings[0]!.id));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));

    const again = await jobs.sendDigests({});
    expect(again.sent).toBe(0);
    expect(again.skipped).toBe(3);
    expect(digestsTo('fan')).toHaveLength(1);
  });

  it('screening-cancelled: a notice only to those the séance was announced to, once', async () => {
    // A subscriber who joined after the emails: the séance was never announced to them.
    emails.newcomer = 'newcomer@example.org';
    ids.newcomer = await fx.subscriber(emails.newcomer, [SAMPLE.starWars], { alerts: true, digest: true });
    const announced = new Set(
      (await t.handle.db.selectFrom('notification').select(['subscriber_id', 'screening_ids']).where('status', '=', 'sent').execute())
        .filter((r) => r.screening_ids.includes(screenings.jediAfternoon!))
        .map((r) => r.subscriber_id),
    );
    expect(announced.has(ids.fan!)).toBe(true);
    expect(announced.has(ids.vost!)).toBe(true);

    await fx.cancel(screenings.jediAfternoon!);
    await notifier.queue.enqueue(JobName.ScreeningCancelled, { screeningId: screenings.jediAfternoon! });
    await (notifier.queue as InProcessNotifyQueue).idle();
    for (const [who, id] of Object.entries(ids)) {
      const expected = announced.has(id) ? 1 : 0;
      expect({ who, notices: cancellationsTo(who).length }).toEqual({ who, notices: expected });
    }
    const notice = cancellationsTo('vost')[0]!;
    expect(notice.parsed.subject).toMatch(/^Séance annulée/);
    expect(notice.parsed.text).toContain('Grande salle');

    // Again (a duplicated job): nothing more.
    const again = await jobs.screeningCancelled({ screeningId: screenings.jediAfternoon! });
    expect(again.sent).toBe(0);
    expect(cancellationsTo('fan')).toHaveLength(1);
    // A séance announced to nobody (the draft week's), or still scheduled: nothing.
    await fx.cancel(screenings.draft!);
    expect((await jobs.screeningCancelled({ screeningId: screenings.draft! })).announcedTo).toBe(0);
    expect((await jobs.screeningCancelled({ screeningId: screenings.lionKing! })).announcedTo).toBe(0);
    // The cancelled séance is never announced again.
    await jobs.matchProgramme({ reason: 'changed', from: WEEK, to: NEXT_WEEK });
    const newcomer = (await ledger(ids.newcomer)).flatMap((r) => r.screening_ids);
    expect(newcomer).not.toContain(screenings.jediAfternoon);
  });

  it('logs no address, token or liked film', () => {
    const text = lines.join('\n');
    expect(text).toContain('programme matched');
    for (const address of Object.values(emails)) expect(text).not.toContain(address);
    const tokens = smtp.received.flatMap((m) => [...(m.parsed.text ?? '').matchAll(/(?:#|\/u\/)([A-Za-z0-9_-]{43})/g)].map((x) => x[1]!));
    expect(tokens.length).toBeGreaterThan(10);
    for (const token of tokens) expect(text).not.toContain(token);
    expect(text).not.toContain(SAMPLE.starWars);
  });
});
