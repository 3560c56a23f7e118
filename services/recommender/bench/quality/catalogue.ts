import { join } from 'node:path';
import { createLogger } from '@cine/common';
import type { DbHandle } from '@cine/db';
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { createEtlServices } from '@cine/etl-worker';
import { sql } from 'kysely';
import type { Embeddings } from '../../src/embedding/compute-embeddings';
import type { FilmRow, PersonLink } from '../../src/embedding/film-row';
import type { EmbeddingVersion } from '../../src/embedding/version';
import { type TmdbFacts, type VoteScale, writeDerivedImdb } from './derive-imdb';

const say = (msg: string) => process.stderr.write(`${msg}\n`);

/** A throwaway database: a fresh one on the PostgreSQL server when there is one, else PGlite. */
export async function openScratch(): Promise<TestDatabase> {
  try {
    return await createTestDatabase();
  } catch (err) {
    say(`no PostgreSQL server (${(err as Error).message}); using the embedded PGlite`);
    return createEmbeddedTestDatabase();
  }
}

export interface ImportedCatalogue {
  derived: number;
  scale: VoteScale | null;
}

/** Films both sources rate: the least for a vote-scale fit worth using. */
const MIN_FIT_FILMS = 20;

export async function importCatalogue(handle: DbHandle, imdb: string[], tmdb: string[], mlTconsts: string[], minVotes: number, scratch: string): Promise<ImportedCatalogue> {
  const etl = createEtlServices(handle, { log: createLogger('etl', { level: 'warn', stderr: true }), http: { attempts: 2, retryDelayMs: 100, connectTimeoutMs: 5000 } });
  const policy = { movieMinVotes: minVotes, seriesMinVotes: minVotes };
  await etl.importer.run({ imdb: { sources: imdb, policy }, ...(tmdb.length > 0 ? { tmdb: { sources: tmdb } } : {}) });
  // MovieLens films TMDB describes but the IMDb folders lack: derive their IMDb rows.
  const { rows } = await sql<TmdbFacts>`
    SELECT tm.imdb_id AS tconst, tm.title, tm.original_title AS "originalTitle", tm.release_date::text AS "releaseDate",
           tm.runtime, tm.genres, tm.vote_average AS "voteAverage", tm.vote_count AS "voteCount"
    FROM title_tmdb tm
    WHERE tm.imdb_id = ANY(${mlTconsts}::text[]) AND NOT EXISTS (SELECT 1 FROM title t WHERE t.tconst = tm.imdb_id)
    ORDER BY tm.imdb_id`.execute(handle.db);
  let scale: VoteScale | null = null;
  if (rows.length > 0) {
    const fit = await sql<{ films: number; slope: number | null; intercept: number | null; r: number | null }>`
      SELECT count(*)::int AS films, regr_slope(ln(t.num_votes), ln(tm.vote_count + 1)) AS slope,
             regr_intercept(ln(t.num_votes), ln(tm.vote_count + 1)) AS intercept, corr(ln(t.num_votes), ln(tm.vote_count + 1)) AS r
      FROM title t JOIN title_tmdb tm ON tm.imdb_id = t.tconst
      WHERE t.title_type = 'movie' AND t.num_votes > 0 AND tm.vote_count > 0`.execute(handle.db);
    const f = fit.rows[0];
    if (f && f.films >= MIN_FIT_FILMS && f.slope !== null && f.intercept !== null && f.r !== null) {
      scale = { films: f.films, slope: Number(f.slope), intercept: Number(f.intercept), r: Number(f.r) };
    }
    const derived = join(scratch, 'derived-imdb');
    writeDerivedImdb(derived, rows, scale);
    // Derived first: where a real IMDb row exists it wins (the later source wins in the ETL).
    await etl.importer.imdb({ sources: [derived, ...imdb], policy });
  }
  return { derived: rows.length, scale };
}

/** The version restricted to the films MovieLens can judge: the evaluation catalogue. */
export function restrict(version: EmbeddingVersion, keep: (tconst: string) => boolean): EmbeddingVersion {
  const rows = version.items.flatMap((item, row) => (keep(item.tconst) ? [row] : []));
  const vectors = new Float32Array(rows.length * version.dims);
  rows.forEach((row, i) => vectors.set(version.vectors.subarray(row * version.dims, (row + 1) * version.dims), i * version.dims));
  return { ...version, items: rows.map((r) => version.items[r]!), vectors };
}

/**
 * A build computed in memory (an ablation) as a version of the evaluation catalogue. Its stats
 * carry the block layout, without which the service would normalise the profile as one block and
 * the variant would be measured with another ranking than the build it stands for.
 */
export function restrictBuild(e: Embeddings, keep: (tconst: string) => boolean): EmbeddingVersion {
  return restrict({ id: 0, dims: e.dims, items: e.items, vectors: e.vectors, encoder: null, createdAt: new Date(), stats: e.stats }, keep);
}

/**
 * The thin-features ablation (issue 17, point 6): the catalogue's films as a catalogue without
 * cast, writers, overview, production countries or collections would give them — directors,
 * genres, year, runtime, rating, votes and language stay. What a cinema whose only source is a
 * thin export would build from; the harness's `--thin` builds, tunes and reports on it.
 */
export function thinFeatures(films: readonly FilmRow[], people: readonly PersonLink[]): { films: FilmRow[]; people: PersonLink[] } {
  return {
    films: films.map((f) => ({ ...f, overview: null, countries: [], collection: null })),
    people: people.filter((p) => p.role === 'director'),
  };
}
