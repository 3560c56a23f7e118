import { writeFile } from 'node:fs/promises';
import type { DbHandle } from '@cine/db';

/**
 * The generator makes IMDb files only, so the bench writes a TMDB file in the `tmdb_full` format
 * for part of the imported films (deterministic: derived from the tconst), so that the money
 * panels read as many rows as a real TMDB export would give them.
 */
const HEADER = [
  'adult', 'backdrop_path', 'budget', 'genres', 'homepage', 'id', 'imdb_id', 'original_language', 'original_title', 'overview',
  'popularity', 'poster_path', 'production_countries', 'release_date', 'revenue', 'runtime', 'spoken_languages', 'status',
  'tagline', 'title', 'video', 'vote_average', 'vote_count', 'production_companies_name', 'production_companies_country',
];
const COUNTRIES = [['US'], ['FR'], ['GB'], ['US', 'FR'], ['DE'], ['IT'], ['JP'], ['US']];
const LANGUAGES = ['en', 'fr', 'en', 'de', 'it', 'ja', 'en', 'en'];

const csv = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const pyList = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;

export async function writeSyntheticTmdb(handle: DbHandle, file: string, share = 0.4): Promise<number> {
  const films = await handle.db.selectFrom('title').select(['tconst', 'primary_title', 'start_year', 'genres', 'runtime_minutes']).where('title_type', '=', 'movie').execute();
  const lines = [HEADER.join(',')];
  let id = 0;
  for (const f of films) {
    const n = Number(f.tconst.slice(2));
    // A cheap integer hash: spreads consecutive ids over every bucket below.
    const h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
    if (h % 1000 >= share * 1000) continue;
    const k = h % COUNTRIES.length;
    const budget = h % 3 === 0 ? 0 : 100_000 * (1 + (h % 2000));
    const revenue = h % 4 === 0 ? 0 : Math.round(budget * ((h >>> 8) % 50) / 10) || 0;
    const year = f.start_year ?? 2000;
    lines.push(
      [
        'False', '', String(budget), pyList(f.genres), '', String(++id), f.tconst, LANGUAGES[k]!, f.primary_title, '', '1.0', '',
        pyList(COUNTRIES[k]!), `${year}-01-01`, String(revenue), String(f.runtime_minutes ?? 0), pyList([LANGUAGES[k]!]), 'Released',
        '', f.primary_title, 'False', '6.5', '10', '[]', '[]',
      ]
        .map(csv)
        .join(','),
    );
  }
  await writeFile(file, `${lines.join('\n')}\n`);
  return lines.length - 1;
}
