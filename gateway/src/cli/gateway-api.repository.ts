import type { ApiError, RecommendationsRequest, RecommendationsResponse } from '@cine/common';

export class GatewayUnreachableError extends Error {
  constructor(readonly url: string) {
    super(`la passerelle Ciné Creuse ne répond pas à ${url}`);
    this.name = 'GatewayUnreachableError';
  }
}

export class GatewayRefusedError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly retryAfterSeconds: number | null,
  ) {
    super(message);
    this.name = 'GatewayRefusedError';
  }
}

/** The gateway's public API, as the command line calls it. */
export class GatewayApi {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async recommend(request: RecommendationsRequest): Promise<RecommendationsResponse> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/v1/recommendations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new GatewayUnreachableError(this.baseUrl);
    }
    const body = (await response.json().catch(() => null)) as RecommendationsResponse | ApiError | null;
    if (response.ok && body) return body as RecommendationsResponse;
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new GatewayRefusedError(
      response.status,
      (body as ApiError | null)?.message ?? `HTTP ${response.status}`,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
}
