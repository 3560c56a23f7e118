/**
 * Normalises the two TMDB-derived CSV formats into one record type:
 * - 'tmdb_full': the Wild Code School export (lists of plain strings);
 * - 'movies_metadata': Kaggle "The Movies Dataset" (lists of dicts, floats for ints).
 *
 * Row-level problems become 'rejected' events rather than exceptions, so the
 * importer can count them and decide against a threshold; only problems with the
 * file as a whole (encoding, unterminated quote, unknown header) throw.
 */
import { cutFreeText, isNameTooLong, MAX_NAME_BYTES } from '../catalogue/text-limits';
import { readCsvRows, TmdbInputError } from './csv.reader';
import { parsePythonLiteral, PythonLiteralError, type PyDict, type PyValue } from './python-literal.parser';

export { TmdbInputError } from './csv.reader';

export type TmdbFormat = 'tmdb_full' | 'movies_metadata';

export interface TmdbRecord {
  /** 'tt' + digits, validated. */
  imdbId: string;
  tmdbId: number | null;
  title: string | null;
  originalTitle: string | null;
  originalLanguage: string | null;
  overview: string | null;
  tagline: string | null;
  /** '/abc.jpg' or null. */
  posterPath: string | null;
  backdropPath: string | null;
  popularity: number | null;
  /** TMDB writes 0 for unknown, so 0 becomes null. */
  budget: number | null;
  revenue: number | null;
  runtime: number | null;
  /** 'YYYY-MM-DD' and a real calendar date, else null. */
  releaseDate: string | null;
  /** ISO 3166-1 alpha-2, e.g. ['FR', 'US']. */
  productionCountries: string[];
  /** ISO 639-1. */
  spokenLanguages: string[];
  genres: string[];
  productionCompanies: string[];
  collectionId: number | null;
  collectionName: string | null;
  /** null when nobody voted: TMDB then writes 0.0, which is not a rating. */
  voteAverage: number | null;
  voteCount: number | null;
}

export type TmdbReadEvent =
  | { kind: 'record'; line: number; record: TmdbRecord }
  | { kind: 'rejected'; line: number; reason: string };

/** Columns read by both formats; other columns (homepage, status, video...) may be absent. */
const COMMON_COLUMNS = [
  'adult',
  'budget',
  'genres',
  'id',
  'imdb_id',
  'original_language',
  'original_title',
  'overview',
  'popularity',
  'poster_path',
  'production_countries',
  'release_date',
  'revenue',
  'runtime',
  'spoken_languages',
  'tagline',
  'title',
  'vote_average',
  'vote_count',
] as const;

const FORMAT_COLUMNS = {
  tmdb_full: [...COMMON_COLUMNS, 'backdrop_path', 'production_companies_name'],
  movies_metadata: [...COMMON_COLUMNS, 'belongs_to_collection', 'production_companies'],
} as const;

type Column = (typeof FORMAT_COLUMNS)[TmdbFormat][number];

/**
 * Picks the format from the header (column order does not matter).
 * Throws TmdbInputError naming the file, the closest format and its missing columns.
 */
export function detectTmdbFormat(header: string[], file: string, line = 1): TmdbFormat {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new TmdbInputError(file, line, `duplicate column '${name}' in header`);
    seen.add(name);
  }
  let best: { format: TmdbFormat; missing: string[] } | null = null;
  for (const format of ['tmdb_full', 'movies_metadata'] as const) {
    const missing = FORMAT_COLUMNS[format].filter((c) => !seen.has(c));
    if (missing.length === 0) return format;
    if (best === null || missing.length < best.missing.length) best = { format, missing };
  }
  const closest = best!;
  throw new TmdbInputError(
    file,
    line,
    `unrecognised TMDB CSV header; closest format is '${closest.format}', missing columns: ${closest.missing.join(', ')}`,
  );
}

/** Thrown inside the row mapper only; turned into a 'rejected' event. */
class RowRejected extends Error {}

function reject(reason: string): never {
  throw new RowRejected(reason);
}

/** Keeps reasons readable in reject reports when a shifted row puts an overview in a number column. */
function quote(v: string): string {
  return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
}

/** IMDb numbers titles below 2^31: ten digits at most. */
const IMDB_ID = /^tt\d{7,10}$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const IMAGE_PATH = /^\/[A-Za-z0-9_-]+\.(?:jpe?g|png|svg|gif|webp)$/;
const COUNTRY = /^[A-Z]{2}$/;
const LANGUAGE = /^[a-z]{2}$/;
const BOOLEAN = /^(?:true|false|0|1)?$/i;

