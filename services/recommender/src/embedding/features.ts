import type { FilmRow, PersonLink } from './film-row';
import { overviewWords } from './text';

/**
 * Film × feature matrix. Each film is a bag of typed tokens ("d:nm0000001" a director,
 * "w:word" an overview word…); a token's weight is its IDF (rarer = more telling) times a log
 * term frequency; each group is L2-normalised on its own and scaled by its group weight, so a
 * long overview cannot drown the director, and the group weights are what the quality harness
 * tunes on MovieLens.
 */
export type FeatureGroup =
  | 'genre' | 'director' | 'writer' | 'cast' | 'decade' | 'era' | 'year' | 'runtime'
  | 'language' | 'country' | 'company' | 'words' | 'collection' | 'rating' | 'votes';

export type GroupWeights = Record<FeatureGroup, number>;

/**
 * Chosen on the MovieLens tuning half (odd user ids; docs/recommender.md). People weigh little
 * there because the sample catalogue knows few of them; production companies and single years
 * narrowed the lists (coverage fell below 30 %) without more hits, so they are off.
 */
export const DEFAULT_GROUP_WEIGHTS: GroupWeights = {
  genre: 1.0,
  director: 0.15,
  writer: 0.1,
  cast: 0.15,
  decade: 0.6,
  era: 0.4,
  year: 0,
  runtime: 0.2,
  language: 0.4,
  country: 0.3,
  company: 0,
  words: 0.8,
  collection: 1.2,
  rating: 0.3,
  votes: 0.4,
};

/** Compressed sparse rows: row i spans [rowPtr[i], rowPtr[i+1]) of colIdx/values. */
export interface SparseMatrix {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float32Array;
}

export interface FeatureMatrix {
  matrix: SparseMatrix;
  /** Token of each column ("director:nm0000001"). */
  tokens: string[];
  groupOf: FeatureGroup[];
  /** In how many films each column's token occurs (the idf's document frequency). */
  df: Int32Array;
}

const GENRE_ALIASES: Record<string, string> = {
  'science fiction': 'sci-fi',
  'tv movie': '',
  foreign: '',
};

function runtimeBand(minutes: number | null): string | null {
  if (minutes === null || minutes <= 0) return null;
  if (minutes < 80) return 'short';
  if (minutes < 100) return '80';
  if (minutes < 120) return '100';
  if (minutes < 150) return '120';
  return 'long';
}

/** The tokens of one film, by group, with their counts. */
export function filmTokens(film: FilmRow, people: readonly PersonLink[]): Map<string, { group: FeatureGroup; tf: number }> {
  const out = new Map<string, { group: FeatureGroup; tf: number }>();
  const add = (group: FeatureGroup, token: string) => {
    const key = `${group}:${token}`;
    const cur = out.get(key);
    if (cur) cur.tf += 1;
    else out.set(key, { group, tf: 1 });
  };
  const genres = new Set<string>();
  for (const g of [...film.genres, ...film.tmdbGenres]) {
    const lower = g.toLowerCase();
    const name = GENRE_ALIASES[lower] ?? lower;
    if (name) genres.add(name);
  }
  for (const g of genres) add('genre', g);
  for (const p of people) add(p.role === 'cast' ? 'cast' : p.role, p.nconst);
  if (film.year !== null) {
    add('decade', String(Math.floor(film.year / 10) * 10));
    // Overlapping 15-year eras let 1969 and 1971 meet although their decades differ.
    add('era', String(Math.floor(film.year / 15) * 15));
    add('era', String(Math.floor((film.year + 7) / 15) * 15 - 7));
    // Three overlapping 3-year windows: films a year or two apart share most of them.
    for (let y = film.year - 1; y <= film.year + 1; y++) add('year', String(y));
  }
  const band = runtimeBand(film.runtime);
  if (band) add('runtime', band);
  if (film.language) add('language', film.language);
  for (const c of new Set(film.countries)) add('country', c);
  for (const c of new Set(film.companies)) add('company', c.toLowerCase());
  for (const w of overviewWords(film.overview)) add('words', w);
  if (film.collection) add('collection', film.collection.toLowerCase());
  if (film.rating !== null) add('rating', String(Math.round(film.rating)));
  if (film.votes > 0) add('votes', String(Math.floor(Math.log10(film.votes) * 2)));
  return out;
}

