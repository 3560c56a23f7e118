/**
 * The seven IMDb dataset files: names, official headers, and how many rows each has at a scale.
 * Scale 1 is the size of the real dump in early 2026 (docs: market-facts.md, "Data-format facts").
 */

import { datasetFileName, IMDB_DATASETS, type ImdbDataset } from '../../src/imdb/imdb-datasets';

// The names and headers are the importer's own: one definition of the format for both sides.
export const IMDB_FILES = Object.keys(IMDB_DATASETS) as readonly ImdbDataset[];

export type ImdbFile = ImdbDataset;

export const IMDB_HEADERS: Readonly<Record<ImdbFile, readonly string[]>> = IMDB_DATASETS;

export const imdbFileName: (file: ImdbFile) => string = datasetFileName;

/** Row counts of the real dump; title.crew has one row per title, title.episode one per episode. */
export const FULL_SCALE_ROWS: Readonly<Record<ImdbFile, number>> = {
  'title.basics': 12_300_000,
  'title.akas': 55_300_000,
  'title.crew': 12_300_000,
  'title.episode': 9_500_000,
  'title.principals': 98_100_000,
  'title.ratings': 1_600_000,
  'name.basics': 15_100_000,
};

export type RowTargets = Record<ImdbFile, number>;

export function assertValidScale(scale: number): void {
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1) {
    throw new RangeError(`scale must be in (0, 1], got ${scale}`);
  }
}

/**
 * Rows per file at a scale. title.episode is not a free target: it is the number of tvEpisode
 * titles, which the type mix fixes at 9.5 / 12.3 of the titles (± stratification rounding).
 */
export function rowTargets(scale: number): RowTargets {
  assertValidScale(scale);
  const rows = (file: ImdbFile): number => Math.max(1, Math.round(FULL_SCALE_ROWS[file] * scale));
  const titles = rows('title.basics');
  return {
    'title.basics': titles,
    'title.akas': rows('title.akas'),
    'title.crew': titles,
    'title.episode': Math.round((titles * FULL_SCALE_ROWS['title.episode']) / FULL_SCALE_ROWS['title.basics']),
    'title.principals': rows('title.principals'),
    'title.ratings': Math.min(titles, rows('title.ratings')),
    'name.basics': rows('name.basics'),
  };
}

/** Digits after `tt`/`nm`: at least seven, as in IMDb ids, more once the numbers need them. */
function formatId(prefix: string, n: number): string {
  const digits = String(n);
  return digits.length >= 7 ? prefix + digits : prefix + '0000000'.slice(digits.length) + digits;
}

/**
 * Title and name numbers leave regular gaps, as deleted entries do in the real dump, so a
 * consumer cannot get away with assuming ids are dense.
 */
export function titleNumber(index: number): number {
  return index + 1 + Math.floor(index / 16);
}

export function nameNumber(index: number): number {
  return index + 1 + Math.floor(index / 20);
}

export function tconstOf(index: number): string {
  return formatId('tt', titleNumber(index));
}

export function nconstOf(index: number): string {
  return formatId('nm', nameNumber(index));
}
