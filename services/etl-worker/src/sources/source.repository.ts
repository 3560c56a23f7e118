import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { redact, redactText, splitUrlCredentials } from '@cine/common';
import { StallWatchdog } from './stall-watchdog';

/** An opened input: compressed bytes as they come from disk or the network. */
export interface OpenedSource {
  /** Path or URL, credentials removed: what the ledger and the messages show. */
  location: string;
  /** Size in bytes when known (a file, or an HTTP Content-Length). */
  size: number | null;
  stream: Readable;
}

/** A source that may come back: the network, a server error. Retrying the job may succeed. */
export class SourceUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SourceUnavailableError';
  }
}

/** A source that will not come back by retrying: a missing folder or file, a 404. */
export class SourceMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceMissingError';
  }
}

export interface SourceOptions {
  /** HTTP attempts before giving up on a file. */
  attempts: number;
  /** First backoff delay; doubles each attempt. */
  retryDelayMs: number;
  /** Time allowed to receive the response headers. */
  connectTimeoutMs: number;
}

export const DEFAULT_SOURCE_OPTIONS: SourceOptions = { attempts: 4, retryDelayMs: 1000, connectTimeoutMs: 30_000 };

export function isUrl(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/**
 * Opens the ETL's inputs: a folder or an HTTP(S) base URL holding the IMDb files, or a single
 * file or URL (TMDB). The only place that touches the file system or the network for input.
 */
export class SourceRepository {
  constructor(private readonly options: SourceOptions = DEFAULT_SOURCE_OPTIONS) {}

  /** Fails early and clearly on a folder that does not exist; URLs are checked per file. */
  async checkRoot(root: string): Promise<void> {
    if (isUrl(root)) return;
    let info;
    try {
      info = await stat(root);
    } catch {
      throw new SourceMissingError(`${root}: no such folder`);
    }
    if (!info.isDirectory()) throw new SourceMissingError(`${root}: not a folder`);
  }

  /** A named file in a folder or under a base URL; null when the source has no such file. */
  async openIn(root: string, fileName: string): Promise<OpenedSource | null> {
    const location = isUrl(root) ? `${root.replace(/\/+$/, '')}/${fileName}` : join(root, fileName);
    return this.open(location, { optional: true });
  }

  /** One file or URL; a missing one is an error. */
  async openFile(location: string): Promise<OpenedSource> {
    const opened = await this.open(location, { optional: false });
    if (!opened) throw new SourceMissingError(`${location}: no such file`);
    return opened;
  }

  private async open(location: string, opts: { optional: boolean }): Promise<OpenedSource | null> {
    if (isUrl(location)) return this.openUrl(location, opts);
    let info;
    try {
      info = await stat(location);
    } catch {
      if (opts.optional) return null;
      throw new SourceMissingError(`${location}: no such file`);
    }
    if (!info.isFile()) throw new SourceMissingError(`${location}: not a file`);
    return { location, size: info.size, stream: createReadStream(location, { highWaterMark: 1 << 20 }) };
  }

  private async openUrl(url: string, opts: { optional: boolean }): Promise<OpenedSource | null> {
    const shown = redact(url);
    const request = splitUrlCredentials(url);
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      // Not AbortSignal.timeout: that would also cut a healthy 700 MB body once the delay is up.
      // The watchdog bounds the wait for headers, then the wait between two pieces of the body.
      const watchdog = new StallWatchdog(this.options.connectTimeoutMs);
      try {
        const response = await fetch(request.url, { headers: request.headers, signal: watchdog.signal, redirect: 'follow' });
        watchdog.rearm();
        if (response.status === 404 || response.status === 410) {
          await response.body?.cancel();
          if (opts.optional) return null;
          throw new SourceMissingError(`${shown}: not found (HTTP ${response.status})`);
        }
        if (!response.ok || !response.body) {
          await response.body?.cancel();
          // 4xx other than 404 will not improve by retrying (auth, forbidden, bad request).
          if (response.status < 500 && response.status !== 429) {
            throw new SourceMissingError(`${shown}: HTTP ${response.status} ${response.statusText}`);
          }
          throw new SourceUnavailableError(`${shown}: HTTP ${response.status} ${response.statusText}`);
        }
        const length = Number(response.headers.get('content-length'));
        return {
          location: shown,
          size: Number.isFinite(length) && length > 0 ? length : null,
          // pipeline: an error on either side (abort, consumer gone) destroys the other.
          stream: pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), watchdog.meter(), () => {}),
        };
      } catch (err) {
        watchdog.stop();
        if (err instanceof SourceMissingError) throw err;
        lastError = err;
        if (attempt < this.options.attempts) await sleep(this.options.retryDelayMs * 2 ** (attempt - 1));
      }
    }
    const cause = lastError instanceof Error ? (lastError.cause instanceof Error ? lastError.cause.message : lastError.message) : String(lastError);
    throw new SourceUnavailableError(`${shown}: unreachable after ${this.options.attempts} attempts (${redactText(cause)})`, { cause: lastError });
  }
}
