import type { DigestPreview, DigestRunAccepted, JobContext, Logger, MatchProgrammePayload, ScreeningCancelledPayload, SendDigestsPayload } from '@cine/common';
import type { MailView, SubscriberLinks } from '../mail/mail.contract';
import { emailHash } from '../mail/mail.sender';
import { addDays, cinemaWeekOf, localClock } from '../matching/cinema-time';
import type { BatchScorer, SubscriberTaste, TasteScores } from '../matching/matching.contract';
import { alertKey, buildDigest, digestKey, planAlerts } from '../matching/matching.rules';
import type { MailDeps } from '../notifier.services';
import type { LedgerEntry, NotificationLedgerRepository } from '../notification/notification-ledger.repository';
import { localMidnight, localPeriod, weekPeriod } from '../programme/cinema-calendar';
import type { ProgrammeRepository } from '../programme/programme.repository';
import type { RecipientsRepository, Wants } from '../programme/recipients.repository';
import type { LinkService } from '../subscription/links.service';
import { invalidField, NotifierHttpError } from '../subscription/subscription.errors';
import type { SubscriptionRepository } from '../subscription/subscription.repository';
import { BadNotifyPayload } from './notify-errors';

/** The ledger key of the one cancellation notice a subscriber may get for a séance. */
export function cancellationKey(subscriberId: string, screeningId: string): string {
  return `cancellation:${subscriberId}:${screeningId}`;
}

export { BadNotifyPayload };

/**
 * Some emails of the run were not sent for now (the relay refused for now, another sender holds
 * their key): everything else was, and the job's retry sends those (the ledger skips the rest).
 */
export class EmailsLeftForRetry extends Error {
  constructor(
    readonly failed: number,
    readonly held: number,
  ) {
    super(`${failed} email(s) failed for now and ${held} are held by another sender's lease; the job retries them`);
    this.name = 'EmailsLeftForRetry';
  }
}

export interface ProgrammeJobsDeps {
  programme: ProgrammeRepository;
  recipients: RecipientsRepository;
  subscriptions: SubscriptionRepository;
  ledger: NotificationLedgerRepository;
  links: LinkService;
  scorer: BatchScorer;
  mail: MailDeps;
  log: Logger;
  clock: () => Date;
  /** NOTIFY_MAX_PER_WEEK: emails (confirmations aside) per subscriber and cinema week. */
  maxPerWeek: number;
  /** CINEMA_TIMEZONE. */
  timeZone: string;
  /** How long a claim holds before another sender may take it over (a worker killed mid-send). */
  claimLeaseMs: number;
  /** Subscribers read, scored (one batch call) and sent to per page. */
  pageSize: number;
  /** After this many temporary failures in a row the relay is taken as away: the run stops, the job retries. */
  maxConsecutiveFailures?: number;
}

/** How one email of a run ended. */
type Outcome = 'sent' | 'done' | 'held' | 'withheld' | 'gone' | 'suppressed' | 'rejected';

export interface RunCounts {
  /** Emails sent by this run. */
  sent: number;
  /** Keys sent (or settled) before: a duplicated or retried job. */
  skipped: number;
  /** Subscribers whose week was full (NOTIFY_MAX_PER_WEEK). */
  capped: number;
  /** Consent or the suppression list said no just before sending, or the subscriber was erased meanwhile. */
  withheld: number;
  /** Refused for good by the relay. */
  rejected: number;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TCONST = /^tt\d{7,10}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How far ahead the schedule's catch-up matches: this programme week and the next, whatever the day. */
export const CATCH_UP_DAYS = 14;

/** The schedule's catch-up period: from today (cinema time) for CATCH_UP_DAYS, `to` exclusive. */
export function catchUpPeriod(now: Date, timeZone: string): { from: string; to: string } {
  const today = localClock(now, timeZone).date;
  return { from: today, to: addDays(today, CATCH_UP_DAYS) };
}

function isoDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ISO_DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new BadNotifyPayload(`${field} must be a date YYYY-MM-DD`);
  }
  return value;
}

