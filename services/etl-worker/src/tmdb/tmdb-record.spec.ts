import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { samplePath } from '../../test/sample-path';
import { MAX_FREE_TEXT_CHARS, MAX_NAME_BYTES } from '../catalogue/text-limits';
import { detectTmdbFormat, readTmdbCsv, TmdbInputError, type TmdbReadEvent, type TmdbRecord } from './tmdb-record';

const FULL_HEADER = [
  'adult', 'backdrop_path', 'budget', 'genres', 'homepage', 'id', 'imdb_id', 'original_language', 'original_title',
  'overview', 'popularity', 'poster_path', 'production_countries', 'release_date', 'revenue', 'runtime',
  'spoken_languages', 'status', 'tagline', 'title', 'video', 'vote_average', 'vote_count',
  'production_companies_name', 'production_companies_country',
];
const KAGGLE_HEADER = [
  'adult', 'belongs_to_collection', 'budget', 'genres', 'homepage', 'id', 'imdb_id', 'original_language',
  'original_title', 'overview', 'popularity', 'poster_path', 'production_companies', 'production_countries',
  'release_date', 'revenue', 'runtime', 'spoken_languages', 'status', 'tagline', 'title', 'video', 'vote_average',
  'vote_count',
];

const FULL_DEFAULTS: Record<string, string> = {
  adult: 'False', backdrop_path: '/back.jpg', budget: '4000000', genres: "['Crime', 'Comedy']", homepage: '', id: '5',
  imdb_id: 'tt0113101', original_language: 'en', original_title: 'Four Rooms', overview: 'Ted the Bellhop.',
  popularity: '18.734', poster_path: '/poster.jpg', production_countries: "['US']", release_date: '1995-12-09',
  revenue: '4257354', runtime: '98', spoken_languages: "['en']", status: 'Released', tagline: 'Twelve outrageous guests.',
  title: 'Four Rooms', video: 'False', vote_average: '5.8', vote_count: '2419',
  production_companies_name: "['Miramax', 'A Band Apart']", production_companies_country: "['US', '']",
};
const KAGGLE_DEFAULTS: Record<string, string> = {
  adult: 'False',
  belongs_to_collection: "{'id': 10194, 'name': 'Toy Story Collection', 'poster_path': '/p.jpg', 'backdrop_path': None}",
  budget: '30000000', genres: "[{'id': 16, 'name': 'Animation'}, {'id': 35, 'name': 'Comedy'}]", homepage: '', id: '862',
  imdb_id: 'tt0114709', original_language: 'en', original_title: 'Toy Story', overview: "Led by Woody, Andy's toys...",
  popularity: '21.946943', poster_path: '/rhIRbceoE9lR4veEXuwCC2wARtG.jpg',
  production_companies: "[{'name': 'Pixar Animation Studios', 'id': 3}]",
  production_countries: "[{'iso_3166_1': 'US', 'name': 'United States of America'}]", release_date: '1995-10-30',
  revenue: '373554033.0', runtime: '81.0', spoken_languages: "[{'iso_639_1': 'en', 'name': 'English'}]",
  status: 'Released', tagline: '', title: 'Toy Story', video: 'False', vote_average: '7.7', vote_count: '5415.0',
};

function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function csvLine(values: string[]): string {
  return values.map(csvField).join(',') + '\n';
}

/** A CSV with the given header and one line per override set, so each test only states what differs. */
function makeCsv(header: string[], defaults: Record<string, string>, rows: Record<string, string>[]): string {
  return csvLine(header) + rows.map((r) => csvLine(header.map((h) => r[h] ?? defaults[h] ?? ''))).join('');
}

const fullCsv = (...rows: Record<string, string>[]) => makeCsv(FULL_HEADER, FULL_DEFAULTS, rows);
const kaggleCsv = (...rows: Record<string, string>[]) => makeCsv(KAGGLE_HEADER, KAGGLE_DEFAULTS, rows);

