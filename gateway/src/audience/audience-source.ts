/**
 * Where known tastes come from. The product keeps no raw baskets (what a visitor sends is
 * personal data, used for the answer and dropped), so today there is none; the notification
 * issue adds its subscribers' liked films (kept with their consent) as a source of this shape.
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

/** Today's source: none. */
export class NoAudienceSource implements AudienceSource {
  readonly name = 'none';
  async tastes(): Promise<AudienceTastes> {
    return { kind: 'none' };
  }
}
