import { JobName, type Logger } from '@cine/common';
import type { DbHandle } from '@cine/db';
import { HttpBatchScorer } from '../matching/http-batch-scorer';
import type { BatchScorer } from '../matching/matching.contract';
import { DEFAULT_CLAIM_LEASE_MS } from '../notification/notification-ledger.repository';
import type { MailDeps, NotifierServices } from '../notifier.services';
import { ProgrammeRepository } from '../programme/programme.repository';
import { RecipientsRepository } from '../programme/recipients.repository';
import type { ProgrammeHandlers } from './notify.handlers';
import { ProgrammeJobs } from './programme.jobs';

/** What startNotifier hands the programme's jobs once it has made them (database, repositories, mail). */
export interface ProgrammeContext {
  handle: DbHandle;
  services: NotifierServices;
  mail: MailDeps;
  log: Logger;
  clock: () => Date;
  /** CINEMA_TIMEZONE. */
  timeZone: string;
  /** PUBLIC_BASE_URL, no trailing slash. */
  publicBaseUrl: string;
}

/** Builds the programme's jobs inside startNotifier: `npm run notifier` and `npm start` pass the same. */
export type ProgrammeWiring = (ctx: ProgrammeContext) => ProgrammeJobs;

export interface ProgrammeJobsOptions {
  /** RECOMMENDER_URL (the batch endpoint); or a scorer of the caller's (a test's wrapper). */
  recommenderUrl?: string;
  scorer?: BatchScorer;
  /** NOTIFY_MAX_PER_WEEK. */
  maxPerWeek: number;
  /** A claim's lease (default 10 minutes: longer than one email's slowest send with its retries). */
  claimLeaseMs?: number;
  /** Subscribers per page and per batch call (default 1000). */
  pageSize?: number;
}

/** The programme's jobs (match-programme, send-digests, screening-cancelled) and the owner's digest views. */
export function programmeJobs(options: ProgrammeJobsOptions): ProgrammeWiring {
  return (ctx) => {
    const scorer = options.scorer ?? (options.recommenderUrl ? new HttpBatchScorer({ baseUrl: options.recommenderUrl }) : null);
    if (!scorer) throw new Error('programmeJobs needs a recommenderUrl or a scorer');
    return new ProgrammeJobs({
      programme: new ProgrammeRepository(ctx.handle, ctx.publicBaseUrl),
      recipients: new RecipientsRepository(ctx.handle),
      subscriptions: ctx.services.subscriptions,
      ledger: ctx.services.ledger,
      links: ctx.services.links,
      scorer,
      mail: ctx.mail,
      log: ctx.log.child({ component: 'programme-jobs' }),
      clock: ctx.clock,
      maxPerWeek: options.maxPerWeek,
      timeZone: ctx.timeZone,
      claimLeaseMs: options.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS,
      pageSize: options.pageSize ?? 1000,
    });
  };
}

/** The three jobs as the notify queue's handlers. */
export function programmeHandlers(jobs: ProgrammeJobs): ProgrammeHandlers {
  return {
    [JobName.MatchProgramme]: (data, ctx) => jobs.matchProgramme(data, ctx),
    [JobName.SendDigests]: (data, ctx) => jobs.sendDigests(data, ctx),
    [JobName.ScreeningCancelled]: (data, ctx) => jobs.screeningCancelled(data, ctx),
  };
}