async function events(text: string | Buffer, file = 'test.csv'): Promise<TmdbReadEvent[]> {
  const out: TmdbReadEvent[] = [];
  for await (const ev of readTmdbCsv(Readable.from([Buffer.from(text)]), file)) out.push(ev);
  return out;
}

async function records(text: string): Promise<TmdbRecord[]> {
  const evs = await events(text);
  const rejected = evs.filter((e) => e.kind === 'rejected');
  expect(rejected).toEqual([]);
  return evs.flatMap((e) => (e.kind === 'record' ? [e.record] : []));
}

async function rejection(text: string): Promise<{ line: number; reason: string }> {
  const evs = await events(text);
  const rejected = evs.flatMap((e) => (e.kind === 'rejected' ? [{ line: e.line, reason: e.reason }] : []));
  expect(rejected).toHaveLength(1);
  return rejected[0]!;
}

async function thrown(text: string | Buffer, file = 'test.csv'): Promise<unknown> {
  try {
    await events(text, file);
  } catch (e) {
    return e;
  }
  throw new Error('expected the read to throw');
}

describe('detectTmdbFormat', () => {
  it('recognises both headers, whatever the column order', () => {
    expect(detectTmdbFormat(FULL_HEADER, 'a.csv')).toBe('tmdb_full');
    expect(detectTmdbFormat(KAGGLE_HEADER, 'b.csv')).toBe('movies_metadata');
    expect(detectTmdbFormat([...KAGGLE_HEADER].reverse(), 'b.csv')).toBe('movies_metadata');
    // Columns the mapping never reads are optional.
    expect(detectTmdbFormat(FULL_HEADER.filter((c) => c !== 'homepage' && c !== 'video'), 'a.csv')).toBe('tmdb_full');
  });

  it('names the file and the missing columns of the closest format', () => {
    const header = KAGGLE_HEADER.filter((c) => c !== 'imdb_id' && c !== 'belongs_to_collection');
    expect(() => detectTmdbFormat(header, 'movies.csv')).toThrow(TmdbInputError);
    expect(() => detectTmdbFormat(header, 'movies.csv')).toThrow(
      "movies.csv:1: unrecognised TMDB CSV header; closest format is 'movies_metadata', missing columns: imdb_id, belongs_to_collection",
    );
    expect(() => detectTmdbFormat(['tconst', 'titleType'], 'title.basics.tsv')).toThrow(/title\.basics\.tsv:1: .*missing columns: adult, budget/);
  });

  it('refuses a header with a repeated column', () => {
    expect(() => detectTmdbFormat([...FULL_HEADER, 'title'], 'a.csv')).toThrow("a.csv:1: duplicate column 'title' in header");
  });
});

