import { type ImportProgress, type ImportQueue, type ImportRequest, type ImportRunView, JobName, type Logger, planImport } from '@cine/common';
import { datasetFileName, IMDB_DATASETS, type ImdbDataset } from '../imdb/imdb-datasets';
import type { DownloadCacheRepository, DownloadProgress } from '../sources/download-cache.repository';
import { isUrl } from '../sources/source.repository';

const IMDB_FILES = (Object.keys(IMDB_DATASETS) as ImdbDataset[]).map(datasetFileName);

interface Pending {
  view: ImportRunView;
  /** The inner queue's id once the files are on disk and the import is enqueued. */
  innerId: string | null;
}

/**
 * The single-process install imports IMDb base URLs from a local copy: this queue downloads them
 * into DATA_DIR once (reused by the next import or an interrupted one) and then hands the import,
 * now from folders, to the real queue. While the files download, the run reports a `download`
 * phase through the same status the page and the admin API read, so the customer sees
 * "title.basics 41 %" from the first second rather than an idle catalogue.
 */
export class CachingImportQueue implements ImportQueue {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly inner: ImportQueue,
    private readonly downloads: DownloadCacheRepository,
    private readonly log: Logger,
  ) {}

  async enqueue(request: ImportRequest): Promise<{ id: string; deduplicated: boolean }> {
    const remote = (request.imdb ?? []).filter(isUrl);
    if (remote.length === 0) return this.inner.enqueue(request);
    const plan = planImport(request);
    const existing = this.pending.get(plan.id);
    if (existing && existing.view.state !== 'failed') return { id: plan.id, deduplicated: true };
    const view: ImportRunView = {
      id: plan.id,
      state: 'active',
      steps: plan.chain.map((s) => ({ id: s.id, name: s.name, state: 'waiting', progress: null, error: null, result: null })),
      error: null,
    };
    const entry: Pending = { view, innerId: null };
    this.pending.set(plan.id, entry);
    void this.download(request, entry);
    return { id: plan.id, deduplicated: false };
  }

  async status(id: string): Promise<ImportRunView | null> {
    const entry = this.pending.get(id);
    if (!entry) return this.inner.status(id);
    if (entry.innerId === null) return entry.view;
    const view = await this.inner.status(entry.innerId);
    return view ? { ...view, id } : null;
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  private async download(request: ImportRequest, entry: Pending): Promise<void> {
    const step = entry.view.steps.find((s) => s.name === JobName.ImportCatalogue)!;
    step.state = 'active';
    try {
      const imdb: string[] = [];
      for (const source of request.imdb ?? []) {
        if (!isUrl(source)) {
          imdb.push(source);
          continue;
        }
        const folder = await this.downloads.fetchAll(source, IMDB_FILES, (p) => {
          step.progress = downloadProgress(p);
        });
        this.log.info({ source, folder }, 'IMDb files downloaded; kept for the next import');
        imdb.push(folder);
      }
      const { id } = await this.inner.enqueue({ ...request, imdb });
      entry.innerId = id;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      step.state = 'failed';
      step.error = message;
      entry.view.state = 'failed';
      entry.view.error = message;
      this.log.error({ err }, 'IMDb download failed');
    }
  }
}

function downloadProgress(p: DownloadProgress): ImportProgress {
  return { phase: 'download', file: p.file, fileIndex: p.fileIndex, fileCount: p.fileCount, bytesRead: p.bytes, bytesTotal: p.total, rowsRead: 0, rowsKept: 0 };
}
