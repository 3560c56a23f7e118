import type { SuppressionList } from '../mail/mail.contract';
import type { SubscriptionRepository } from '../subscription/subscription.repository';

/** The suppression list as the mail sender sees it: checked just before each send, a 5xx adds a bounce. */
export class SuppressionListAdapter implements SuppressionList {
  constructor(private readonly subscriptions: SubscriptionRepository) {}

  async isSuppressed(emailHash: Buffer): Promise<boolean> {
    return (await this.subscriptions.suppressionOf(emailHash)) !== null;
  }

  async suppress(emailHash: Buffer, reason: 'bounced'): Promise<void> {
    await this.subscriptions.suppress(emailHash, reason);
  }
}