/** The subscriber was erased (unsubscribe, erasure) between two statements: its rows went with it. */
function isGone(err: unknown): boolean {
  return (err as { code?: string } | null)?.code === '23503';
}

/**
 * The programme's three jobs and the owner's two views of the digest:
 *
 * - match-programme: the period's séances against every subscriber who wants alerts, page by
 *   page (one batch call to the recommender per page); the matching rules decide the alerts.
 * - send-digests: the week's films ranked for every subscriber who wants the digest.
 * - screening-cancelled: a notice to the subscribers an alert or a digest named the séance to.
 *
 * Every email is sent the same way (`deliver`): the ledger key claimed first (false: sent already,
 * or another sender holds it), the weekly cap (NOTIFY_MAX_PER_WEEK, one of them kept for the
 * digest of whoever wants one and has not had this week's) counted again, the links issued, consent and the
 * suppression list read just before sending (`sendableAddress`), then the ledger marked. A
 * temporary failure releases the key and the run goes on; the job then fails so its retry sends
 * what is left, and the ledger makes the retry skip the rest.
 */
export class ProgrammeJobs {
  private readonly maxConsecutiveFailures: number;

  constructor(private readonly deps: ProgrammeJobsDeps) {
    this.maxConsecutiveFailures = deps.maxConsecutiveFailures ?? 5;
  }

  async matchProgramme(payload: MatchProgrammePayload, ctx?: Pick<JobContext, 'signal'>): Promise<RunCounts & { films: number }> {
    const { deps } = this;
    const now = deps.clock();
    const { from, to } = payload.reason === 'scheduled' ? catchUpPeriod(now, deps.timeZone) : { from: isoDate(payload.from, 'from'), to: isoDate(payload.to, 'to') };
    if (to <= from) throw new BadNotifyPayload('to must come after from');
    const period = localPeriod(from, to, deps.timeZone);
    const films = await deps.programme.filmsBetween(period.start, period.end, now);
    const counts = newCounts();
    if (films.length === 0) return { ...counts, films: 0 };
    const candidates = films.map((f) => f.tconst);
    const weekStart = this.weekStart(now);
    const run = new RunState(this.maxConsecutiveFailures, deps.log);
    await this.eachPage('alerts', ctx, candidates, { fit: true }, async (tastes, scores) => {
      const ids = tastes.map((t) => t.subscriberId);
      const [sent, alerted, digestDone] = await Promise.all([
        deps.recipients.sentSince(ids, weekStart),
        deps.recipients.alerted(ids, candidates),
        deps.recipients.digestDone(ids, cinemaWeekOf(now, deps.timeZone)),
      ]);
      for (const [i, taste] of tastes.entries()) {
        const id = taste.subscriberId;
        // One of the week's emails is kept for the digest of whoever asked for one: alerts never
        // take the weekly email they chose away from them.
        const reserved = taste.preferences.digest && !digestDone.has(id) ? 1 : 0;
        const used = (sent.get(id) ?? 0) + reserved;
        if (used >= deps.maxPerWeek) {
          counts.capped++;
          continue;
        }
        const plan = planAlerts(
          { taste, scores: scores[i]!, films, sentThisWeek: used, alreadyAlerted: alerted.get(id) },
          { now, maxPerWeek: deps.maxPerWeek, timeZone: deps.timeZone },
        );
        for (const film of plan) {
          this.checkStop(ctx);
          if (!(await this.underCap(id, weekStart, reserved))) {
            counts.capped++;
            break;
          }
          const entry: LedgerEntry = { subscriberId: id, kind: 'alert', tconst: film.tconst, screeningIds: film.screenings.map((s) => s.id) };
          await run.attempt(counts, () => this.deliver(alertKey(id, film.tconst), entry, (links) => ({ kind: 'alert', film, ...links })));
        }
      }
    });
    deps.log.info({ job: 'match-programme', reason: payload.reason, from, to, films: films.length, ...counts, failed: run.failed, held: run.held }, 'programme matched');
    run.finish();
    return { ...counts, films: films.length };
  }