describe('readTmdbCsv mapping', () => {
  it('maps a tmdb_full row', async () => {
    const [r] = await records(fullCsv({}));
    expect(r).toEqual<TmdbRecord>({
      imdbId: 'tt0113101', tmdbId: 5, title: 'Four Rooms', originalTitle: 'Four Rooms', originalLanguage: 'en',
      overview: 'Ted the Bellhop.', tagline: 'Twelve outrageous guests.', posterPath: '/poster.jpg', backdropPath: '/back.jpg',
      popularity: 18.734, budget: 4000000, revenue: 4257354, runtime: 98, releaseDate: '1995-12-09',
      productionCountries: ['US'], spokenLanguages: ['en'], genres: ['Crime', 'Comedy'],
      productionCompanies: ['Miramax', 'A Band Apart'], collectionId: null, collectionName: null,
      voteAverage: 5.8, voteCount: 2419,
    });
  });

  it('maps a movies_metadata row: dict lists, collection, floats written for integers', async () => {
    const [r] = await records(kaggleCsv({}));
    expect(r).toEqual<TmdbRecord>({
      imdbId: 'tt0114709', tmdbId: 862, title: 'Toy Story', originalTitle: 'Toy Story', originalLanguage: 'en',
      overview: "Led by Woody, Andy's toys...", tagline: null, posterPath: '/rhIRbceoE9lR4veEXuwCC2wARtG.jpg',
      backdropPath: null, popularity: 21.946943, budget: 30000000, revenue: 373554033, runtime: 81,
      releaseDate: '1995-10-30', productionCountries: ['US'], spokenLanguages: ['en'], genres: ['Animation', 'Comedy'],
      productionCompanies: ['Pixar Animation Studios'], collectionId: 10194, collectionName: 'Toy Story Collection',
      voteAverage: 7.7, voteCount: 5415,
    });
  });

  it('turns TMDB "unknown" conventions into null', async () => {
    const [r] = await records(
      fullCsv({
        budget: '0', revenue: '0', runtime: '0', vote_average: '0.0', vote_count: '0', tagline: '  ', poster_path: '',
        backdrop_path: 'not a path', release_date: '1995-02-30', original_language: 'english',
      }),
    );
    expect(r).toMatchObject({
      budget: null, revenue: null, runtime: null, voteAverage: null, voteCount: 0, tagline: null, posterPath: null,
      backdropPath: null, releaseDate: null, originalLanguage: null,
    });
    const [k] = await records(kaggleCsv({ belongs_to_collection: '', overview: 'No overview found.', release_date: '' }));
    expect(k).toMatchObject({ collectionId: null, collectionName: null, overview: null, releaseDate: null });
  });

  it('keeps a leap day and validates dates against the calendar', async () => {
    const rs = await records(fullCsv({ release_date: '2000-02-29' }, { release_date: '1900-02-29' }, { release_date: '1995-13-01' }));
    expect(rs.map((r) => r.releaseDate)).toEqual(['2000-02-29', null, null]);
  });

  it('trims, de-duplicates and drops empty list entries; empty list cells are empty lists', async () => {
    const [r] = await records(
      fullCsv({ production_countries: "['FR', 'US', 'FR']", genres: "['Drama', '', ' Drama ']", spoken_languages: '' }),
    );
    expect(r).toMatchObject({ productionCountries: ['FR', 'US'], genres: ['Drama'], spokenLanguages: [] });
  });

  it('yields both rows of a repeated imdb_id, in file order', async () => {
    const evs = await events(fullCsv({ title: 'First' }, { title: 'Second' }));
    expect(evs.map((e) => (e.kind === 'record' ? [e.line, e.record.imdbId, e.record.title] : e))).toEqual([
      [2, 'tt0113101', 'First'],
      [3, 'tt0113101', 'Second'],
    ]);
  });

  it('reports the line where a record starts, past quoted newlines', async () => {
    const evs = await events(kaggleCsv({ overview: 'one\ntwo\nthree' }, { imdb_id: 'tt0000002' }));
    expect(evs.map((e) => e.line)).toEqual([2, 5]);
  });
});

