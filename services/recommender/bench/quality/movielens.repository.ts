import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/** MovieLens files as the quality harness reads them (ml-latest-small layout, CRLF or LF). */
export interface Rating {
  userId: number;
  movieId: number;
  rating: number;
  timestamp: number;
}

function lines(path: string): string[] {
  const raw = path.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path);
  return raw.toString('utf8').split(/\r?\n/).filter((l) => l.length > 0);
}

function fileIn(dir: string, name: string): string {
  for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) if (existsSync(candidate)) return candidate;
  throw new Error(`${join(dir, name)}: not found (nor ${name}.gz)`);
}

/** movieId → tconst. imdbId is digits without "tt", not always zero-padded: pad to at least 7. */
export function readLinks(dir: string): Map<number, string> {
  const path = fileIn(dir, 'links.csv');
  const [header, ...rows] = lines(path);
  if (!header?.startsWith('movieId,imdbId')) throw new Error(`${path}:1: expected header movieId,imdbId,tmdbId, got "${header}"`);
  const out = new Map<number, string>();
  rows.forEach((line, i) => {
    const [movieId, imdbId] = line.split(',');
    if (!movieId || !imdbId || !/^\d+$/.test(movieId) || !/^\d+$/.test(imdbId)) throw new Error(`${path}:${i + 2}: bad row "${line}"`);
    out.set(Number(movieId), `tt${imdbId.replace(/^0+(?=\d)/, '').padStart(7, '0')}`);
  });
  return out;
}

export function readRatings(dir: string): Rating[] {
  const path = fileIn(dir, 'ratings.csv');
  const [header, ...rows] = lines(path);
  if (!header?.startsWith('userId,movieId,rating,timestamp')) throw new Error(`${path}:1: expected header userId,movieId,rating,timestamp, got "${header}"`);
  return rows.map((line, i) => {
    const [u, m, r, t] = line.split(',').map(Number);
    if (![u, m, r, t].every((x) => x !== undefined && Number.isFinite(x))) throw new Error(`${path}:${i + 2}: bad row "${line}"`);
    return { userId: u!, movieId: m!, rating: r!, timestamp: t! };
  });
}
