import { Writable } from 'node:stream';
import { createLogger, type ImportQueue, type ImportRequest, type ImportRunView, JobName } from '@cine/common';
import { ConsoleProgress } from '../cli/console-progress';
import type { CatalogueStateRepository } from './catalogue-state.repository';
import { FirstImportService } from './first-import.service';

/**
 * What a fresh install's first start decides, over a catalogue and a queue held in memory: import
 * or not, what, and what the person who typed `npm start` reads. The real first start (download,
 * import, embeddings) is the infra tier's (infra/test/embedded-start.spec.ts).
 */

/** The catalogue's title count, as the database would answer it over time. */
class MemoryCatalogue {
  titles = 0;
  async titleCount(): Promise<number> {
    return this.titles;
  }
}

/** A queue whose run goes through the states the test lists, one per status poll. */
class ScriptedQueue implements ImportQueue {
  readonly requests: ImportRequest[] = [];
  polls = 0;
  constructor(
    private readonly script: Array<ImportRunView | null>,
    private readonly onComplete?: () => void,
  ) {}
  async enqueue(request: ImportRequest): Promise<{ id: string; deduplicated: boolean }> {
    this.requests.push(request);
    return { id: 'post-import-first', deduplicated: false };
  }
  async status(): Promise<ImportRunView | null> {
    const view = this.script[Math.min(this.polls++, this.script.length - 1)] ?? null;
    if (view?.state === 'completed') this.onComplete?.();
    return view;
  }
  async close(): Promise<void> {}
}

const run = (state: ImportRunView['state'], extra: Partial<ImportRunView> = {}): ImportRunView => ({
  id: 'post-import-first',
  state,
  error: null,
  steps: [
    {
      id: 'import-catalogue-1',
      name: JobName.ImportCatalogue,
      state: state === 'completed' ? 'completed' : state,
      progress: state === 'active' ? { phase: 'title.basics', file: 'title.basics.tsv.gz', fileIndex: 2, fileCount: 7, bytesRead: 50, bytesTotal: 100, rowsRead: 12_000, rowsKept: 3_000 } : null,
      error: extra.error ?? null,
      result: null,
    },
  ],
  ...extra,
});

/** What the console shows, as a log file would hold it (not a terminal: plain lines). */
function screen(): { progress: ConsoleProgress; text: () => string } {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  return { progress: new ConsoleProgress(out, 0), text: () => text };
}

const SOURCES = { imdb: ['https://datasets.imdbws.com/'], tmdb: ['/data/tmdb.csv'] };
const log = createLogger('first-import-test', { level: 'silent' });

function setup(script: Array<ImportRunView | null>, titlesAfter = 0) {
  const catalogue = new MemoryCatalogue();
  const queue = new ScriptedQueue(script, () => (catalogue.titles = titlesAfter));
  const shown = screen();
  const service = new FirstImportService(catalogue as unknown as CatalogueStateRepository, queue, shown.progress, log);
  return { catalogue, queue, screen: shown, service };
}

describe('FirstImportService', () => {
  it('leaves a catalogue that has titles alone: nothing queued, nothing printed', async () => {
    const { catalogue, queue, screen, service } = setup([run('completed')]);
    catalogue.titles = 1234;
    const enqueued = jest.fn();
    expect(await service.run(SOURCES, new AbortController().signal, enqueued)).toEqual({ kind: 'present', titles: 1234 });
    expect(queue.requests).toEqual([]);
    expect(enqueued).not.toHaveBeenCalled();
    expect(screen.text()).toBe('');
  });

  it('imports the configured sources into an empty catalogue, lets the page follow the run, and says how many titles it holds', async () => {
    const { queue, screen, service } = setup([run('active'), run('completed')], 5321);
    const followed: string[] = [];
    const outcome = await service.run(SOURCES, new AbortController().signal, (id) => followed.push(id));
    expect(outcome).toEqual({ kind: 'completed', runId: 'post-import-first', titles: 5321 });
    expect(queue.requests).toEqual([{ imdb: SOURCES.imdb, tmdb: SOURCES.tmdb, reason: 'first start: empty catalogue' }]);
    expect(followed).toEqual(['post-import-first']);
    const lines = screen.text().split('\n');
    expect(lines[0]).toBe('The catalogue is empty: importing https://datasets.imdbws.com/, /data/tmdb.csv');
    expect(screen.text()).toMatch(/^progress: import-catalogue: title\.basics \(file 2\/7\) · 12\.0 k rows read, 3\.0 k kept 50%$/m);
    expect(lines).toContain('Catalogue ready: 5321 films and series.');
  });

  it('asks for no TMDB part when no TMDB source is configured', async () => {
    const { queue, service } = setup([run('completed')], 40);
    await service.run({ imdb: ['/data/imdb'], tmdb: [] }, new AbortController().signal, () => {});
    expect(queue.requests[0]!.tmdb).toBeUndefined();
    expect(queue.requests[0]!.imdb).toEqual(['/data/imdb']);
  });

  it('reports a failed import with its error, and does not claim a catalogue', async () => {
    const error = '/data/imdb: no such folder';
    const { screen, service } = setup([run('active'), run('failed', { error })]);
    expect(await service.run(SOURCES, new AbortController().signal, () => {})).toEqual({ kind: 'failed', runId: 'post-import-first', error });
    expect(screen.text()).toContain(`The import failed: ${error}\n`);
    expect(screen.text()).not.toContain('Catalogue ready');
  });

  it('stops following when the start is interrupted, the import left to the queue', async () => {
    const { queue, service } = setup([run('active')]);
    const stop = new AbortController();
    const outcome = service.run(SOURCES, stop.signal, () => stop.abort());
    expect(await outcome).toEqual({ kind: 'stopped', runId: 'post-import-first' });
    expect(queue.requests).toHaveLength(1);
  });

  it('stops when the queue no longer knows the run, rather than waiting for ever', async () => {
    const { service } = setup([null]);
    expect(await service.run(SOURCES, new AbortController().signal, () => {})).toEqual({ kind: 'stopped', runId: 'post-import-first' });
  });
});
