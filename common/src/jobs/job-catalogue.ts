import { createHash } from 'node:crypto';

/**
 * The typed job catalogue: every job the system runs, with its payload.
 *
 * Producers (the ETL command line, the gateway's admin routes) and the worker share it, so a
 * payload mismatch is a compile error, and the worker refuses to start if a name has no handler.
 */
export const ETL_QUEUE = 'etl';

export enum JobName {
  /**
   * One import run: the IMDb files and/or the TMDB files are staged, checked, then swapped in
   * together in one transaction, or nothing changes. One job, so one lock and one swap.
   */
  ImportCatalogue = 'import-catalogue',
  /** Runs after a successful import: the embedding build and the KPI refresh hook here. */
  PostImport = 'post-import',
}

/** The seven official IMDb datasets (files `<name>.tsv.gz`): the import's progress names them. */
export const IMDB_DATASET_NAMES = ['title.basics', 'title.akas', 'title.crew', 'title.episode', 'title.principals', 'title.ratings', 'name.basics'] as const;

/** Per-run overrides of the ETL filter policy (see services/etl-worker/src/imdb/filter-policy.ts). */
export interface FilterPolicyOverrides {
  movieMinVotes?: number;
  seriesMinVotes?: number;
  minRuntime?: number;
  maxRuntime?: number;
  includeAdult?: boolean;
  maxRejectShare?: number;
}

export interface ImportImdbPayload {
  /** Folders or base URLs, merged in order: for an id present twice the later source wins. */
  sources: string[];
  policy: FilterPolicyOverrides;
}

export interface ImportTmdbPayload {
  /** CSV files or URLs, merged in order: for an imdb_id present twice the later file wins. */
  sources: string[];
  maxRejectShare?: number;
}

export interface ImportCataloguePayload {
  imdb?: ImportImdbPayload;
  tmdb?: ImportTmdbPayload;
  /**
   * Accept a new catalogue much smaller than the one served (by default one under half of it is
   * refused: a truncated but valid download must not empty the cinema's catalogue).
   */
  allowShrink?: boolean;
}

export interface PostImportPayload {
  reason: string;
}

export interface JobPayloads {
  [JobName.ImportCatalogue]: ImportCataloguePayload;
  [JobName.PostImport]: PostImportPayload;
}

export type JobOf<N extends JobName = JobName> = { [K in N]: { name: K; data: JobPayloads[K] } }[N];

/** What an import reports while it runs (BullMQ `job.updateProgress`, the console, the page). */
export interface ImportProgress {
  phase: string;
  file: string | null;
  fileIndex: number;
  fileCount: number;
  bytesRead: number;
  bytesTotal: number | null;
  rowsRead: number;
  rowsKept: number;
}

/**
 * Deterministic job ids make a double submission of the same import one job, not two.
 * BullMQ forbids ':' in custom ids; a hex digest never contains one.
 */
export function deterministicJobId(name: JobName, data: unknown, nonce = ''): string {
  const digest = createHash('sha256').update(canonicalJson(data)).update(nonce).digest('hex');
  return `${name}-${digest.slice(0, 24)}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Work that must follow every successful import. Features register here (refreshing the KPI
 * views, rebuilding the recommender's embeddings) instead of being called by the importers, so
 * an import stays one thing and each hook runs, fails and retries as part of one job. Declared
 * here so the packages that provide hooks need not depend on the ETL worker.
 */
export interface PostImportHook {
  readonly name: string;
  run(log: import('../logger').Logger): Promise<void>;
}
