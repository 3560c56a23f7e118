import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * An independent reading of IMDb sample files for the tests: whole-file gunzip and split, nothing
 * shared with the ETL's streaming reader, written from the format description and the policy's
 * documented rules. The ETL must agree with it.
 */
export function readRaw(folder: string, dataset: string): string[][] | null {
  const file = join(folder, `${dataset}.tsv.gz`);
  if (!existsSync(file)) return null;
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(1).map((l) => l.split('\t'));
}

/** Later folders win, per key: for files with several rows per key, all rows of the latest folder holding the key. */
function merged(folders: string[], dataset: string, key: (row: string[]) => string): Map<string, string[][]> {
  const result = new Map<string, string[][]>();
  for (const folder of folders) {
    const rows = readRaw(folder, dataset);
    if (!rows) continue;
    const here = new Map<string, string[][]>();
    for (const row of rows) {
      const k = key(row);
      if (!here.has(k)) here.set(k, []);
      here.get(k)!.push(row);
    }
    for (const [k, v] of here) result.set(k, v);
  }
  return result;
}

export interface ExpectedCatalogue {
  title: number;
  movies: number;
  series: number;
  title_aka: number;
  credit: number;
  crew: number;
  person: number;
  episodes: number;
  frenchTitles: number;
  basicsRows: number;
  dangling: { creditPeople: number; crewPeople: number };
}

/** The titles the policy `--min-votes 0` keeps (default runtime 40–360, no adult titles), as movie or series. */
export function keptTitles(folders: string[]): { kept: Map<string, 'movie' | 'series'>; basicsRows: number } {
  const basics = merged(folders, 'title.basics', (r) => r[0]!);
  const kept = new Map<string, 'movie' | 'series'>();
  let basicsRows = 0;
  for (const rows of basics.values()) {
    const [tconst, type, , , adult, , , runtime] = rows[0]!;
    basicsRows++;
    if (adult !== '0') continue;
    if (type === 'tvSeries' || type === 'tvMiniSeries') kept.set(tconst!, 'series');
    else if (type === 'movie' && (runtime === '\\N' || (Number(runtime) >= 40 && Number(runtime) <= 360))) kept.set(tconst!, 'movie');
  }
  return { kept, basicsRows };
}

/** Expected counts for the policy `--min-votes 0` (default runtime 40–360, no adult titles). */
export function expectedCatalogue(folders: string[]): ExpectedCatalogue {
  const { kept, basicsRows } = keptTitles(folders);
  const akas = [...merged(folders, 'title.akas', (r) => r[0]!).entries()]
    .filter(([t]) => kept.has(t))
    .flatMap(([, rows]) => rows)
    .filter((r) => r[3] === 'FR' || r[4] === 'fr');
  const frenchTitles = new Set(akas.filter((r) => !/(^|\x02)(working|festival)(\x02|$)/.test(r[5]!)).map((r) => r[0])).size;
  const principals = [...merged(folders, 'title.principals', (r) => r[0]!).entries()].filter(([t]) => kept.has(t)).flatMap(([, rows]) => rows);
  const crewRows = [...merged(folders, 'title.crew', (r) => r[0]!).entries()].filter(([t]) => kept.has(t)).flatMap(([, rows]) => rows);
  const people = new Set(principals.map((r) => r[2]!));
  const crewPeople: string[] = [];
  for (const [, directors, writers] of crewRows) {
    for (const list of [directors, writers]) {
      if (list === '\\N') continue;
      for (const n of list!.split(',')) {
        people.add(n);
        crewPeople.push(n);
      }
    }
  }
  const crew = crewPeople.length;
  const names = merged(folders, 'name.basics', (r) => r[0]!);
  const dangling = {
    creditPeople: principals.filter((r) => !names.has(r[2]!)).length,
    crewPeople: crewPeople.filter((n) => !names.has(n)).length,
  };
  const person = [...names.keys()].filter((n) => people.has(n)).length;
  const episodes = [...merged(folders, 'title.episode', (r) => r[0]!).values()].filter((rows) => kept.get(rows[0]![1]!) === 'series').length;
  const values = [...kept.values()];
  return {
    title: kept.size,
    movies: values.filter((v) => v === 'movie').length,
    series: values.filter((v) => v === 'series').length,
    title_aka: akas.length,
    credit: principals.length,
    crew,
    person,
    episodes,
    frenchTitles,
    basicsRows,
    dangling,
  };
}
