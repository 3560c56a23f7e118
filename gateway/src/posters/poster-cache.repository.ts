import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ByteLru } from './byte-lru';
import { POSTER_SIZES, type PosterSize } from './poster-image';

const TEMP_SUFFIX = '.tmp';
/** Beside `<tconst>.jpg`, `<tconst>.jpg.source` holds the TMDB poster path the file was fetched from. */
const SOURCE_SUFFIX = '.source';

/** A kept poster and the TMDB poster path it came from (null: kept before sources were recorded). */
export interface KeptPoster {
  bytes: Buffer;
  posterPath: string | null;
}

/**
 * The posters kept on disk, `<dir>/<size>/<tconst>.jpg`, under a byte bound, least recently used
 * out. Recency lives in memory; at start it is rebuilt from the folder, oldest file first (a file's
 * mtime is when it was fetched: the best order the disk keeps without a write per hit).
 * A file is written to a temporary name and renamed, so a reader never sees half a poster, and a
 * crash leaves only a temporary file, removed at the next start. The source file is written
 * after the image: a crash between them leaves an image said to come from the previous path,
 * which is then fetched again, never a stale image said to be the new one.
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

  /** The kept poster and its source, or null. A file gone from under us (removed by hand) is forgotten. */
  async read(size: PosterSize, tconst: string): Promise<KeptPoster | null> {
    const key = keyOf(size, tconst);
    if (!this.lru.touch(key)) return null;
    const file = this.fileOf(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch {
      this.lru.remove(key);
      return null;
    }
    const posterPath = await readFile(`${file}${SOURCE_SUFFIX}`, 'utf8').catch(() => null);
    return { bytes, posterPath };
  }

  async write(size: PosterSize, tconst: string, bytes: Uint8Array, posterPath: string): Promise<void> {
    const key = keyOf(size, tconst);
    const file = this.fileOf(key);
    await mkdir(join(this.dir, size), { recursive: true });
    await writeAtomically(file, bytes);
    await writeAtomically(`${file}${SOURCE_SUFFIX}`, posterPath);
    await this.drop(this.lru.add(key, bytes.length));
  }

  private async drop(keys: string[]): Promise<void> {
    await Promise.all(
      keys.flatMap((key) => [unlink(this.fileOf(key)).catch(() => undefined), unlink(`${this.fileOf(key)}${SOURCE_SUFFIX}`).catch(() => undefined)]),
    );
  }

  private fileOf(key: string): string {
    return join(this.dir, `${key}.jpg`);
  }
}

/** Through a temporary name and a rename: a reader never sees half a file. */
async function writeAtomically(file: string, data: Uint8Array | string): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
  try {
    await writeFile(temp, data);
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

function keyOf(size: PosterSize, tconst: string): string {
  return `${size}/${tconst}`;
}
