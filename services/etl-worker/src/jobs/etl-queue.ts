import {
  deterministicJobId,
  type FilterPolicyOverrides,
  type ImportCataloguePayload,
  type ImportProgress,
  JobName,
  type JobOf,
} from '@cine/common';

/** What an operator asks for: `npm run etl`, the admin API, the embedded first start. */
export interface ImportRequest {
  imdb?: string[];
  tmdb?: string[];
  policy?: FilterPolicyOverrides;
  /** Makes a new run of an import that was already requested (deduplication is by content). */
  nonce?: string;
  /** Accept a catalogue under half of the one served (see SHRINK_FLOOR). */
  allowShrink?: boolean;
  reason?: string;
}

export type StepState = 'waiting' | 'active' | 'completed' | 'failed';

export interface ImportRunView {
  id: string;
  state: StepState;
  steps: Array<{ id: string; name: JobName; state: StepState; progress: ImportProgress | null; error: string | null; result: unknown }>;
  error: string | null;
}

/** Producer side of the ETL queue; BullMQ when Redis is configured, in-process otherwise. */
export interface EtlQueue {
  enqueue(request: ImportRequest): Promise<{ id: string; deduplicated: boolean }>;
  status(id: string): Promise<ImportRunView | null>;
  close(): Promise<void>;
}

export interface PlannedImport {
  id: string;
  steps: Array<JobOf & { id: string }>;
  final: JobOf<JobName.PostImport> & { id: string };
}

/** The jobs of one import and their deterministic ids: the same request twice is one run. */
export function planImport(request: ImportRequest): PlannedImport {
  const nonce = request.nonce ?? '';
  const steps: Array<JobOf & { id: string }> = [];
  const data: ImportCataloguePayload = {};
  if (request.imdb?.length) data.imdb = { sources: request.imdb, policy: request.policy ?? {} };
  if (request.tmdb?.length) {
    data.tmdb = { sources: request.tmdb, ...(request.policy?.maxRejectShare !== undefined ? { maxRejectShare: request.policy.maxRejectShare } : {}) };
  }
  if (request.allowShrink) data.allowShrink = true;
  if (data.imdb || data.tmdb) steps.push({ name: JobName.ImportCatalogue, data, id: deterministicJobId(JobName.ImportCatalogue, data, nonce) });
  if (steps.length === 0) throw new Error('nothing to import: give IMDb sources, TMDB files, or both');
  const finalData = { reason: request.reason ?? 'import' };
  const id = deterministicJobId(JobName.PostImport, { steps: steps.map((s) => s.id) }, nonce);
  return { id, steps, final: { name: JobName.PostImport, data: finalData, id } };
}
