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

/** What a scoring asks for beyond the scores (the batch endpoint's options). */
export interface ScoreOptions {
  /** Only the n best films of each taste (default: every candidate). */
  top?: number;
  /**
   * Each film with its reason (default true). Without, `reason` is empty (`{ fr: '', en: '' }`)
   * and `reasons` []: scores only, as the benchmark measures them.
   */
  reasons?: boolean;
  /** Each taste's fitScore (default true); it ranks the whole index per taste: a digest says false. */
  fit?: boolean;
}

/** Scores many tastes against the programmed films through the recommender's batch endpoint. */
export interface BatchScorer {
  /** One answer per taste, in the order given. */
  score(tastes: readonly SubscriberTaste[], candidates: readonly string[], options?: ScoreOptions): Promise<TasteScores[]>;
}

/** A séance of the period as the matching rules read it (the notifier reads the gateway's programme tables). */
export interface ProgrammedScreening {
  id: string;
  /** ISO 8601 instant. */
  startsAt: string;
  room: string;
  version: 'VF' | 'VOST' | 'VO';
  accessibility: { sme: boolean; ad: boolean };
  status: 'scheduled' | 'cancelled';
  /** Absolute links, as the emails show them. */
  icsUrl: string;
  bookingUrl: string | null;
}

/** A film programmed in the period, with its séances. */
export interface ProgrammedFilm {
  tconst: string;
  title: string;
  year: number | null;
  posterUrl: string | null;
  screenings: ProgrammedScreening[];
}
