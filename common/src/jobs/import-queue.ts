import {
  deterministicJobId,
  type FilterPolicyOverrides,
  type ImportCataloguePayload,
  type ImportJobName,
  type ImportProgress,
  JOB_QUEUE,
  JobName,
  type JobPayloads,
  type QueueName,
} from './job-catalogue';

/** What an operator asks for: `npm run etl`, the admin API, the first import of a fresh install. */
export interface ImportRequest {
  imdb?: string[];
  tmdb?: string[];
  policy?: FilterPolicyOverrides;
  /** Makes a new run of an import that was already requested (deduplication is by content). */
  nonce?: string;
  /** Accept a catalogue under half of the one served (the etl-worker's shrink guard). */
  allowShrink?: boolean;
  reason?: string;
}

export type StepState = 'waiting' | 'active' | 'completed' | 'failed';

/** One import as its producers and the admin API see it: the chain of its steps. */
export interface ImportRunView {
  id: string;
  state: StepState;
  steps: Array<{ id: string; name: JobName; state: StepState; progress: ImportProgress | null; error: string | null; result: unknown }>;
  error: string | null;
}

/** The producer side of the jobs: BullMQ when Redis is configured, in-process for `npm start`. */
export interface ImportQueue {
  enqueue(request: ImportRequest): Promise<{ id: string; deduplicated: boolean }>;
  status(id: string): Promise<ImportRunView | null>;
  close(): Promise<void>;
}

/** One step of a planned import, with the queue that runs it. */
export type PlannedStep = { [K in ImportJobName]: { name: K; data: JobPayloads[K]; id: string; queue: QueueName } }[ImportJobName];

/**
 * The steps after the swap may fail without stopping the chain: the KPI refresh still runs when
 * the embedding build failed, and `post-import` records what failed. A failed import stops it.
 */
export const MAY_FAIL: ReadonlySet<JobName> = new Set([JobName.BuildEmbeddings, JobName.RefreshKpis]);

export interface PlannedImport {
  /** The run's id: the last step's (BullMQ's flow root). */
  id: string;
  /** In the order they run: import-catalogue, build-embeddings, refresh-kpis, post-import. */
  chain: PlannedStep[];
}

/** The jobs of one import and their deterministic ids: the same request twice is one run. */
export function planImport(request: ImportRequest): PlannedImport {
  const nonce = request.nonce ?? '';
  const data: ImportCataloguePayload = {};
  if (request.imdb?.length) data.imdb = { sources: request.imdb, policy: request.policy ?? {} };
  if (request.tmdb?.length) {
    data.tmdb = { sources: request.tmdb, ...(request.policy?.maxRejectShare !== undefined ? { maxRejectShare: request.policy.maxRejectShare } : {}) };
  }
  if (request.allowShrink) data.allowShrink = true;
  if (!data.imdb && !data.tmdb) throw new Error('nothing to import: give IMDb sources, TMDB files, or both');
  const importId = deterministicJobId(JobName.ImportCatalogue, data, nonce);
  const after = { reason: request.reason ?? 'import' };
  const follow = (name: JobName) => deterministicJobId(name, { import: importId }, nonce);
  const chain: PlannedStep[] = [
    { name: JobName.ImportCatalogue, data, id: importId, queue: JOB_QUEUE[JobName.ImportCatalogue] },
    { name: JobName.BuildEmbeddings, data: after, id: follow(JobName.BuildEmbeddings), queue: JOB_QUEUE[JobName.BuildEmbeddings] },
    { name: JobName.RefreshKpis, data: after, id: follow(JobName.RefreshKpis), queue: JOB_QUEUE[JobName.RefreshKpis] },
    { name: JobName.PostImport, data: after, id: follow(JobName.PostImport), queue: JOB_QUEUE[JobName.PostImport] },
  ];
  return { id: chain[chain.length - 1]!.id, chain };
}

/** The overall state of a chain from its steps' states. */
export function runState(steps: ImportRunView['steps']): { state: StepState; error: string | null } {
  // A step allowed to fail does not fail the run: post-import records it (and the status says so).
  const failed = steps.find((s) => s.state === 'failed' && !MAY_FAIL.has(s.name));
  if (failed) return { state: 'failed', error: failed.error };
  if (steps.every((s) => s.state === 'completed' || (s.state === 'failed' && MAY_FAIL.has(s.name)))) return { state: 'completed', error: null };
  return { state: steps.some((s) => s.state !== 'waiting') ? 'active' : 'waiting', error: null };
}

/**
 * What a step of a chain returns to the next: its handler's result, the failures of the steps
 * allowed to fail so far, and its own failure when it is one of those and failed.
 */
export interface StepOutcome {
  result: unknown;
  failures: string[];
  failed?: string;
}

/** What a job's handler is given besides its payload. */
export interface JobContext {
  jobId: string | null;
  onProgress: (progress: ImportProgress) => void;
  signal?: AbortSignal;
  /** Steps before this one that failed but did not stop the chain ("build-embeddings: …"). */
  earlierFailures: string[];
}

export type JobHandler<K extends JobName> = (data: JobPayloads[K], ctx: JobContext) => Promise<unknown>;

/** Handlers for some jobs (a consumer's share of the catalogue). */
export type Handlers<K extends JobName> = { [N in K]: JobHandler<N> };

/** A consumer that lacks a handler for a job of its queue would leave it waiting forever: refuse to start. */
export function assertHandlers(handlers: Partial<Record<string, unknown>>, names: readonly JobName[]): void {
  const missing = names.filter((name) => typeof handlers[name] !== 'function');
  if (missing.length > 0) throw new Error(`no handler for job(s): ${missing.join(', ')}`);
}
