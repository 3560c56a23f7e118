import { resolve } from 'node:path';

/**
 * The real samples live beside the clone (`../shared/data`), never in the repository;
 * SHARED_DATA_DIR points elsewhere. Every spec, fixture reader and bench finds them through
 * `samplePath`, so that variable moves them all. No jest global here: benches import it too.
 */
export const REPO_ROOT = resolve(__dirname, '../../..');
export const SHARED_DATA = process.env.SHARED_DATA_DIR ?? resolve(REPO_ROOT, '..', 'shared', 'data');

/** A path inside the samples: `samplePath('imdb', 'famous-40')`, `samplePath('tmdb/tmdb_full.csv')`. */
export function samplePath(...parts: string[]): string {
  return resolve(SHARED_DATA, ...parts);
}
