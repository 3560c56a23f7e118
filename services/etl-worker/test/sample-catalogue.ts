import type { DbHandle } from '@cine/db';
import { etlFor, SAMPLE_POLICY } from './etl-harness';
import { IMDB, TMDB } from './samples';

/** Every IMDb sample folder, in the order later-wins merging expects (most complete last). */
export const SAMPLE_IMDB_FOLDERS = ['year-2022', 'subset-2000-movies', 'head-50k', 'famous-40'] as const;
export const SAMPLE_TMDB_FILES = ['movies_metadata_small.csv', 'tmdb_full.csv'] as const;

/**
 * The catalogue the services' tests run on: every real sample of `../shared/data` through the
 * real ETL (no vote threshold, since the samples are small), TMDB metadata included. Shared so
 * the recommender, gateway and KPI tests all see the same films.
 */
export async function importSampleCatalogue(handle: DbHandle): Promise<void> {
  const etl = etlFor(handle);
  await etl.importer.run({ imdb: { sources: SAMPLE_IMDB_FOLDERS.map((f) => IMDB(f)), policy: SAMPLE_POLICY }, tmdb: { sources: SAMPLE_TMDB_FILES.map((f) => TMDB(f)) } });
}
