import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ByteLru } from './byte-lru';
import { POSTER_SIZES, type PosterSize } from './poster-image';

const TEMP_SUFFIX = '.tmp';

/**
 * The posters kept on disk, `<dir>/<size>/<tconst>.jpg`, under a byte bound, least recently used
 * out. Recency lives in memory; at start it is rebuilt from the folder, oldest file first (a file's
 * mtime is when it was fetched: the best order the disk keeps without a write per hit).
 * A file is written to a temporary name and renamed, so a reader never sees half a poster, and a
 * crash leaves only a temporary file, removed at the next start.
 */
export class PosterDiskCache {
  private readonly lru: ByteLru<string>;

  constructor(
    private readonly dir: string,
    maxBytes: number,
  ) {
    this.lru = new ByteLru(maxBytes);
  }

  get bytes(): number {
    return this.lru.bytes;
  }

  /** Reads what an earlier run kept; a missing folder is an empty cache (created at the first write). */
  async load(): Promise<void> {
    const found: Array<{ key: string; bytes: number; mtimeMs: number }> = [];
    for (const size of POSTER_SIZES) {
      const folder = join(this.dir, size);
      let names: string[];
      try {
        names = await readdir(folder);
      } catch {
        continue;
      }
      for (const name of names) {
        const file = join(folder, name);
        if (name.endsWith(TEMP_SUFFIX)) {
          await rm(file, { force: true });
          continue;
        }
        const tconst = /^(tt[0-9]{7,10})\.jpg$/.exec(name)?.[1];
        if (!tconst) continue;
        const info = await stat(file).catch(() => null);
        if (info?.isFile()) found.push({ key: keyOf(size, tconst), bytes: info.size, mtimeMs: info.mtimeMs });
      }
    }
    found.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const entry of found) await this.drop(this.lru.add(entry.key, entry.bytes));
  }

  /** The kept poster, or null. A file gone from under us (removed by hand) is forgotten. */
  async read(size: PosterSize, tconst: string): Promise<Buffer | null> {
    const key = keyOf(size, tconst);
    if (!this.lru.touch(key)) return null;
    try {
      return await readFile(this.fileOf(key));
    } catch {
      this.lru.remove(key);
      return null;
    }
  }

  async write(size: PosterSize, tconst: string, bytes: Uint8Array): Promise<void> {
    const key = keyOf(size, tconst);
    const file = this.fileOf(key);
    await mkdir(join(this.dir, size), { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    try {
      await writeFile(temp, bytes);
      await rename(temp, file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    await this.drop(this.lru.add(key, bytes.length));
  }

  private async drop(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => unlink(this.fileOf(key)).catch(() => undefined)));
  }

  private fileOf(key: string): string {
    return join(this.dir, `${key}.jpg`);
  }
}

function keyOf(size: PosterSize, tconst: string): string {
  return `${size}/${tconst}`;
}
