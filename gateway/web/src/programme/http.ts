/** An answer that is not a success, with the API's own message and, for a 429, when to retry. */
export class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

/** JSON over fetch, same origin; a failure carries the API's `{ message }` (or the network's absence: status 0). */
export async function requestJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new HttpFailure(0, 'le serveur ne répond pas');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { message?: string } | null;
    const retry = Number(res.headers.get('retry-after'));
    throw new HttpFailure(res.status, body?.message ?? res.statusText, Number.isFinite(retry) && retry > 0 ? retry : null);
  }
  return (await res.json()) as T;
}
