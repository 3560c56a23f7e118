import type { RecommendedFilm, RecommendResponse } from '@cine/common';

/**
 * Whether a film scored for a taste (a request with `candidates`) fits it: it scores at least as
 * well as the film the recommender would propose in 100th place, and something links it to the
 * films liked. One rule for the programme's "pour vous" and the owner's audience figures.
 */
export function fitsTaste(answer: Pick<RecommendResponse, 'coldStart' | 'fitScore'>, item: Pick<RecommendedFilm, 'score' | 'reasons'>): boolean {
  if (answer.coldStart || answer.fitScore === undefined) return false;
  return item.score >= answer.fitScore && item.reasons.length > 0;
}
