import { useEffect, useState } from 'preact/hooks';
import { type Api, ApiFailure, isAbort, type RecommendationsResponse } from './api';
import type { FilterState } from './components/Filters';

export type RecoState =
  | { kind: 'empty' }
  | { kind: 'loading'; previous: RecommendationsResponse | null }
  | { kind: 'error'; unavailable: boolean }
  | { kind: 'done'; data: RecommendationsResponse };

/** "Découverte" asks the recommender for its most varied list short of random. */
const DISCOVERY_DIVERSITY = 0.7;

/**
 * Recommendations that follow the customer's choices: every change of liked, disliked or filters
 * asks again (the previous request aborted, its cards kept dimmed meanwhile); `retry` asks again
 * after a failure.
 */
export function useRecommendations(
  api: Api,
  liked: string[],
  disliked: string[],
  filters: FilterState | null,
  k: number,
  /** The page's visit id (it shows what is learned and why); the widget sends none, so nothing is learned from it. */
  visitId?: string,
): [RecoState, () => void] {
  const [state, setState] = useState<RecoState>({ kind: 'empty' });
  const [attempt, setAttempt] = useState(0);
  const key = JSON.stringify([liked, disliked, filters]);

  useEffect(() => {
    if (liked.length === 0) {
      setState({ kind: 'empty' });
      return;
    }
    const ctrl = new AbortController();
    setState((s) => ({ kind: 'loading', previous: s.kind === 'done' ? s.data : s.kind === 'loading' ? s.previous : null }));
    const f = filters;
    const apiFilters = f
      ? {
          ...(f.genres.length > 0 ? { genres: f.genres } : {}),
          ...(f.decades.length > 0 ? { decades: f.decades } : {}),
          ...(f.maxRuntime !== null ? { maxRuntime: f.maxRuntime } : {}),
          ...(f.frenchOnly ? { frenchOnly: true } : {}),
        }
      : {};
    api
      .recommend(
        {
          liked,
          ...(disliked.length > 0 ? { disliked } : {}),
          k,
          ...(Object.keys(apiFilters).length > 0 ? { filters: apiFilters } : {}),
          ...(f?.discovery ? { diversity: DISCOVERY_DIVERSITY } : {}),
          ...(visitId ? { visitId } : {}),
        },
        ctrl.signal,
      )
      .then((data) => setState({ kind: 'done', data }))
      .catch((err) => {
        if (isAbort(err)) return;
        setState({ kind: 'error', unavailable: !(err instanceof ApiFailure) || err.unavailable });
      });
    return () => ctrl.abort();
  }, [key, attempt]);

  return [state, () => setAttempt((a) => a + 1)];
}
