import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { samplePath } from '@cine/etl-worker/testing/sample-path';

/**
 * An independent reading of the sample files for the KPI tests: whole-file gunzip and split, a
 * tiny CSV reader, and the catalogue rules written from their documentation (README "What the
 * import keeps"), sharing nothing with the ETL or with the KPI SQL.
 *
 * Rules applied, as `SAMPLE_POLICY` sets them: films are `movie` titles with a runtime of 40–360
 * minutes or unknown, series are `tvSeries`/`tvMiniSeries`, adult titles are dropped, no vote
 * threshold. Several folders merge with "the later folder wins" per title (or per person); for
 * files with several rows per title, all rows of the latest folder holding that title.
 */
export const FIXTURES_AVAILABLE = existsSync(samplePath('imdb', 'head-50k', 'title.basics.tsv.gz'));

export interface FixtureTitle {
  tconst: string;
  type: string;
  kind: 'film' | 'series';
  startYear: number | null;
  runtime: number | null;
  genres: string[];
  rating: number | null;
  votes: number;
}

export interface FixtureCredit {
  tconst: string;
  nconst: string;
  category: string;
}

export interface FixturePerson {
  name: string;
  birthYear: number | null;
}

export interface FixtureTmdb {
  budget: number | null;
  revenue: number | null;
  countries: string[];
  language: string | null;
}

export interface FixtureCatalogue {
  titles: Map<string, FixtureTitle>;
  credits: FixtureCredit[];
  people: Map<string, FixturePerson>;
  tmdb: Map<string, FixtureTmdb>;
}

const NULL = '\\N';

function tsv(folder: string, dataset: string): string[][] {
  const file = samplePath('imdb', folder, `${dataset}.tsv.gz`);
  if (!existsSync(file)) return [];
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(1).map((l) => l.split('\t'));
}

function latestWins(folders: readonly string[], dataset: string): Map<string, string[][]> {
  const result = new Map<string, string[][]>();
  for (const folder of folders) {
    const here = new Map<string, string[][]>();
    for (const row of tsv(folder, dataset)) {
      const rows = here.get(row[0]!) ?? [];
      rows.push(row);
      here.set(row[0]!, rows);
    }
    for (const [key, rows] of here) result.set(key, rows);
  }
  return result;
}

const int = (v: string | undefined): number | null => (v === undefined || v === NULL ? null : Number(v));

/** RFC 4180 records: quoted fields, doubled quotes, newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else if (ch !== '\r') field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** TMDB: 0 means unknown; countries as `['US']` (tmdb_full) or `[{'iso_3166_1': 'US', …}]` (Kaggle). */
function readTmdb(files: readonly string[]): Map<string, FixtureTmdb> {
  const out = new Map<string, FixtureTmdb>();
  for (const file of files) {
    const [header, ...rows] = parseCsv(readFileSync(samplePath('tmdb', file), 'utf8'));
    const at = (name: string) => header!.indexOf(name);
    const [imdb, budget, revenue, countries, language] = ['imdb_id', 'budget', 'revenue', 'production_countries', 'original_language'].map(at);
    for (const row of rows) {
      const money = (v: string | undefined) => (v === undefined || v.trim() === '' || Number(v) === 0 ? null : Number(v));
      const raw = row[countries!] ?? '';
      const codes = [...raw.matchAll(raw.includes('iso_3166_1') ? /'iso_3166_1': '([A-Z]{2})'/g : /'([A-Z]{2})'/g)].map((m) => m[1]!);
      const lang = (row[language!] ?? '').trim();
      out.set(row[imdb!]!.trim(), {
        budget: money(row[budget!]),
        revenue: money(row[revenue!]),
        countries: [...new Set(codes)],
        language: /^[a-z]{2}$/.test(lang) ? lang : null,
      });
    }
  }
  return out;
}

export function readFixtureCatalogue(imdbFolders: readonly string[], tmdbFiles: readonly string[]): FixtureCatalogue {
  const ratings = latestWins(imdbFolders, 'title.ratings');
  const titles = new Map<string, FixtureTitle>();
  for (const [tconst, rows] of latestWins(imdbFolders, 'title.basics')) {
    const [, type, , , adult, start, , runtime, genres] = rows[0]!;
    if (adult !== '0') continue;
    const runtimeMinutes = int(runtime);
    let kind: 'film' | 'series';
    if (type === 'tvSeries' || type === 'tvMiniSeries') kind = 'series';
    else if (type === 'movie' && (runtimeMinutes === null || (runtimeMinutes >= 40 && runtimeMinutes <= 360))) kind = 'film';
    else continue;
    const rating = ratings.get(tconst)?.[0];
    titles.set(tconst, {
      tconst,
      type: type!,
      kind,
      startYear: int(start),
      runtime: runtimeMinutes,
      genres: genres === NULL || genres === undefined || genres === '' ? [] : genres.split(','),
      rating: rating ? Number(rating[1]) : null,
      votes: rating ? Number(rating[2]) : 0,
    });
  }
  const credits: FixtureCredit[] = [];
  for (const [tconst, rows] of latestWins(imdbFolders, 'title.principals')) {
    if (!titles.has(tconst)) continue;
    for (const row of rows) credits.push({ tconst, nconst: row[2]!, category: row[3]! });
  }
  const people = new Map<string, FixturePerson>();
  for (const [nconst, rows] of latestWins(imdbFolders, 'name.basics')) {
    people.set(nconst, { name: rows[0]![1]!, birthYear: int(rows[0]![2]) });
  }
  return { titles, credits, people, tmdb: readTmdb(tmdbFiles) };
}
