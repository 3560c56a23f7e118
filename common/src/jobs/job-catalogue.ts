import { createHash } from 'node:crypto';

/**
 * The typed job catalogue: every job the system runs, with its payload and the queue (so the
 * consumer) it goes to.
 *
 * Producers (the gateway's admin routes, the ETL command line, the first-import one-shot) and
 * the consumers share it, so a payload mismatch is a compile error, and a consumer refuses to
 * start if a job of its queue has no handler.
 */
export enum QueueName {
  /** The etl-worker: imports, the KPI refresh, the bookkeeping after an import. */
  Etl = 'etl',
  /** The recommender's build worker: one embedding build at a time. */
  Embeddings = 'embeddings',
  /** The notifier: confirmation emails, matching the programme, alerts, digests, retention. */
  Notify = 'notify',
}

/** @deprecated name kept for the ETL's queue: QueueName.Etl. */
export const ETL_QUEUE = QueueName.Etl;

export enum JobName {
  /**
   * One import run: the IMDb files and/or the TMDB files are staged, checked, then swapped in
   * together in one transaction, or nothing changes. One job, so one lock and one swap.
   */
  ImportCatalogue = 'import-catalogue',
  /** After a swap: the recommender builds a new embedding version from the catalogue served. */
  BuildEmbeddings = 'build-embeddings',
  /** After the embeddings: the KPI materialized views are refreshed. */
  RefreshKpis = 'refresh-kpis',
  /** Last: records how the steps after the swap went (catalogue_state.post_import_status). */
  PostImport = 'post-import',
  /** A double opt-in email for one pending subscriber (the subscribe route answers at once). */
  SendConfirmation = 'send-confirmation',
  /** The owner published or changed séances: every subscriber's taste against the period's films; alerts go out. */
  MatchProgramme = 'match-programme',
  /** A séance was cancelled: a notice to those it was announced to, nothing else. */
  ScreeningCancelled = 'screening-cancelled',
  /** The week's digest for every subscriber who wants one (the weekly job scheduler, or the owner). */
  SendDigests = 'send-digests',
  /** Daily: unconfirmed addresses older than 7 days, inactive subscribers after 3 years, expired tokens. */
  NotifierRetention = 'notifier-retention',
}

/** Which queue, so which service, runs each job. */
export const JOB_QUEUE = {
  [JobName.ImportCatalogue]: QueueName.Etl,
  [JobName.BuildEmbeddings]: QueueName.Embeddings,
  [JobName.RefreshKpis]: QueueName.Etl,
  [JobName.PostImport]: QueueName.Etl,
  [JobName.SendConfirmation]: QueueName.Notify,
  [JobName.MatchProgramme]: QueueName.Notify,
  [JobName.ScreeningCancelled]: QueueName.Notify,
  [JobName.SendDigests]: QueueName.Notify,
  [JobName.NotifierRetention]: QueueName.Notify,
} as const satisfies { readonly [K in JobName]: QueueName };

/** The jobs a queue's consumer must handle. */
export function jobsOf(queue: QueueName): JobName[] {
  return (Object.values(JobName) as JobName[]).filter((name) => JOB_QUEUE[name] === queue);
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

/** The steps after a swap carry why the import ran (for the logs); they read the catalogue served. */
export interface AfterImportPayload {
  reason: string;
}

export interface SendConfirmationPayload {
  subscriberId: string;
}

/**
 * Why: the owner published a week or changed a séance (the period concerned), or the schedule's
 * catch-up (no period: the programme still to come, CATCH_UP_DAYS from today), which sends what
 * an event lost on the way left unsent — the queue away when the owner published, a job that
 * failed for good. The ledger makes every run after the first send nothing twice.
 */
export type MatchProgrammePayload =
  | {
      reason: 'published' | 'changed';
      /** The period whose séances are matched (ISO dates, cinema time, `to` exclusive). */
      from: string;
      to: string;
    }
  | { reason: 'scheduled' };

export interface ScreeningCancelledPayload {
  screeningId: string;
}

export interface SendDigestsPayload {
  /** The ISO date of the week's Wednesday; default the current week. */
  week?: string;
  dryRun?: boolean;
}

export interface NotifierRetentionPayload {
  /** The time the retention rules are applied at (tests); default now. */
  now?: string;
}

export interface JobPayloads {
  [JobName.ImportCatalogue]: ImportCataloguePayload;
  [JobName.BuildEmbeddings]: AfterImportPayload;
  [JobName.RefreshKpis]: AfterImportPayload;
  [JobName.PostImport]: PostImportPayload;
  [JobName.SendConfirmation]: SendConfirmationPayload;
  [JobName.MatchProgramme]: MatchProgrammePayload;
  [JobName.ScreeningCancelled]: ScreeningCancelledPayload;
  [JobName.SendDigests]: SendDigestsPayload;
  [JobName.NotifierRetention]: NotifierRetentionPayload;
}

/** The jobs of an import's chain (the etl and embeddings queues): what the import queues run. */
export type ImportJobName = JobName.ImportCatalogue | JobName.BuildEmbeddings | JobName.RefreshKpis | JobName.PostImport;

/** The notifier's jobs. */
export type NotifyJobName = JobName.SendConfirmation | JobName.MatchProgramme | JobName.ScreeningCancelled | JobName.SendDigests | JobName.NotifierRetention;

/** The jobs of one queue, by name. */
export type JobsOfQueue<Q extends QueueName> = { [K in JobName]: (typeof JOB_QUEUE)[K] extends Q ? K : never }[JobName];

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
