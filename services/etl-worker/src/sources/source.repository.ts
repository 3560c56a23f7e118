import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { redact } from '@cine/common';
import { type FetchOptions, fetchWithRetry, SourceMissingError, SourceUnavailableError } from './http-fetch';

/** An opened input: compressed bytes as they come from disk or the network. */
export interface OpenedSource {
  /** Path or URL, credentials removed: what the ledger and the messages show. */
  location: string;
  /** Size in bytes when known (a file, or an HTTP Content-Length). */
  size: number | null;
  stream: Readable;
}

export { SourceMissingError, SourceUnavailableError };

export type SourceOptions = FetchOptions;

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
    const opened = await fetchWithRetry(url, this.options, async (response, watchdog) => {
      const length = Number(response.headers.get('content-length'));
      return {
        location: shown,
        size: Number.isFinite(length) && length > 0 ? length : null,
        // pipeline: an error on either side (abort, consumer gone) destroys the other.
        stream: pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>), watchdog.meter(), () => {}),
      };
    });
    if (!opened && !opts.optional) throw new SourceMissingError(`${shown}: not found`);
    return opened;
  }
}
