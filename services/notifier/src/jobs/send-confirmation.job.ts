import type { Logger, SendConfirmationPayload } from '@cine/common';
import type { ComposedMail, MailIdentity, MailSender, MailView } from '../mail/mail.contract';
import type { NotificationLedgerRepository } from '../notification/notification-ledger.repository';
import type { LinkService } from '../subscription/links.service';
import type { SubscriptionRepository } from '../subscription/subscription.repository';

export type Compose = (view: MailView, identity: MailIdentity) => ComposedMail;

/**
 * `send-confirmation`: the email each accepted subscription request reserved in the ledger. A
 * pending address gets the double opt-in link (a fresh confirm token, made here so it never waits
 * in a queue); an address already confirmed gets its manage link instead, and nothing changes.
 * A duplicated job finds no reserved email left; a temporary failure releases the ledger row and
 * fails the job, whose retry sends it.
 */
export class SendConfirmationJob {
  constructor(
    private readonly deps: {
      subscriptions: SubscriptionRepository;
      ledger: NotificationLedgerRepository;
      links: LinkService;
      compose: Compose;
      sender: MailSender;
      identity: MailIdentity;
      log: Logger;
    },
  ) {}

  async run({ subscriberId }: SendConfirmationPayload): Promise<{ sent: number }> {
    const { subscriptions, ledger, links, compose, sender, identity, log } = this.deps;
    let sent = 0;
    for (const key of await ledger.pendingKeys(subscriberId, 'confirmation')) {
      // Read again for each: an erasure or a confirmation may have come in between.
      const subscriber = await subscriptions.findById(subscriberId);
      if (!subscriber) break;
      if (!(await ledger.claim(key, { subscriberId, kind: 'confirmation' }))) continue;
      const view: MailView =
        subscriber.status === 'pending'
          ? { kind: 'confirmation', confirmUrl: await links.confirmUrl(subscriberId) }
          : { kind: 'already-subscribed', manageUrl: await links.manageUrl(subscriberId) };
      try {
        const result = await sender.send({ ...compose(view, identity), to: subscriber.email, unsubscribeUrl: null, key });
        if (result.outcome === 'sent') {
          await ledger.markSent(key);
          sent++;
        } else if (result.outcome === 'suppressed') {
          await ledger.markSuppressed(key);
        } else {
          await ledger.markFailed(key);
        }
        log.info({ kind: view.kind, outcome: result.outcome }, 'confirmation email handled');
      } catch (err) {
        await ledger.release(key);
        throw err;
      }
    }
    return { sent };
  }
}
