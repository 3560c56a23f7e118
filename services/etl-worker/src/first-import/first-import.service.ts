import { setTimeout as sleep } from 'node:timers/promises';
import type { ImportQueue, ImportRunView, Logger } from '@cine/common';
import type { CatalogueStateRepository } from './catalogue-state.repository';
import type { ConsoleProgress } from '../cli/console-progress';

export type FirstImportOutcome =
  | { kind: 'present'; titles: number }
  | { kind: 'completed'; runId: string; titles: number }
  | { kind: 'failed'; runId: string; error: string }
  | { kind: 'stopped'; runId: string };

export interface FirstImportSources {
  imdb: string[];
  tmdb: string[];
}

/**
 * A fresh install has an empty catalogue: the embedded start fills it on its own from
 * IMDB_SOURCE (the official datasets unless told otherwise) and TMDB_SOURCE, through the same
 * queue the admin API uses, so the page's catalogue status follows it like any other import,
 * and prints its progress on the console.
 */
export class FirstImportService {
  constructor(
    private readonly state: CatalogueStateRepository,
    private readonly queue: ImportQueue,
    private readonly progress: ConsoleProgress,
    private readonly log: Logger,
  ) {}

  /** Enqueues the import when the catalogue is empty; `onEnqueued` lets the page follow it. */
  async run(sources: FirstImportSources, signal: AbortSignal, onEnqueued: (id: string) => void): Promise<FirstImportOutcome> {
    const titles = await this.state.titleCount();
    if (titles > 0) return { kind: 'present', titles };
    this.progress.say(`The catalogue is empty: importing ${[...sources.imdb, ...sources.tmdb].join(', ')}`);
    const { id } = await this.queue.enqueue({
      imdb: sources.imdb,
      tmdb: sources.tmdb.length > 0 ? sources.tmdb : undefined,
      reason: 'first start: empty catalogue',
    });
    onEnqueued(id);
    this.log.info({ id }, 'first import enqueued');
    const view = await this.follow(id, signal);
    if (view?.state === 'completed') {
      const count = await this.state.titleCount();
      this.progress.say(`Catalogue ready: ${count} films and series.`);
      return { kind: 'completed', runId: id, titles: count };
    }
    if (view?.state === 'failed') {
      this.progress.say(`The import failed: ${view.error}`);
      return { kind: 'failed', runId: id, error: view.error ?? 'unknown error' };
    }
    return { kind: 'stopped', runId: id };
  }

  private async follow(id: string, signal: AbortSignal): Promise<ImportRunView | null> {
    while (!signal.aborted) {
      const view = await this.queue.status(id);
      if (view) this.progress.importRun(view);
      if (!view || view.state === 'completed' || view.state === 'failed') {
        this.progress.end();
        return view;
      }
      await sleep(500);
    }
    this.progress.end();
    return null;
  }
}