  async sendDigests(payload: SendDigestsPayload, ctx?: Pick<JobContext, 'signal'>): Promise<RunCounts & { week: string; films: number; dryRun: boolean; subscribers: number }> {
    const { deps } = this;
    const now = deps.clock();
    const week = payload.week === undefined ? cinemaWeekOf(now, deps.timeZone) : isoDate(payload.week, 'week');
    if (new Date(`${week}T00:00:00Z`).getUTCDay() !== 3) throw new BadNotifyPayload('week must be a Wednesday (the programme week’s first day)');
    const dryRun = payload.dryRun === true;
    const { start, end } = weekPeriod(week, deps.timeZone);
    const films = await deps.programme.filmsBetween(start, end, now);
    const counts = newCounts();
    // Subscribers a digest goes to (or would, for a dry run).
    let subscribers = 0;
    if (films.length === 0) return { ...counts, week, films: 0, dryRun, subscribers };
    const candidates = films.map((f) => f.tconst);
    const weekStart = this.weekStart(now);
    const run = new RunState(this.maxConsecutiveFailures, deps.log);
    await this.eachPage('digest', ctx, candidates, { fit: false }, async (tastes, scores) => {
      const sent = await deps.recipients.sentSince(
        tastes.map((t) => t.subscriberId),
        weekStart,
      );
      for (const [i, taste] of tastes.entries()) {
        this.checkStop(ctx);
        const id = taste.subscriberId;
        const digest = buildDigest({ taste, scores: scores[i]!, films }, { now, timeZone: deps.timeZone });
        if (digest.length === 0) continue;
        const key = digestKey(id, week);
        if ((sent.get(id) ?? 0) >= deps.maxPerWeek || !(await this.underCap(id, weekStart))) {
          // A digest already sent this week is not a full week's doing: the ledger says skipped.
          if ((await deps.ledger.status(key))?.status === 'sent') counts.skipped++;
          else counts.capped++;
          continue;
        }
        if (dryRun) {
          const settled = (await deps.ledger.status(key))?.status;
          if (settled !== undefined && settled !== 'pending') counts.skipped++;
          else if ((await deps.subscriptions.sendableAddress(id)) === null) counts.withheld++;
          else subscribers++;
          continue;
        }
        const entry: LedgerEntry = { subscriberId: id, kind: 'digest', week, screeningIds: digest.flatMap((f) => f.screenings.map((s) => s.id)) };
        const outcome = await run.attempt(counts, () => this.deliver(key, entry, (links) => ({ kind: 'digest', week, films: digest, ...links })));
        if (outcome === 'sent') subscribers++;
      }
    });
    deps.log.info({ job: 'send-digests', week, dryRun, films: films.length, ...counts, failed: run.failed, held: run.held }, dryRun ? 'digest run counted' : 'digests sent');
    run.finish();
    return { ...counts, week, films: films.length, dryRun, subscribers };
  }

  async screeningCancelled(payload: ScreeningCancelledPayload, ctx?: Pick<JobContext, 'signal'>): Promise<RunCounts & { announcedTo: number }> {
    const { deps } = this;
    if (typeof payload.screeningId !== 'string' || !/^\d{1,18}$/.test(payload.screeningId)) throw new BadNotifyPayload('screeningId must be a séance id');
    const counts = newCounts();
    const screening = await deps.programme.screening(payload.screeningId);
    // Cancelled for good, and still to come: a notice about a past séance would only be noise.
    if (!screening || screening.status !== 'cancelled' || Date.parse(screening.startsAt) <= deps.clock().getTime()) return { ...counts, announcedTo: 0 };
    const announced = await deps.recipients.announcedTo(screening.id);
    const run = new RunState(this.maxConsecutiveFailures, deps.log);
    for (const id of announced) {
      this.checkStop(ctx);
      const entry: LedgerEntry = { subscriberId: id, kind: 'cancellation', tconst: screening.tconst, screeningIds: [screening.id] };
      await run.attempt(counts, () =>
        this.deliver(cancellationKey(id, screening.id), entry, (links) => ({
          kind: 'cancellation',
          film: { tconst: screening.tconst, title: screening.title },
          screening: { id: screening.id, startsAt: screening.startsAt, room: screening.room },
          ...links,
        })),
      );
    }
    deps.log.info({ job: 'screening-cancelled', screeningId: screening.id, announcedTo: announced.length, ...counts, failed: run.failed, held: run.held }, 'cancellation notices sent');
    run.finish();
    return { ...counts, announcedTo: announced.length };
  }

