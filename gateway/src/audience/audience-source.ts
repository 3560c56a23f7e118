import type { SubscriberAudienceRepository } from './subscriber-audience.repository';

/**
 * Where known tastes come from. The product keeps no raw baskets of its visitors (what a visitor
 * sends is personal data, used for the answer and dropped); the alert subscribers' liked films,
 * kept with their consent, are the one source (SubscriberAudienceSource).
 */
export type AudienceTastes =
  /** Each known taste as its liked films, oldest first (a subscriber's list). */
  | { kind: 'liked-lists'; lists: string[][] }
  /** No source of tastes yet. */
  | { kind: 'none' };

export interface AudienceSource {
  /** Named in the answer (`source`). */
  readonly name: string;
  tastes(): Promise<AudienceTastes>;
}

/** No source: the answer says the product keeps no tastes. */
export class NoAudienceSource implements AudienceSource {
  readonly name = 'none';
  async tastes(): Promise<AudienceTastes> {
    return { kind: 'none' };
  }
}

/** The confirmed, unpaused subscribers of the notifications, each by the films they liked. */
export class SubscriberAudienceSource implements AudienceSource {
  readonly name = 'subscribers';
  constructor(private readonly repository: SubscriberAudienceRepository) {}

  async tastes(): Promise<AudienceTastes> {
    return { kind: 'liked-lists', lists: await this.repository.likedLists() };
  }
}