function text(v: string): string | null {
  const t = v.trim();
  return t === '' ? null : t;
}

/** A title or a name: a row whose name passes the limit is broken (catalogue/text-limits). */
function nameField(column: string, v: string | null): string | null {
  if (v !== null && isNameTooLong(v)) reject(`${column}: longer than ${MAX_NAME_BYTES} bytes`);
  return v;
}

/** Prose: cut at the free-text limit (catalogue/text-limits). */
function freeText(v: string): string | null {
  const t = text(v);
  return t === null ? null : cutFreeText(t);
}

function number(column: string, v: string): number | null {
  const t = v.trim();
  if (t === '') return null;
  if (!NUMBER.test(t)) reject(`${column}: not a number: ${quote(v)}`);
  const n = Number(t);
  if (!Number.isFinite(n) || n < 0) reject(`${column}: not a non-negative number: ${quote(v)}`);
  return n;
}

/** Kaggle writes counts as floats ('5415.0'); a fractional part means the column is not what we think. */
function integer(column: string, v: string, zeroMeansUnknown: boolean): number | null {
  const n = number(column, v);
  if (n === null) return null;
  if (!Number.isSafeInteger(n)) reject(`${column}: not a whole number: ${quote(v)}`);
  return zeroMeansUnknown && n === 0 ? null : n;
}

function date(v: string): string | null {
  const m = DATE.exec(v.trim());
  if (m === null) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth ? m[0] : null;
}

function imagePath(v: string): string | null {
  const t = v.trim();
  return IMAGE_PATH.test(t) ? t : null;
}

function parseLiteral(column: string, v: string): PyValue | undefined {
  const t = v.trim();
  if (t === '') return undefined;
  try {
    return parsePythonLiteral(t);
  } catch (e) {
    if (e instanceof PythonLiteralError) reject(`${column}: ${e.message} in ${quote(t)}`);
    throw e;
  }
}

function list(column: string, v: string): PyValue[] {
  const value = parseLiteral(column, v);
  if (value === undefined) return [];
  if (!Array.isArray(value)) reject(`${column}: expected a list, found ${quote(v.trim())}`);
  return value;
}

/** Trims, drops empty entries and duplicates, keeps first-seen order. */
function addName(out: string[], seen: Set<string>, name: string, column: string, pattern: RegExp | null): void {
  const t = name.trim();
  if (t === '' || seen.has(t)) return;
  if (pattern !== null && !pattern.test(t)) reject(`${column}: invalid code ${quote(t)}`);
  if (isNameTooLong(t)) reject(`${column}: longer than ${MAX_NAME_BYTES} bytes`);
  seen.add(t);
  out.push(t);
}

/** tmdb_full: `['Action', 'Crime']`. */
function stringList(column: string, v: string, pattern: RegExp | null): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  list(column, v).forEach((item, i) => {
    if (typeof item !== 'string') reject(`${column}[${i}]: expected a string`);
    addName(out, seen, item, column, pattern);
  });
  return out;
}

function isDict(v: PyValue): v is PyDict {
  return v instanceof Map;
}

/** movies_metadata: `[{'iso_3166_1': 'US', 'name': 'United States of America'}]`. */
function dictList(column: string, v: string, key: string, pattern: RegExp | null): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  list(column, v).forEach((item, i) => {
    if (!isDict(item)) reject(`${column}[${i}]: expected a dict`);
    const name = item.get(key);
    if (typeof name !== 'string') reject(`${column}[${i}].${key}: expected a string`);
    addName(out, seen, name, column, pattern);
  });
  return out;
}

function collection(v: string): { id: number | null; name: string | null } {
  const value = parseLiteral('belongs_to_collection', v);
  if (value === undefined) return { id: null, name: null };
  if (!isDict(value)) reject(`belongs_to_collection: expected a dict, found ${quote(v.trim())}`);
  const id = value.get('id');
  const name = value.get('name');
  if (!(id === null || id === undefined || (typeof id === 'number' && Number.isSafeInteger(id) && id > 0))) {
    reject('belongs_to_collection.id: expected a positive integer');
  }
  if (!(name === null || name === undefined || typeof name === 'string')) reject('belongs_to_collection.name: expected a string');
  return { id: id ?? null, name: name == null ? null : nameField('belongs_to_collection.name', text(name)) };
}

type Get = (column: Column) => string;

