import type { ReasonPart, SubscriptionPreferences } from '@cine/common';

/** What the notifier's jobs ask of the matching module, fixed first so both sides could be written at once. */

export interface SubscriberTaste {
  subscriberId: string;
  /** tconsts, oldest first. */
  liked: string[];
  disliked: string[];
  preferences: SubscriptionPreferences;
}

export interface FilmScore {
  tconst: string;
  score: number;
  reason: { fr: string; en: string };
  reasons: ReasonPart[];
}

export interface TasteScores {
  subscriberId: string;
  /**
   * The score a film needs to be among the films the recommender would propose on its own for
   * this taste (RecommendResponse.fitScore); null when nothing liked was usable.
   */
  fitScore: number | null;
  /** Every candidate the recommender could score, best first. */
  films: FilmScore[];
}

/** Scores many tastes against the programmed films through the recommender's batch endpoint. */
export interface BatchScorer {
  score(tastes: readonly SubscriberTaste[], candidates: readonly string[]): Promise<TasteScores[]>;
}
