import { type ErrorBody, REQUEST_ID_HEADER, type RecommendRequest, type RecommendResponse } from '@cine/common';
import { badRequest, HttpError, unavailable } from '../http/http-errors';

/** How long the customer is asked to wait before retrying when the recommender is away. */
const RETRY_AFTER_SECONDS = 5;

export interface RecommenderClient {
  recommend(request: RecommendRequest, requestId?: string): Promise<RecommendResponse>;
  /** Readiness of the recommender itself (its `/health/ready`). */
  ready(): Promise<{ ok: boolean; detail?: string }>;
}

/**
 * The recommender's internal HTTP API (common/src/contracts/recommender.contract.ts). Every call
 * is bounded by `timeoutMs`: a recommender that is down, slow or not ready yet becomes a 503 with
 * `Retry-After`, never a hung customer request. Nothing is cached, so the gateway recovers the
 * moment the recommender answers again.
 */
export class HttpRecommenderClient implements RecommenderClient {
  private readonly base: string;

  constructor(
    url: string,
    private readonly timeoutMs: number,
  ) {
    this.base = url.replace(/\/+$/, '');
  }

  async recommend(request: RecommendRequest, requestId?: string): Promise<RecommendResponse> {
    let response: Response;
    try {
      response = await fetch(`${this.base}/v1/recommendations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(requestId ? { [REQUEST_ID_HEADER]: requestId } : {}) },
        body: JSON.stringify(request),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      // Duck-typed: the DOMException fetch rejects with need not come from this realm's Error.
      const name = (err as { name?: unknown } | null)?.name;
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      throw unavailable(
        timedOut ? `the recommender did not answer within ${this.timeoutMs} ms` : 'the recommender is unreachable',
        RETRY_AFTER_SECONDS,
      );
    }
    const body = await readJson(response, this.timeoutMs);
    if (response.ok) return body as RecommendResponse;
    const message = (body as Partial<ErrorBody> | null)?.message;
    // A 400 means our request broke the contract's bounds: the customer's input, said plainly.
    if (response.status === 400) throw badRequest(typeof message === 'string' ? message : 'the recommender refused the request');
    if (response.status === 503) throw unavailable('the recommender is not ready yet (no embeddings built)', RETRY_AFTER_SECONDS);
    throw new HttpError(503, `the recommender failed (HTTP ${response.status})`, RETRY_AFTER_SECONDS);
  }

  async ready(): Promise<{ ok: boolean; detail?: string }> {
    try {
      const response = await fetch(`${this.base}/health/ready`, { signal: AbortSignal.timeout(this.timeoutMs) });
      await response.body?.cancel();
      return response.ok ? { ok: true } : { ok: false, detail: `recommender not ready (HTTP ${response.status})` };
    } catch {
      return { ok: false, detail: 'recommender unreachable' };
    }
  }
}

async function readJson(response: Response, timeoutMs: number): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    throw unavailable(`the recommender sent an unreadable answer (HTTP ${response.status}) within ${timeoutMs} ms`, RETRY_AFTER_SECONDS);
  }
}
