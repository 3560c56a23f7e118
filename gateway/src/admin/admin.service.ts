import { randomUUID } from 'node:crypto';
import { type FilterPolicyOverrides, redactDeep, redactText } from '@cine/common';
import type { ImportQueue, ImportRequest, ImportRunView } from '@cine/common';
import { badRequest, notFound, unavailable } from '../http/http-errors';
import type { ImportTracker } from './import-tracker';

export interface EtlRunBody {
  imdb?: string[];
  tmdb?: string[];
  policy?: FilterPolicyOverrides;
  force?: boolean;
  reason?: string;
}

/** Seconds an operator should wait before retrying while Redis is away. */
const QUEUE_RETRY_AFTER_SECONDS = 10;

/** Starting and following imports on the ETL queue (BullMQ, or in-process on the embedded default). */
export class AdminService {
  constructor(
    private readonly queue: ImportQueue,
    private readonly tracker: ImportTracker,
    private readonly defaults: { imdb: string; tmdb: string | undefined },
  ) {}

  async startImport(body: EtlRunBody): Promise<{ id: string; deduplicated: boolean }> {
    const named = body.imdb !== undefined || body.tmdb !== undefined;
    // An empty body imports what the install is configured with (IMDB_SOURCE, TMDB_SOURCE).
    const request: ImportRequest = {
      imdb: named ? (body.imdb ?? []) : [this.defaults.imdb],
      tmdb: named ? (body.tmdb ?? []) : this.defaults.tmdb ? [this.defaults.tmdb] : [],
      ...(body.policy ? { policy: body.policy } : {}),
      // force: run again what already ran, and accept a catalogue under half of the one served.
      ...(body.force ? { nonce: randomUUID(), allowShrink: true } : {}),
      reason: body.reason ?? 'admin API',
    };
    if (!request.imdb?.length && !request.tmdb?.length) throw badRequest('body/imdb or body/tmdb must name at least one source');
    let started: { id: string; deduplicated: boolean };
    try {
      started = await this.queue.enqueue(request);
    } catch (err) {
      throw unavailable(`the job queue is unavailable (${redactText(err instanceof Error ? err.message : 'Redis unreachable')}); try again later`, QUEUE_RETRY_AFTER_SECONDS);
    }
    this.tracker.track(started.id);
    return started;
  }

  async importStatus(id: string): Promise<ImportRunView> {
    let view: ImportRunView | null;
    try {
      view = await this.queue.status(id);
    } catch (err) {
      throw unavailable(`the job queue is unavailable (${redactText(err instanceof Error ? err.message : 'Redis unreachable')}); try again later`, QUEUE_RETRY_AFTER_SECONDS);
    }
    if (!view) throw notFound(`no import run ${id}`);
    // The workers store errors redacted already; this view is the last door before an operator.
    return redactDeep(view);
  }
}
