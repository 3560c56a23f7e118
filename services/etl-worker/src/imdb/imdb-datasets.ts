import type { IMDB_DATASET_NAMES } from '@cine/common';

/** The seven official IMDb datasets, with the exact headers the ETL accepts. */
export const IMDB_DATASETS = {
  'title.basics': ['tconst', 'titleType', 'primaryTitle', 'originalTitle', 'isAdult', 'startYear', 'endYear', 'runtimeMinutes', 'genres'],
  'title.akas': ['titleId', 'ordering', 'title', 'region', 'language', 'types', 'attributes', 'isOriginalTitle'],
  'title.crew': ['tconst', 'directors', 'writers'],
  'title.episode': ['tconst', 'parentTconst', 'seasonNumber', 'episodeNumber'],
  'title.principals': ['tconst', 'ordering', 'nconst', 'category', 'job', 'characters'],
  'title.ratings': ['tconst', 'averageRating', 'numVotes'],
  'name.basics': ['nconst', 'primaryName', 'birthYear', 'deathYear', 'primaryProfession', 'knownForTitles'],
} as const satisfies Record<string, readonly string[]>;

export type ImdbDataset = keyof typeof IMDB_DATASETS;

// The contract's list of dataset names and this table name the same seven datasets.
const sameNames: [ImdbDataset] extends [(typeof IMDB_DATASET_NAMES)[number]] ? ([(typeof IMDB_DATASET_NAMES)[number]] extends [ImdbDataset] ? true : never) : never = true;
void sameNames;

export const REQUIRED_DATASETS: readonly ImdbDataset[] = ['title.basics'];

export function datasetFileName(dataset: ImdbDataset): string {
  return `${dataset}.tsv.gz`;
}

/** Bad input: the run cannot succeed by retrying (BullMQ's UnrecoverableError). */
export class ImdbInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImdbInputError';
  }
}
