import { type BatchScoreRequest, type BatchScoreResponse, createLogger, type RecommendRequest, type RecommendResponse } from '@cine/common';

export const silentLog = createLogger('recommender-test', { level: 'silent' });

export interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

export async function post<T = RecommendResponse>(url: string, body: RecommendRequest | Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const res = await fetch(`${url}/v1/recommendations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

/** POST /v1/recommendations/batch: many tastes against the same films. */
export async function batch<T = BatchScoreResponse>(url: string, body: BatchScoreRequest | Record<string, unknown>): Promise<Answer<T>> {
  const res = await fetch(`${url}/v1/recommendations/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
}

export async function ready(url: string): Promise<{ status: number; body: { status: string; checks: Record<string, { ok: boolean; detail?: string }> } }> {
  const res = await fetch(`${url}/health/ready`);
  return { status: res.status, body: (await res.json()) as never };
}