describe('readTmdbCsv rejected rows', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ['missing imdb_id', { imdb_id: '' }, /^missing imdb_id$/],
    ['malformed imdb_id', { imdb_id: '0114709' }, /^imdb_id: invalid "0114709"$/],
    ['short imdb_id', { imdb_id: 'tt123' }, /^imdb_id: invalid "tt123"$/],
    // Past the 2^31 ids IMDb numbers titles with; an unbounded one would overflow the key's index.
    ['imdb_id of 11 digits', { imdb_id: 'tt12345678901' }, /^imdb_id: invalid "tt12345678901"$/],
    ['title past the name limit', { title: 'x'.repeat(MAX_NAME_BYTES + 1) }, new RegExp(`^title: longer than ${MAX_NAME_BYTES} bytes$`)],
    ['original title past the name limit in bytes', { original_title: 'é'.repeat(MAX_NAME_BYTES / 2 + 1) }, /^original_title: longer than 1024 bytes$/],
    ['a company name past the name limit', { production_companies_name: `['Miramax', '${'y'.repeat(3000)}']` }, /^production_companies_name: longer than 1024 bytes$/],
    ['a genre past the name limit', { genres: `['${'z'.repeat(3000)}']` }, /^genres: longer than 1024 bytes$/],
    ['date in the budget column (Kaggle shifted row)', { budget: '1997-08-20' }, /^budget: not a number: "1997-08-20"$/],
    ['fractional runtime', { runtime: '81.5' }, /^runtime: not a whole number: "81.5"$/],
    ['negative revenue', { revenue: '-1' }, /^revenue: not a non-negative number: "-1"$/],
    ['vote average above 10', { vote_average: '77' }, /^vote_average: out of range 0-10/],
    ['text in adult', { adult: ' - Written by Ørnås' }, /^adult: expected True or False, found " - Written by Ørnås" \(columns shifted\?\)$/],
    ['unparseable genres', { genres: "['Drama', 'Comedy'" }, /^genres: unterminated list \(opened at offset 0\) at offset 18 in "\['Drama', 'Comedy'"$/],
    ['genres not a list', { genres: "'Drama'" }, /^genres: expected a list, found "'Drama'"$/],
    ['non-string in a list', { genres: "['Drama', 3]" }, /^genres\[1\]: expected a string$/],
    ['country name instead of a code', { production_countries: "['United States']" }, /^production_countries: invalid code "United States"$/],
  ])('tmdb_full: %s', async (_name, override, reason) => {
    const evs = await events(fullCsv({ imdb_id: 'tt0000001' }, override, { imdb_id: 'tt0000003' }));
    // The bad row is reported with its line and does not stop the rows after it.
    expect(evs.map((e) => [e.kind, e.line])).toEqual([
      ['record', 2],
      ['rejected', 3],
      ['record', 4],
    ]);
    expect((evs[1] as { reason: string }).reason).toMatch(reason);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['list of strings where dicts are expected', { genres: "['Animation']" }, /^genres\[0\]: expected a dict$/],
    ['dict without the code key', { production_countries: "[{'name': 'France'}]" }, /^production_countries\[0\]\.iso_3166_1: expected a string$/],
    ['collection that is not a dict', { belongs_to_collection: "['Toy Story']" }, /^belongs_to_collection: expected a dict/],
    ['collection with a bad id', { belongs_to_collection: "{'id': 'x', 'name': 'Y'}" }, /^belongs_to_collection\.id: expected a positive integer$/],
    ['date in the id column (Kaggle shifted row)', { id: '1997-08-20' }, /^id: not a number: "1997-08-20"$/],
  ])('movies_metadata: %s', async (_name, override, reason) => {
    const r = await rejection(kaggleCsv({ imdb_id: 'tt0000001' }, override));
    expect(r.line).toBe(3);
    expect(r.reason).toMatch(reason);
  });

  it('movies_metadata: rejects a collection name past the name limit', async () => {
    const r = await rejection(kaggleCsv({ belongs_to_collection: `{'id': 1, 'name': '${'c'.repeat(MAX_NAME_BYTES + 1)}'}` }));
    expect(r).toEqual({ line: 2, reason: `belongs_to_collection.name: longer than ${MAX_NAME_BYTES} bytes` });
  });

  it('cuts an overview and a tagline past the free-text limit, keeping the row', async () => {
    const [long] = await records(fullCsv({ overview: `Ted the Bellhop. ${'o'.repeat(100_000)}`, tagline: '😀'.repeat(MAX_FREE_TEXT_CHARS) }));
    expect(long!.overview).toHaveLength(MAX_FREE_TEXT_CHARS);
    expect(long!.overview).toMatch(/^Ted the Bellhop\. o+…$/);
    expect(long!.tagline!.length).toBeLessThanOrEqual(MAX_FREE_TEXT_CHARS);
    expect(long!.tagline).toMatch(/^(😀)+…$/u);
    const [name] = await records(fullCsv({ title: 'é'.repeat(MAX_NAME_BYTES / 2) }));
    expect(name!.title).toBe('é'.repeat(MAX_NAME_BYTES / 2));
  });

  it('rejects a row with the wrong number of fields', async () => {
    const text = fullCsv({}) + 'False,/x.jpg,0\n';
    const r = await rejection(text);
    expect(r).toEqual({ line: 3, reason: 'expected 25 fields as in the header, found 3' });
  });

  it('rejects a row that breaks CSV quoting', async () => {
    const good = fullCsv({});
    const bad = good.split('\n')[1]!.replace('Four Rooms', 'Four "Rooms');
    const r = await rejection(good + bad + '\n');
    expect(r.line).toBe(3);
    expect(r.reason).toMatch(/^malformed CSV: stray '"' inside unquoted field 9 at line 3$/);
  });
});