  /**
   * This week's digest as it would go out, for a subscriber (by id or address), a sample taste
   * (`liked`), or, with neither, the catalogue's most-voted films. Nothing is sent, no ledger row
   * is written, no link token is issued: the links in it lead nowhere.
   */
  async preview(query: { subscriber?: string; liked?: string }): Promise<DigestPreview> {
    const { deps } = this;
    const now = deps.clock();
    const week = cinemaWeekOf(now, deps.timeZone);
    const { start, end } = weekPeriod(week, deps.timeZone);
    const films = await deps.programme.filmsBetween(start, end, now);
    const candidates = films.map((f) => f.tconst);
    const taste = await this.previewTaste(query, candidates);
    const scores: TasteScores = candidates.length === 0 ? { subscriberId: taste.subscriberId, fitScore: null, films: [] } : (await deps.scorer.score([taste], candidates, { fit: false }))[0]!;
    const digest = buildDigest({ taste, scores, films }, { now, timeZone: deps.timeZone });
    const base = deps.mail.identity.publicBaseUrl;
    const links: SubscriberLinks = { manageUrl: `${base}/abonnement`, unsubscribeUrl: `${base}/abonnement` };
    const composed = deps.mail.compose({ kind: 'digest', week, films: digest, ...links }, deps.mail.identity);
    return { week, films: digest, subject: composed.subject, text: composed.text, html: composed.html };
  }

  /** The owner's "run the digest now": a dry run counts here and now; otherwise the caller enqueues. */
  async digestRun(dryRun: boolean): Promise<DigestRunAccepted> {
    const week = cinemaWeekOf(this.deps.clock(), this.deps.timeZone);
    if (dryRun) {
      const counted = await this.sendDigests({ week, dryRun: true });
      return { week, dryRun: true, subscribers: counted.subscribers };
    }
    return { week, dryRun: false, subscribers: await this.deps.recipients.count('digest') };
  }

  private async previewTaste(query: { subscriber?: string; liked?: string }, candidates: readonly string[]): Promise<SubscriberTaste> {
    const { deps } = this;
    if (query.subscriber !== undefined && query.subscriber !== '') {
      const by = query.subscriber.includes('@') ? { emailHash: emailHash(query.subscriber) } : UUID.test(query.subscriber) ? { id: query.subscriber.toLowerCase() } : null;
      if (by === null) throw invalidField('subscriber', 'un identifiant d’abonné ou une adresse e-mail est attendu.');
      const found = await deps.recipients.taste(by);
      if (!found) throw new NotifierHttpError(404, 'Aucun abonné ne correspond.');
      // What they would receive with the digest on: the owner previews the content.
      return { subscriberId: found.subscriberId, liked: found.liked, disliked: found.disliked, preferences: { ...found.preferences, digest: true, paused: false } };
    }
    let liked: string[];
    if (query.liked !== undefined && query.liked !== '') {
      liked = query.liked.split(',').map((s) => s.trim());
      if (liked.length > 50) throw invalidField('liked', '50 films au plus.');
      liked.forEach((t, i) => {
        if (!TCONST.test(t)) throw invalidField(`liked[${i}]`, 'un identifiant de film (tt…) est attendu.');
      });
    } else {
      liked = await deps.programme.sampleTaste(3, candidates);
    }
    return { subscriberId: 'preview', liked, disliked: [], preferences: { alerts: false, digest: true } };
  }

  /**
   * The subscribers who want `wants`, `pageSize` at a time in id order, each page scored in one
   * batch call against the period's films.
   */
  private async eachPage(
    wants: Wants,
    ctx: Pick<JobContext, 'signal'> | undefined,
    candidates: readonly string[],
    options: { fit: boolean },
    handle: (tastes: SubscriberTaste[], scores: TasteScores[]) => Promise<void>,
  ): Promise<void> {
    let after: string | null = null;
    for (;;) {
      this.checkStop(ctx);
      const tastes = await this.deps.recipients.page(wants, after, this.deps.pageSize);
      if (tastes.length === 0) return;
      after = tastes.at(-1)!.subscriberId;
      const scores = await this.deps.scorer.score(tastes, candidates, { fit: options.fit, reasons: true });
      await handle(tastes, scores);
      if (tastes.length < this.deps.pageSize) return;
    }
  }

