import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { redact, redactText, splitUrlCredentials } from '@cine/common';
import { StallWatchdog } from './stall-watchdog';

/** Bytes of one file so far; `total` null when the server sends no length. */
export interface DownloadProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  bytes: number;
  total: number | null;
}

export interface DownloadOptions {
  attempts: number;
  retryDelayMs: number;
  connectTimeoutMs: number;
}

/** What a completed download records beside the file: a later start reuses it without the network. */
interface CacheEntry {
  url: string;
  size: number;
  etag: string | null;
  lastModified: string | null;
  downloadedAt: string;
}

/**
 * The embedded first start downloads the official IMDb files once into `DATA_DIR/downloads` and
 * imports from there: an interrupted first import (a closed laptop, Ctrl-C) restarts from the
 * files on disk instead of 1.5 GB of network. A file is written under a temporary name and renamed
 * only when complete, so a half-downloaded file is never mistaken for a cached one.
 */
export class DownloadCacheRepository {
  constructor(
    private readonly cacheDir: string,
    private readonly options: DownloadOptions,
  ) {}

  /** Folder name for a base URL: readable and stable. */
  folderFor(baseUrl: string): string {
    const url = new URL(baseUrl);
    return join(this.cacheDir, `${url.host}${url.pathname}`.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/_+$/, ''));
  }

  /**
   * Every `fileNames` under `baseUrl` into the cache folder, skipping those already complete.
   * A file the server does not have (404) is left out: the importer records it as absent.
   */
  async fetchAll(baseUrl: string, fileNames: readonly string[], onProgress: (p: DownloadProgress) => void): Promise<string> {
    const folder = this.folderFor(baseUrl);
    await mkdir(folder, { recursive: true });
    for (const [index, file] of fileNames.entries()) {
      const url = `${baseUrl.replace(/\/+$/, '')}/${file}`;
      const target = join(folder, file);
      if (await this.isComplete(target, url)) {
        const { size } = await stat(target);
        onProgress({ file, fileIndex: index + 1, fileCount: fileNames.length, bytes: size, total: size });
        continue;
      }
      await this.download(url, target, (bytes, total) => onProgress({ file, fileIndex: index + 1, fileCount: fileNames.length, bytes, total }));
    }
    return folder;
  }

  private async isComplete(target: string, url: string): Promise<boolean> {
    try {
      const entry = JSON.parse(await readFile(`${target}.json`, 'utf8')) as CacheEntry;
      const { size } = await stat(target);
      return entry.url === redact(url) && entry.size === size;
    } catch {
      return false;
    }
  }

  private async download(url: string, target: string, onBytes: (bytes: number, total: number | null) => void): Promise<void> {
    const shown = redact(url);
    const request = splitUrlCredentials(url);
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      const partial = `${target}.part`;
      // Bounds the wait for headers, then the wait between two pieces of the body (a stall).
      const watchdog = new StallWatchdog(this.options.connectTimeoutMs);
      try {
        const response = await fetch(request.url, { headers: request.headers, signal: watchdog.signal, redirect: 'follow' });
        watchdog.rearm();
        if (response.status === 404 || response.status === 410) {
          await response.body?.cancel();
          return;
        }
        if (!response.ok || !response.body) {
          await response.body?.cancel();
          throw new Error(`HTTP ${response.status} ${response.statusText}`);
        }
        const length = Number(response.headers.get('content-length'));
        const total = Number.isFinite(length) && length > 0 ? length : null;
        let bytes = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            bytes += chunk.length;
            onBytes(bytes, total);
            callback(null, chunk);
          },
        });
        const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
        await pipeline(body, watchdog.meter(), counter, createWriteStream(partial));
        if (total !== null && bytes !== total) throw new Error(`received ${bytes} of ${total} bytes`);
        await rename(partial, target);
        const entry: CacheEntry = {
          url: shown,
          size: bytes,
          etag: response.headers.get('etag'),
          lastModified: response.headers.get('last-modified'),
          downloadedAt: new Date().toISOString(),
        };
        await writeFile(`${target}.json`, `${JSON.stringify(entry, null, 2)}\n`);
        return;
      } catch (err) {
        lastError = watchdog.signal.aborted ? watchdog.signal.reason : err;
        await rm(partial, { force: true });
      } finally {
        watchdog.stop();
      }
      if (attempt < this.options.attempts) await sleep(this.options.retryDelayMs * 2 ** (attempt - 1));
    }
    const cause = lastError instanceof Error ? (lastError.cause instanceof Error ? lastError.cause.message : lastError.message) : String(lastError);
    throw new Error(`${shown}: download failed after ${this.options.attempts} attempts (${redactText(cause)})`, { cause: lastError });
  }
}
