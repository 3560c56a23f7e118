import type { SubscriberLinks } from '../mail/mail.contract';
import { newToken } from './secrets';
import type { SubscriptionRepository } from './subscription.repository';

const DAY_MS = 24 * 3600_000;

/** How long each scope's links work. */
export const TOKEN_LIFETIME_MS = {
  /** The confirmation email's link: an unconfirmed address is deleted after 7 days anyway. */
  confirm: 7 * DAY_MS,
  /** Every email carries a fresh one; the latest email's link always works. */
  manage: 90 * DAY_MS,
  /** List-Unsubscribe must keep working long after the email arrived (RFC 8058 mail sits in inboxes). */
  unsubscribe: 400 * DAY_MS,
} as const;

/**
 * The links an email carries, each with a new random token whose hash alone is stored. Tokens
 * travel in a URL fragment (`#`, never sent to a server nor in a Referer) or a path (`/u/`), never
 * a query string.
 */
export class LinkService {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly publicBaseUrl: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The manage and unsubscribe links of every email but the confirmation. */
  async issueLinks(subscriberId: string): Promise<SubscriberLinks> {
    const manage = await this.issue(subscriberId, 'manage');
    const unsubscribe = await this.issue(subscriberId, 'unsubscribe');
    return { manageUrl: `${this.publicBaseUrl}/abonnement#${manage}`, unsubscribeUrl: `${this.publicBaseUrl}/u/${unsubscribe}` };
  }

  /** The confirmation email's link: a page whose button posts the token (mail scanners follow GET links). */
  async confirmUrl(subscriberId: string): Promise<string> {
    return `${this.publicBaseUrl}/abonnement/confirmer#${await this.issue(subscriberId, 'confirm')}`;
  }

  async manageUrl(subscriberId: string): Promise<string> {
    return `${this.publicBaseUrl}/abonnement#${await this.issue(subscriberId, 'manage')}`;
  }

  /** A new token of `scope` for the subscriber; returns the token itself, for one email or one answer. */
  async issue(subscriberId: string, scope: keyof typeof TOKEN_LIFETIME_MS): Promise<string> {
    const now = this.clock();
    const { token, hash } = newToken();
    await this.subscriptions.insertToken(subscriberId, hash, scope, now, new Date(now.getTime() + TOKEN_LIFETIME_MS[scope]));
    return token;
  }
}