  /** One email: claim, links, consent, send, mark (see the class). */
  private async deliver(key: string, entry: LedgerEntry, view: (links: SubscriberLinks) => MailView): Promise<Outcome> {
    const { ledger, links, subscriptions, mail, clock, claimLeaseMs } = this.deps;
    let claimed: boolean;
    try {
      claimed = await ledger.claim(key, entry, clock(), claimLeaseMs);
    } catch (err) {
      if (isGone(err)) return 'gone';
      throw err;
    }
    if (!claimed) return (await ledger.status(key))?.status === 'pending' ? 'held' : 'done';
    try {
      const issued = await links.issueLinks(entry.subscriberId);
      // Just before sending: an unsubscribe, a pause or a bounce since the matching wins.
      const to = await subscriptions.sendableAddress(entry.subscriberId);
      if (to === null) {
        await ledger.markSuppressed(key);
        return 'withheld';
      }
      const composed = mail.compose(view(issued), mail.identity);
      const result = await mail.sender.send({ ...composed, to, unsubscribeUrl: issued.unsubscribeUrl, key });
      if (result.outcome === 'sent') {
        await ledger.markSent(key, clock());
        return 'sent';
      }
      if (result.outcome === 'suppressed') {
        await ledger.markSuppressed(key);
        return 'suppressed';
      }
      await ledger.markFailed(key);
      return 'rejected';
    } catch (err) {
      if (isGone(err)) return 'gone';
      await ledger.release(key).catch(() => undefined);
      throw err;
    }
  }

  private async underCap(subscriberId: string, weekStart: Date, reserved = 0): Promise<boolean> {
    return (await this.deps.ledger.sentSince(subscriberId, weekStart)) + reserved < this.deps.maxPerWeek;
  }

  /** The instant the current cinema week began (Wednesday 00:00 in the cinema's zone). */
  private weekStart(now: Date): Date {
    return localMidnight(cinemaWeekOf(now, this.deps.timeZone), this.deps.timeZone);
  }

  private checkStop(ctx: Pick<JobContext, 'signal'> | undefined): void {
    // Stopping (SIGTERM): the job goes back to the queue; its retry skips what was sent.
    if (ctx?.signal?.aborted) throw new Error('the notifier is stopping; the job resumes later');
  }
}

function newCounts(): RunCounts {
  return { sent: 0, skipped: 0, capped: 0, withheld: 0, rejected: 0 };
}

/** A run's failures for now: counted, the run goes on, and fails at its end so the job retries. */
class RunState {
  failed = 0;
  held = 0;
  private consecutive = 0;

  constructor(
    private readonly maxConsecutive: number,
    private readonly log: Logger,
  ) {}

  async attempt(counts: RunCounts, send: () => Promise<Outcome>): Promise<Outcome | 'failed'> {
    let outcome: Outcome;
    try {
      outcome = await send();
    } catch (err) {
      this.failed++;
      // The kind of failure and the SMTP code; the sender never puts an address or a link in it.
      this.log.warn({ err: { name: (err as Error).name, message: (err as Error).message, code: (err as { code?: unknown }).code } }, 'an email failed for now; the job retries it');
      // The relay (or the database) is away: no point trying every subscriber in turn.
      if (++this.consecutive >= this.maxConsecutive) throw err;
      return 'failed';
    }
    this.consecutive = 0;
    if (outcome === 'sent') counts.sent++;
    else if (outcome === 'done') counts.skipped++;
    else if (outcome === 'held') this.held++;
    else if (outcome === 'rejected') counts.rejected++;
    else counts.withheld++;
    return outcome;
  }

  finish(): void {
    if (this.failed > 0 || this.held > 0) throw new EmailsLeftForRetry(this.failed, this.held);
  }
}