function toRecord(format: TmdbFormat, get: Get): TmdbRecord {
  const imdbRaw = get('imdb_id').trim();
  if (imdbRaw === '') reject('missing imdb_id');
  if (!IMDB_ID.test(imdbRaw)) reject(`imdb_id: invalid ${quote(imdbRaw)}`);
  // Kaggle's known bad rows are shifted by a column; 'adult' then holds overview text.
  if (!BOOLEAN.test(get('adult').trim())) reject(`adult: expected True or False, found ${quote(get('adult'))} (columns shifted?)`);

  const tmdbId = integer('id', get('id'), true);
  const voteCount = integer('vote_count', get('vote_count'), false);
  const voteAverage = number('vote_average', get('vote_average'));
  if (voteAverage !== null && voteAverage > 10) reject(`vote_average: out of range 0-10: ${quote(get('vote_average'))}`);
  const language = text(get('original_language'));

  const isFull = format === 'tmdb_full';
  const coll = isFull ? { id: null, name: null } : collection(get('belongs_to_collection'));
  const overview = freeText(get('overview'));

  return {
    imdbId: imdbRaw,
    tmdbId,
    title: nameField('title', text(get('title'))),
    originalTitle: nameField('original_title', text(get('original_title'))),
    originalLanguage: language !== null && LANGUAGE.test(language) ? language : null,
    // TMDB's placeholder for a missing synopsis; showing it to visitors is worse than nothing.
    overview: overview === 'No overview found.' ? null : overview,
    tagline: freeText(get('tagline')),
    posterPath: imagePath(get('poster_path')),
    backdropPath: isFull ? imagePath(get('backdrop_path')) : null,
    popularity: number('popularity', get('popularity')),
    budget: integer('budget', get('budget'), true),
    revenue: integer('revenue', get('revenue'), true),
    runtime: integer('runtime', get('runtime'), true),
    releaseDate: date(get('release_date')),
    productionCountries: isFull
      ? stringList('production_countries', get('production_countries'), COUNTRY)
      : dictList('production_countries', get('production_countries'), 'iso_3166_1', COUNTRY),
    spokenLanguages: isFull
      ? stringList('spoken_languages', get('spoken_languages'), LANGUAGE)
      : dictList('spoken_languages', get('spoken_languages'), 'iso_639_1', LANGUAGE),
    genres: isFull ? stringList('genres', get('genres'), null) : dictList('genres', get('genres'), 'name', null),
    productionCompanies: isFull
      ? stringList('production_companies_name', get('production_companies_name'), null)
      : dictList('production_companies', get('production_companies'), 'name', null),
    collectionId: coll.id,
    collectionName: coll.name,
    voteAverage: voteCount === 0 ? null : voteAverage,
    voteCount,
  };
}

/**
 * Streams normalised records from either TMDB CSV format (detected from the header).
 * Repeated imdb_ids are all yielded: which one wins is the importer's decision.
 */
export async function* readTmdbCsv(input: AsyncIterable<Buffer | Uint8Array | string>, file: string): AsyncGenerator<TmdbReadEvent> {
  let format: TmdbFormat | null = null;
  let width = 0;
  const index = new Map<Column, number>();
  let fields: string[] = [];
  const get: Get = (column) => fields[index.get(column)!]!;

  for await (const row of readCsvRows(input, file)) {
    if (format === null) {
      if (row.malformed !== null) throw new TmdbInputError(file, row.line, `malformed header: ${row.malformed}`);
      const header = row.fields.map((f) => f.trim());
      format = detectTmdbFormat(header, file, row.line);
      width = header.length;
      for (const column of FORMAT_COLUMNS[format]) index.set(column, header.indexOf(column));
      continue;
    }
    if (row.malformed !== null) {
      yield { kind: 'rejected', line: row.line, reason: `malformed CSV: ${row.malformed}` };
      continue;
    }
    if (row.fields.length !== width) {
      yield { kind: 'rejected', line: row.line, reason: `expected ${width} fields as in the header, found ${row.fields.length}` };
      continue;
    }
    fields = row.fields;
    let record: TmdbRecord;
    try {
      record = toRecord(format, get);
    } catch (e) {
      if (e instanceof RowRejected) {
        yield { kind: 'rejected', line: row.line, reason: e.message };
        continue;
      }
      throw e;
    }
    yield { kind: 'record', line: row.line, record };
  }
  if (format === null) throw new TmdbInputError(file, 1, 'empty file (no header)');
}
