import type {
  ApiError,
  CatalogueStatus,
  FilmDetail,
  KpiData,
  RecommendationsRequest,
  RecommendationsResponse,
  ScreeningMatchesRequest,
  ScreeningMatchesResponse,
  ScreeningsResponse,
  SearchResponse,
  ConfirmResponse,
  ConsentWording,
  SubscribeAccepted,
  SubscribeRequest,
  SubscriptionExport,
  SubscriptionView,
  UpdateSubscription,
} from '@cine/common/contracts';

export type { CatalogueStatus, FilmDetail, KpiData, Recommendation, RecommendationsResponse, SearchHit } from '@cine/common/contracts';

/** An answer that is not a success: the status tells "unavailable" (5xx, network) from "bad input". */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  get unavailable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/**
 * The public REST API, from the page (same origin, base '') or from the widget on the cinema's
 * own site (base = the gateway's origin, through CORS).
 */
export class Api {
  constructor(private readonly base: string) {}

  /** A page of the service, on the gateway's origin (the widget runs on the cinema's own site). */
  pageUrl(path: string): string {
    return `${this.base}${path}`;
  }

  search(q: string, limit: number, signal?: AbortSignal): Promise<SearchResponse> {
    return this.get(`/api/v1/films/search?q=${encodeURIComponent(q)}&limit=${limit}`, signal);
  }

  film(tconst: string, signal?: AbortSignal): Promise<FilmDetail> {
    return this.get(`/api/v1/films/${encodeURIComponent(tconst)}`, signal);
  }

  recommend(body: RecommendationsRequest, signal?: AbortSignal): Promise<RecommendationsResponse> {
    return this.send('/api/v1/recommendations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  }

  kpi(name: string, signal?: AbortSignal): Promise<KpiData> {
    return this.get(`/api/v1/kpis/${encodeURIComponent(name)}`, signal);
  }

  catalogueStatus(signal?: AbortSignal): Promise<CatalogueStatus> {
    return this.get('/api/v1/catalogue/status', signal);
  }

  /** The published séances of the days from `from` to `to` (YYYY-MM-DD, Paris), in start order. */
  screenings(from: string, to: string, signal?: AbortSignal): Promise<ScreeningsResponse> {
    return this.get(`/api/v1/screenings?from=${from}&to=${to}`, signal);
  }

  /** The period's programmed films ranked for a taste, in one recommender call. */
  screeningMatches(body: ScreeningMatchesRequest, signal?: AbortSignal): Promise<ScreeningMatchesResponse> {
    return this.send('/api/v1/screenings/matches', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  }

  // ---- the email subscription (gateway/web/src/subscription) ----
  /** The consent box's wording; a failure (no notifier on this install) hides the form. */
  consent(signal?: AbortSignal): Promise<ConsentWording> {
    return this.get('/api/v1/subscriptions/consent', signal);
  }

  subscribe(body: SubscribeRequest): Promise<SubscribeAccepted> {
    return this.send('/api/v1/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  confirmSubscription(token: string): Promise<ConfirmResponse> {
    return this.send('/api/v1/subscriptions/confirm', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  }

  /** The manage token goes in a header, never in a URL. */
  subscription(manageToken: string, signal?: AbortSignal): Promise<SubscriptionView> {
    return this.send('/api/v1/subscriptions/me', { headers: bearer(manageToken), signal });
  }

  updateSubscription(manageToken: string, body: UpdateSubscription): Promise<SubscriptionView> {
    return this.send('/api/v1/subscriptions/me', { method: 'PUT', headers: { ...bearer(manageToken), 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  eraseSubscription(manageToken: string): Promise<void> {
    return this.send('/api/v1/subscriptions/me', { method: 'DELETE', headers: bearer(manageToken) });
  }

  exportSubscription(manageToken: string): Promise<SubscriptionExport> {
    return this.send('/api/v1/subscriptions/me/export', { headers: bearer(manageToken) });
  }

  /** A gateway path (an agenda link, the iCalendar feed) as a link on the page or on the cinema's site. */
  url(path: string): string {
    return path.startsWith('/') ? this.base + path : path;
  }

  private get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.send(path, { signal });
  }

  private async send<T>(path: string, init: RequestInit): Promise<T> {
    let res: Response;
    try {
      res = await fetch(this.base + path, { ...init, headers: { accept: 'application/json', ...init.headers } });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ApiFailure(0, 'network error');
    }
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as ApiError | null;
      throw new ApiFailure(res.status, body?.message ?? res.statusText);
    }
    // An erasure answers 204, with no body to read.
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export function isAbort(err: unknown): boolean {
  return (err as Error | null)?.name === 'AbortError';
}
