import { type CatalogueStatus, type ImportQueue, type ImportRunView, JobName } from '@cine/common';
import type { ImportTracker } from '../admin/import-tracker';
import type { CatalogueStatusRepository, PostImportState } from './catalogue-status.repository';
import { PUBLIC_MESSAGES, type PublicSituation, publicStep } from './public-status';

type ImportState = Omit<CatalogueStatus['import'], 'message'> & { situation: PublicSituation };

/**
 * What the page shows while a fresh install loads its catalogue: counts, and the followed import's
 * state and overall progress (the queue knows progress; the ledger says running or failed when
 * the queue has nothing to tell).
 *
 * Public: it answers in a fixed vocabulary. An import's error may hold a server path or a
 * library's message repeating a source URL; it goes to the admin run view and the logs only.
 */
export class CatalogueStatusService {
  constructor(
    private readonly repository: CatalogueStatusRepository,
    private readonly queue: ImportQueue,
    private readonly tracker: ImportTracker,
    /** LEARN_FROM_VISITS, for the page: it sends a visit id and shows its notice only then. */
    private readonly learnsFromVisits = false,
  ) {}

  async status(): Promise<CatalogueStatus> {
    const [counts, fromQueue, lastSuccess, embeddings, postImport] = await Promise.all([
      this.repository.counts(),
      this.queueState(),
      this.repository.lastSuccess(),
      this.repository.newestEmbeddingVersion(),
      this.repository.postImport(),
    ]);
    const finishedAt = lastSuccess ? lastSuccess.toISOString() : null;
    let state = fromQueue ?? (await this.ledgerState());
    // The import itself went through but what follows it did not: say so rather than "idle".
    if (state.state === 'idle' && postImport?.status === 'failed') {
      state = { state: 'failed', progress: null, step: null, finishedAt: null, situation: 'post-import-failed' };
    }
    if (state.situation === 'idle' && counts.films + counts.series === 0) state = { ...state, situation: 'empty' };
    // Ready means recommendations can be served: films, and the embeddings built from them
    // (the post-import hook builds them a little after the catalogue swap).
    const { situation, ...rest } = state;
    return {
      ...counts,
      ready: counts.films > 0 && embeddings !== null,
      learnsFromVisits: this.learnsFromVisits,
      import: { ...rest, finishedAt: rest.finishedAt ?? finishedAt, message: PUBLIC_MESSAGES[situation] },
    };
  }

  /** For readiness: where the steps after the last swap stand (null: nothing swapped yet). */
  postImport(): Promise<PostImportState | null> {
    return this.repository.postImport();
  }

  private async queueState(): Promise<ImportState | null> {
    const id = this.tracker.latest();
    if (!id) return null;
    let view: ImportRunView | null;
    try {
      view = await this.queue.status(id);
    } catch {
      return null; // Redis away: the ledger still knows whether an import runs.
    }
    if (!view) return null;
    if (view.state === 'waiting') return { state: 'queued', progress: 0, step: null, finishedAt: null, situation: 'queued' };
    if (view.state === 'failed') {
      const postImportFailed = view.steps.some((s) => s.name !== JobName.ImportCatalogue && s.state === 'failed');
      return { state: 'failed', progress: null, step: null, finishedAt: null, situation: postImportFailed ? 'post-import-failed' : 'failed' };
    }
    if (view.state === 'completed') return { state: 'idle', progress: null, step: null, finishedAt: null, situation: 'idle' };
    return running(view);
  }

  private async ledgerState(): Promise<ImportState> {
    const run = await this.repository.latestRun();
    if (run?.status === 'running') return { state: 'running', progress: null, step: publicStep(run.current_file, null), finishedAt: null, situation: 'running' };
    if (run?.status === 'failed' || run?.status === 'abandoned') {
      return { state: 'failed', progress: null, step: null, finishedAt: run.finished_at ? run.finished_at.toISOString() : null, situation: 'failed' };
    }
    return { state: 'idle', progress: null, step: null, finishedAt: null, situation: 'idle' };
  }
}

/** Overall progress: finished steps, plus the running step's share of its files and bytes. */
function running(view: ImportRunView): ImportState {
  const done = view.steps.filter((s) => s.state === 'completed').length;
  const active = view.steps.find((s) => s.state === 'active');
  const p = active?.progress ?? null;
  let fraction = 0;
  let step: string | null = active && active.name !== JobName.ImportCatalogue ? publicStep(active.name, null) : null;
  if (p && p.fileCount > 0) {
    const inFile = p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
    fraction = Math.min(1, Math.max(0, (Math.max(0, p.fileIndex - 1) + inFile) / p.fileCount));
    step = publicStep(p.phase, p.file, Math.round(inFile * 100));
  }
  const progress = view.steps.length > 0 ? Math.min(1, (done + fraction) / view.steps.length) : null;
  return { state: 'running', progress, step, finishedAt: null, situation: 'running' };
}
