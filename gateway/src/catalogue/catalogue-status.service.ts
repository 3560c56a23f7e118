import type { CatalogueStatus } from '@cine/common';
import type { EtlQueue, ImportRunView } from '@cine/etl-worker';
import type { ImportTracker } from '../admin/import-tracker';
import type { CatalogueStatusRepository } from './catalogue-status.repository';

type ImportState = CatalogueStatus['import'];

/**
 * What the page shows while a fresh install loads its catalogue: counts, and the followed import's
 * state and overall progress (the queue knows progress; the ledger says running or failed when
 * the queue has nothing to tell).
 */
export class CatalogueStatusService {
  constructor(
    private readonly repository: CatalogueStatusRepository,
    private readonly queue: EtlQueue,
    private readonly tracker: ImportTracker,
  ) {}

  async status(): Promise<CatalogueStatus> {
    const [counts, fromQueue, lastSuccess, embeddings] = await Promise.all([
      this.repository.counts(),
      this.queueState(),
      this.repository.lastSuccess(),
      this.repository.newestEmbeddingVersion(),
    ]);
    const finishedAt = lastSuccess ? lastSuccess.toISOString() : null;
    const state = fromQueue ?? (await this.ledgerState());
    // Ready means recommendations can be served: films, and the embeddings built from them
    // (the post-import hook builds them a little after the catalogue swap).
    return { ...counts, ready: counts.films > 0 && embeddings !== null, import: { ...state, finishedAt: state.finishedAt ?? finishedAt } };
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
    if (view.state === 'waiting') return { state: 'queued', progress: 0, step: null, finishedAt: null };
    if (view.state === 'failed') return { state: 'failed', progress: null, step: view.error, finishedAt: null };
    if (view.state === 'completed') return { state: 'idle', progress: null, step: null, finishedAt: null };
    return running(view);
  }

  private async ledgerState(): Promise<ImportState> {
    const run = await this.repository.latestRun();
    if (run?.status === 'running') return { state: 'running', progress: null, step: run.current_file, finishedAt: null };
    if (run?.status === 'failed' || run?.status === 'abandoned') {
      return { state: 'failed', progress: null, step: null, finishedAt: run.finished_at ? run.finished_at.toISOString() : null };
    }
    return { state: 'idle', progress: null, step: null, finishedAt: null };
  }
}

/** Overall progress: finished steps, plus the running step's share of its files and bytes. */
function running(view: ImportRunView): ImportState {
  const done = view.steps.filter((s) => s.state === 'completed').length;
  const active = view.steps.find((s) => s.state === 'active');
  const p = active?.progress ?? null;
  let fraction = 0;
  let step: string | null = active ? active.name : null;
  if (p && p.fileCount > 0) {
    const inFile = p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
    fraction = Math.min(1, Math.max(0, (Math.max(0, p.fileIndex - 1) + inFile) / p.fileCount));
    step = `${p.file ? (p.file.split('/').pop() ?? p.phase) : p.phase} ${Math.round(inFile * 100)} %`;
  }
  const progress = view.steps.length > 0 ? Math.min(1, (done + fraction) / view.steps.length) : null;
  return { state: 'running', progress, step, finishedAt: null };
}
