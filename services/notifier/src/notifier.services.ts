import type { Logger, NotifyHandlers } from '@cine/common';
import type { DbHandle } from '@cine/db';
import { FilmRepository } from './films/film.repository';
import { SendConfirmationJob, type Compose } from './jobs/send-confirmation.job';
import { createNotifyHandlers, type ProgrammeHandlers } from './jobs/notify.handlers';
import type { MailIdentity, MailSender } from './mail/mail.contract';
import { NotificationLedgerRepository } from './notification/notification-ledger.repository';
import { StatsRepository } from './notification/stats.repository';
import { SuppressionListAdapter } from './notification/suppression.repository';
import { RetentionRepository } from './retention/retention.repository';
import { RetentionService } from './retention/retention.service';
import { LinkService } from './subscription/links.service';
import { SubscriptionRepository } from './subscription/subscription.repository';

export interface MailDeps {
  identity: MailIdentity;
  compose: Compose;
  sender: MailSender;
}

export interface NotifierServices {
  subscriptions: SubscriptionRepository;
  ledger: NotificationLedgerRepository;
  films: FilmRepository;
  links: LinkService;
  stats: StatsRepository;
  retention: RetentionService;
  /** What the mail sender checks and fills (bounces). */
  suppression: SuppressionListAdapter;
  /** The notify queue's handlers: ours with the mail module's composer and sender, the programme's jobs as given. */
  handlers(mail: MailDeps, programme: ProgrammeHandlers): NotifyHandlers;
}

/**
 * The notifier's repositories and services on one database handle, for its process, the
 * all-in-one start and the jobs written beside it (matching, digests): `sendableAddress`,
 * `issueLinks` and the ledger are theirs to use.
 */
export function createNotifierServices(
  handle: DbHandle,
  deps: { log: Logger; publicBaseUrl: string; clock?: () => Date },
): NotifierServices {
  const clock = deps.clock ?? (() => new Date());
  const subscriptions = new SubscriptionRepository(handle);
  const ledger = new NotificationLedgerRepository(handle);
  const links = new LinkService(subscriptions, deps.publicBaseUrl, clock);
  const retention = new RetentionService(new RetentionRepository(handle), deps.log.child({ component: 'retention' }));
  return {
    subscriptions,
    ledger,
    films: new FilmRepository(handle),
    links,
    stats: new StatsRepository(handle),
    retention,
    suppression: new SuppressionListAdapter(subscriptions),
    handlers(mail, programme) {
      const confirmation = new SendConfirmationJob({ subscriptions, ledger, links, ...mail, log: deps.log.child({ component: 'confirmation' }) });
      return createNotifyHandlers({ confirmation, retention, clock }, programme);
    },
  };
}