describe('readTmdbCsv file errors', () => {
  it('throws "empty file (no header)" for an empty or blank file', async () => {
    for (const text of ['', '\uFEFF', '\n\n']) {
      const e = await thrown(text, 'empty.csv');
      expect(e).toBeInstanceOf(TmdbInputError);
      expect((e as Error).message).toBe('empty.csv:1: empty file (no header)');
    }
  });

  it('yields nothing for a header-only file', async () => {
    expect(await events(csvLine(FULL_HEADER))).toEqual([]);
  });

  it('throws on an unknown header before reading rows', async () => {
    const e = await thrown('tconst,primaryTitle\ntt1,x\n', 'links.csv');
    expect(e).toBeInstanceOf(TmdbInputError);
    expect((e as Error).message).toMatch(/^links\.csv:1: unrecognised TMDB CSV header; closest format is 'tmdb_full', missing columns: adult,/);
  });

  it('propagates encoding errors with the file and line', async () => {
    const text = Buffer.concat([Buffer.from(fullCsv({}, {})), Buffer.from([0x41, 0xc3, 0x28, 0x0a])]);
    const e = await thrown(text, 'latin1.csv');
    expect(e).toBeInstanceOf(TmdbInputError);
    expect((e as Error).message).toBe('latin1.csv:4: invalid UTF-8 byte 0xc3 (the file must be UTF-8 encoded)');
  });
});

const SAMPLES = samplePath('tmdb');
const haveSamples = fs.existsSync(SAMPLES);
if (!haveSamples) {
  console.warn(`tmdb-record.spec: ${SAMPLES} not found, real-sample tests are skipped (set SHARED_DATA_DIR)`);
}
const maybe = haveSamples ? describe : describe.skip;

