import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A TMDB record reduced to what an IMDb title.basics + title.ratings row can hold. */
export interface TmdbFacts {
  tconst: string;
  title: string | null;
  originalTitle: string | null;
  releaseDate: string | null;
  runtime: number | null;
  genres: string[];
  voteAverage: number | null;
  voteCount: number | null;
}

const TMDB_TO_IMDB_GENRE: Record<string, string> = { 'Science Fiction': 'Sci-Fi', 'TV Movie': '', Foreign: '', Music: 'Music' };

const clean = (s: string) => s.replace(/[\t\r\n\\]/g, ' ');

/**
 * TMDB vote counts are about a hundredth of IMDb's. Fitted in log space on the films that have
 * both, the map puts derived films on the IMDb scale, so that a derived 1995 hit and an IMDb
 * classic compare as they would in a real IMDb catalogue.
 */
export interface VoteScale {
  /** ln(imdb votes) = intercept + slope · ln(tmdb votes + 1) */
  intercept: number;
  slope: number;
  films: number;
  r: number;
}

/**
 * Writes IMDb-format files (title.basics, title.ratings) for films MovieLens rates and TMDB
 * describes but the IMDb folders lack, so the real ETL imports them like any other title.
 */
export function writeDerivedImdb(dir: string, films: readonly TmdbFacts[], scale: VoteScale | null): void {
  mkdirSync(dir, { recursive: true });
  const basics = ['tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres'];
  const ratings = ['tconst\taverageRating\tnumVotes'];
  for (const f of films) {
    const title = clean(f.title ?? f.originalTitle ?? f.tconst);
    const year = f.releaseDate ? f.releaseDate.slice(0, 4) : '\\N';
    const genres = f.genres.map((g) => TMDB_TO_IMDB_GENRE[g] ?? g).filter((g) => g !== '').slice(0, 3);
    basics.push([f.tconst, 'movie', title, clean(f.originalTitle ?? title), '0', year, '\\N', f.runtime && f.runtime > 0 ? String(f.runtime) : '\\N', genres.length ? genres.join(',') : '\\N'].join('\t'));
    if (f.voteAverage === null || !f.voteCount) continue;
    const votes = scale ? Math.exp(scale.intercept + scale.slope * Math.log(f.voteCount + 1)) : f.voteCount;
    ratings.push(`${f.tconst}\t${f.voteAverage.toFixed(1)}\t${Math.max(1, Math.round(votes))}`);
  }
  writeFileSync(join(dir, 'title.basics.tsv.gz'), gzipSync(`${basics.join('\n')}\n`));
  writeFileSync(join(dir, 'title.ratings.tsv.gz'), gzipSync(`${ratings.join('\n')}\n`));
}
