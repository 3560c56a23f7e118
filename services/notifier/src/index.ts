/** What the all-in-one composition and the notifier's other jobs use: the service, its config, its repositories. */
export { loadNotifierConfig, DEFAULT_NOTIFIER_PORT, type NotifierConfig } from './config';
export { startNotifier, buildNotifierApp, type NotifierOptions, type RunningNotifier } from './server';
export { createNotifierServices, type NotifierServices, type MailDeps } from './notifier.services';
export { NotificationLedgerRepository, type LedgerEntry, DEFAULT_CLAIM_LEASE_MS } from './notification/notification-ledger.repository';
export { SubscriptionRepository, type SubscriberRow } from './subscription/subscription.repository';
export { LinkService, TOKEN_LIFETIME_MS } from './subscription/links.service';
export { PROGRAMME_HANDLERS_MISSING, NotWiredError, type ProgrammeHandlers } from './jobs/notify.handlers';
export { nextOccurrence } from './schedule/next-occurrence';
export { programmeJobs, programmeHandlers, type ProgrammeWiring, type ProgrammeJobsOptions, type ProgrammeContext } from './jobs/programme.wiring';
export { ProgrammeJobs, BadNotifyPayload, EmailsLeftForRetry, cancellationKey, type RunCounts } from './jobs/programme.jobs';