maybe('readTmdbCsv on the real samples (facts from shared/data/SOURCES.md section 2)', () => {
  /** A real fs stream by default; with chunkSize, slices of the file in memory (a 1-byte fs stream spends its time in syscalls). */
  async function readSample(name: string, chunkSize?: number): Promise<TmdbReadEvent[]> {
    const file = path.join(SAMPLES, name);
    return chunkSize === undefined ? readAll(fs.createReadStream(file), name) : readChunked(fs.readFileSync(file), name, chunkSize);
  }

  async function readAll(input: AsyncIterable<Buffer>, name: string): Promise<TmdbReadEvent[]> {
    const out: TmdbReadEvent[] = [];
    for await (const ev of readTmdbCsv(input, name)) out.push(ev);
    return out;
  }

  /** `bytes` read in slices of `chunkSize`. */
  function readChunked(bytes: Buffer, name: string, chunkSize: number): Promise<TmdbReadEvent[]> {
    async function* slices(): AsyncGenerator<Buffer> {
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
    }
    return readAll(slices(), name);
  }

  function summary(evs: TmdbReadEvent[]) {
    const recs = evs.flatMap((e) => (e.kind === 'record' ? [e.record] : []));
    return {
      records: recs.length,
      rejected: evs.filter((e) => e.kind === 'rejected').length,
      distinctImdbIds: new Set(recs.map((r) => r.imdbId)).size,
      withPoster: recs.filter((r) => r.posterPath !== null).length,
      withBudget: recs.filter((r) => r.budget !== null).length,
      withRevenue: recs.filter((r) => r.revenue !== null).length,
      withFrance: recs.filter((r) => r.productionCountries.includes('FR')).length,
    };
  }

  it('tmdb_full.csv: 100 rows, 99 posters, budget 77, revenue 79, 13 French', async () => {
    const evs = await readSample('tmdb_full.csv');
    expect(summary(evs)).toEqual({
      records: 100, rejected: 0, distinctImdbIds: 100, withPoster: 99, withBudget: 77, withRevenue: 79, withFrance: 13,
    });
    // No embedded newlines in this file, so record n starts on line n + 1.
    expect(evs.map((e) => e.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 2));
  });

  it('movies_metadata_small.csv: 1000 rows, 995 posters, budget 421, revenue 435, 96 French', async () => {
    const evs = await readSample('movies_metadata_small.csv');
    expect(summary(evs)).toEqual({
      records: 1000, rejected: 0, distinctImdbIds: 1000, withPoster: 995, withBudget: 421, withRevenue: 435, withFrance: 96,
    });
    // Independent of the parser: each French row holds exactly one FR dict in the raw text.
    const raw = fs.readFileSync(path.join(SAMPLES, 'movies_metadata_small.csv'), 'utf8');
    expect(raw.split("{'iso_3166_1': 'FR'").length - 1).toBe(96);
    // 1,002 physical lines: the one quoted newline pushes every later record down by one.
    const physicalLines = raw.split('\n').length - 1;
    expect(physicalLines).toBe(1002);
    expect(evs.at(-1)!.line).toBe(physicalLines);
    const gaps = evs.slice(1).map((e, i) => e.line - evs[i]!.line);
    expect(gaps.filter((g) => g !== 1)).toEqual([2]);
    const multiLine = evs[gaps.indexOf(2)]!;
    expect(multiLine.kind === 'record' && multiLine.record.overview).toContain('\n');
  });

  it('movies_metadata_small.csv: Toy Story', async () => {
    const evs = await readSample('movies_metadata_small.csv');
    const toyStory = evs.find((e) => e.kind === 'record' && e.record.imdbId === 'tt0114709');
    expect(toyStory).toMatchObject({
      kind: 'record',
      line: 2,
      record: {
        tmdbId: 862, title: 'Toy Story', collectionId: 10194, collectionName: 'Toy Story Collection',
        budget: 30000000, revenue: 373554033, runtime: 81, voteCount: 5415, genres: ['Animation', 'Comedy', 'Family'],
      },
    });
  });

  it('gives identical results when the files are streamed in tiny chunks', async () => {
    // tmdb_full.csv whole, at every chunk size.
    const full = await readSample('tmdb_full.csv');
    for (const size of [1, 3, 7]) expect(await readSample('tmdb_full.csv', size)).toEqual(full);
    // movies_metadata_small.csv: its first 200 lines at every chunk size (they hold its quoted
    // newline and accented text split across chunks; 1-byte chunks through all 825 kB took most of
    // this suite's time for the same boundaries), and the whole file in 61-byte chunks.
    const name = 'movies_metadata_small.csv';
    const expected = await readSample(name);
    const bytes = fs.readFileSync(path.join(SAMPLES, name));
    let cut = 0;
    for (let line = 0; line < 200; line++) cut = bytes.indexOf(0x0a, cut) + 1;
    const head = bytes.subarray(0, cut);
    const headEvents = await readChunked(head, name, head.length);
    expect(headEvents.length).toBeGreaterThan(150);
    expect(headEvents).toEqual(expected.slice(0, headEvents.length));
    expect(headEvents.some((e) => e.kind === 'record' && e.record.overview?.includes('\n'))).toBe(true);
    expect(head.some((b) => b >= 0x80)).toBe(true);
    for (const size of [1, 3, 7]) expect(await readChunked(head, name, size)).toEqual(headEvents);
    expect(await readSample(name, 61)).toEqual(expected);
  });
});