/** A column of the feature matrix: its index and in how many films of the build its token occurs. */
export interface FeatureColumn {
  col: number;
  df: number;
}

/**
 * One film's row of the matrix from its token bag: (1 + ln tf) · idf per known token, each group
 * L2-normalised and scaled by its weight. Shared by the build and the encoder (embedding/encoder.ts),
 * so a film embedded outside the build is weighted exactly as the films inside it; `films` is the
 * build's film count (the idf's N).
 */
export function weightedRow(
  bag: ReadonlyMap<string, { group: FeatureGroup; tf: number }>,
  lookup: (key: string) => FeatureColumn | undefined,
  films: number,
  weights: GroupWeights,
): { cols: number[]; values: number[] } {
  const byGroup = new Map<FeatureGroup, { cols: number[]; vals: number[] }>();
  for (const [key, { group, tf }] of bag) {
    if (weights[group] === 0) continue;
    const column = lookup(key);
    if (column === undefined) continue;
    const idf = Math.log((films + 1) / (column.df + 1)) + 1;
    let g = byGroup.get(group);
    if (!g) byGroup.set(group, (g = { cols: [], vals: [] }));
    g.cols.push(column.col);
    g.vals.push((1 + Math.log(tf)) * idf);
  }
  const cols: number[] = [];
  const values: number[] = [];
  for (const [group, g] of byGroup) {
    let norm = 0;
    for (const v of g.vals) norm += v * v;
    const scale = weights[group] / Math.sqrt(norm);
    for (let j = 0; j < g.cols.length; j++) {
      cols.push(g.cols[j]!);
      values.push(g.vals[j]! * scale);
    }
  }
  return { cols, values };
}

export function buildFeatureMatrix(
  films: readonly FilmRow[],
  peopleByFilm: ReadonlyMap<string, PersonLink[]>,
  weights: GroupWeights,
): FeatureMatrix {
  const bags = films.map((f) => filmTokens(f, peopleByFilm.get(f.tconst) ?? []));
  const df = new Map<string, number>();
  for (const bag of bags) for (const key of bag.keys()) df.set(key, (df.get(key) ?? 0) + 1);

  // A token seen in one film links it to nothing: it only adds noise to the factorisation.
  const column = new Map<string, number>();
  const tokens: string[] = [];
  const groupOf: FeatureGroup[] = [];
  for (const [key, n] of df) {
    if (n < 2 || weights[key.slice(0, key.indexOf(':')) as FeatureGroup] === 0) continue;
    column.set(key, tokens.length);
    tokens.push(key);
    groupOf.push(key.slice(0, key.indexOf(':')) as FeatureGroup);
  }

  const n = films.length;
  const rowPtr = new Int32Array(n + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  const lookup = (key: string) => {
    const col = column.get(key);
    return col === undefined ? undefined : { col, df: df.get(key)! };
  };
  for (let i = 0; i < n; i++) {
    const row = weightedRow(bags[i]!, lookup, n, weights);
    for (let j = 0; j < row.cols.length; j++) {
      colIdx.push(row.cols[j]!);
      values.push(row.values[j]!);
    }
    rowPtr[i + 1] = colIdx.length;
  }
  return {
    matrix: { rows: n, cols: tokens.length, rowPtr, colIdx: Int32Array.from(colIdx), values: Float32Array.from(values) },
    tokens,
    groupOf,
    df: Int32Array.from(tokens, (t) => df.get(t)!),
  };
}
