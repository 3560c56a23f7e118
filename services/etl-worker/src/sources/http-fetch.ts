import { setTimeout as sleep } from 'node:timers/promises';
import { redact, redactText, splitUrlCredentials } from '@cine/common';
import { StallWatchdog } from './stall-watchdog';

export interface FetchOptions {
  /** HTTP attempts before giving up on a file. */
  attempts: number;
  /** First backoff delay; doubles each attempt. */
  retryDelayMs: number;
  /** Time allowed to receive the response headers, then between two pieces of the body. */
  connectTimeoutMs: number;
}

/** A source that may come back: the network, a server error. Retrying the job may succeed. */
export class SourceUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceUnavailableError';
  }
}

/** A source that will not come back by retrying: a missing folder or file, a 404, a 403. */
export class SourceMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceMissingError';
  }
}

/**
 * The one HTTP loop of the import's inputs: attempts with exponential backoff, a stall watchdog
 * (no headers, then no body bytes, within `connectTimeoutMs`), credentials moved from the URL to
 * a Basic header, every message redacted. `consume` gets a successful response: a streaming
 * import hands its body on at once; the download cache writes it to disk, and a failure there is
 * retried too. A 404 or 410 is null (the caller decides whether that is an error); another 4xx is
 * final (SourceMissingError); a 5xx, 429 or network error is retried, then SourceUnavailableError.
 */
export async function fetchWithRetry<T>(url: string, options: FetchOptions, consume: (response: Response, watchdog: StallWatchdog) => Promise<T>): Promise<T | null> {
  const shown = redact(url);
  const request = splitUrlCredentials(url);
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    // Not AbortSignal.timeout: that would also cut a healthy 700 MB body once the delay is up.
    const watchdog = new StallWatchdog(options.connectTimeoutMs);
    try {
      const response = await fetch(request.url, { headers: request.headers, signal: watchdog.signal, redirect: 'follow' });
      watchdog.rearm();
      if (response.status === 404 || response.status === 410) {
        watchdog.stop();
        await response.body?.cancel();
        return null;
      }
      if (!response.ok || !response.body) {
        watchdog.stop();
        await response.body?.cancel();
        // 4xx other than 404 will not improve by retrying (auth, forbidden, bad request).
        if (response.status < 500 && response.status !== 429) throw new SourceMissingError(`${shown}: HTTP ${response.status} ${response.statusText}`);
        throw new SourceUnavailableError(`${shown}: HTTP ${response.status} ${response.statusText}`);
      }
      return await consume(response, watchdog);
    } catch (err) {
      watchdog.stop();
      if (err instanceof SourceMissingError) throw err;
      lastError = watchdog.signal.aborted ? watchdog.signal.reason : err;
      if (attempt < options.attempts) await sleep(options.retryDelayMs * 2 ** (attempt - 1));
    }
  }
  const cause = lastError instanceof Error ? (lastError.cause instanceof Error ? lastError.cause.message : lastError.message) : String(lastError);
  throw new SourceUnavailableError(`${shown}: unreachable after ${options.attempts} attempts (${redactText(cause)})`, { cause: lastError });
}
