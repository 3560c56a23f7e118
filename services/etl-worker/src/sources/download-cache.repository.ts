import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { redact } from '@cine/common';
import { type FetchOptions as DownloadOptions, fetchWithRetry, SourceUnavailableError } from './http-fetch';

/** Bytes of one file so far; `total` null when the server sends no length. */
export interface DownloadProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  bytes: number;
  total: number | null;
}

export type { FetchOptions as DownloadOptions } from './http-fetch';

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

  /** One file, written under a temporary name and renamed when complete; a 404 leaves it out. */
  private async download(url: string, target: string, onBytes: (bytes: number, total: number | null) => void): Promise<void> {
    const partial = `${target}.part`;
    try {
      await fetchWithRetry(url, this.options, async (response, watchdog) => {
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
        try {
          const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
          await pipeline(body, watchdog.meter(), counter, createWriteStream(partial));
          if (total !== null && bytes !== total) throw new Error(`received ${bytes} of ${total} bytes`);
        } catch (err) {
          await rm(partial, { force: true });
          throw err;
        }
        await rename(partial, target);
        const entry: CacheEntry = {
          url: redact(url),
          size: bytes,
          etag: response.headers.get('etag'),
          lastModified: response.headers.get('last-modified'),
          downloadedAt: new Date().toISOString(),
        };
        await writeFile(`${target}.json`, `${JSON.stringify(entry, null, 2)}\n`);
      });
    } catch (err) {
      if (err instanceof SourceUnavailableError) throw new Error(err.message.replace(/: unreachable after/, ': download failed after'), { cause: err });
      throw err;
    }
  }
}
