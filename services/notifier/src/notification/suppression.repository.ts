import type { SuppressionList } from '../mail/mail.contract';
import type { SubscriptionRepository } from '../subscription/subscription.repository';

/**
 * The suppression list as the mail sender sees it: checked just before each send, a 5xx adds a
 * bounce. The sender stops only bounced addresses: an 'unsubscribed' or 'erased' hash has no
 * subscriber left to write to, except one who asked again, whose confirmation email must go out
 * (confirming lifts it). The other emails are held by `sendableAddress`, which every reason stops.
 */
export class SuppressionListAdapter implements SuppressionList {
  constructor(private readonly subscriptions: SubscriptionRepository) {}

  async isSuppressed(emailHash: Buffer): Promise<boolean> {
    return (await this.subscriptions.suppressionOf(emailHash)) === 'bounced';
  }

  async suppress(emailHash: Buffer, reason: 'bounced'): Promise<void> {
    await this.subscriptions.suppress(emailHash, reason);
  }
}
