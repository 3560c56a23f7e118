import { type ImportQueue, type ImportRequest, type ImportRunView, JobName, planImport } from '@cine/common';
import { HttpError } from '../http/http-errors';
import { AdminService } from './admin.service';
import { ImportTracker } from './import-tracker';

/**
 * What the admin API decides, over a queue held in memory: which import a body asks for, what
 * the catalogue status then follows, and how a queue that is away or a run that does not exist
 * is answered. BullMQ on the real Redis is the integration tier's (gateway/test/admin.spec.ts).
 */

const DEFAULTS = { imdb: 'https://datasets.imdbws.com/', tmdb: '/data/tmdb.csv' };

/** Deduplicates by content as the real queues do (planImport's deterministic ids). */
class MemoryQueue implements ImportQueue {
  readonly requests: ImportRequest[] = [];
  readonly views = new Map<string, ImportRunView>();
  failure: Error | null = null;
  async enqueue(request: ImportRequest): Promise<{ id: string; deduplicated: boolean }> {
    if (this.failure) throw this.failure;
    this.requests.push(request);
    const { id } = planImport(request);
    const deduplicated = this.views.has(id);
    if (!deduplicated) this.views.set(id, { id, state: 'waiting', steps: [], error: null });
    return { id, deduplicated };
  }
  async status(id: string): Promise<ImportRunView | null> {
    if (this.failure) throw this.failure;
    return this.views.get(id) ?? null;
  }
  async close(): Promise<void> {}
}

function setup(defaults: { imdb: string; tmdb: string | undefined } = DEFAULTS) {
  const queue = new MemoryQueue();
  const tracker = new ImportTracker();
  return { queue, tracker, admin: new AdminService(queue, tracker, defaults) };
}

async function httpError(promise: Promise<unknown>): Promise<HttpError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HttpError);
  return err as HttpError;
}

describe('AdminService', () => {
  it('imports the configured sources when the body names none', async () => {
    const { admin, queue } = setup();
    await admin.startImport({});
    expect(queue.requests).toEqual([{ imdb: [DEFAULTS.imdb], tmdb: [DEFAULTS.tmdb], reason: 'admin API' }]);
  });

  it('imports only what the body names: IMDb alone is not topped up with the configured TMDB file', async () => {
    const { admin, queue } = setup();
    await admin.startImport({ imdb: ['/data/imdb'], policy: { movieMinVotes: 0 }, reason: 'new month' });
    expect(queue.requests).toEqual([{ imdb: ['/data/imdb'], tmdb: [], policy: { movieMinVotes: 0 }, reason: 'new month' }]);
  });

  it('refuses a body that names no source at all, before anything is queued', async () => {
    const { admin, queue, tracker } = setup();
    const err = await httpError(admin.startImport({ imdb: [], tmdb: [] }));
    expect(err.statusCode).toBe(400);
    expect(err.message).toMatch(/at least one source/);
    expect(queue.requests).toEqual([]);
    expect(tracker.latest()).toBeNull();
  });

  it('without TMDB configured, an empty body imports IMDb alone', async () => {
    const { admin, queue } = setup({ imdb: '/data/imdb', tmdb: undefined });
    await admin.startImport({});
    expect(queue.requests[0]).toMatchObject({ imdb: ['/data/imdb'], tmdb: [] });
  });

  it('the same request twice is one run; force makes a new run that may shrink the catalogue', async () => {
    const { admin, queue } = setup();
    const first = await admin.startImport({ imdb: ['/data/imdb'] });
    expect(await admin.startImport({ imdb: ['/data/imdb'] })).toEqual({ id: first.id, deduplicated: true });
    const forced = await admin.startImport({ imdb: ['/data/imdb'], force: true });
    expect(forced.deduplicated).toBe(false);
    expect(forced.id).not.toBe(first.id);
    expect(queue.requests[2]).toMatchObject({ allowShrink: true, nonce: expect.any(String) });
    // Forced twice is still two runs.
    expect((await admin.startImport({ imdb: ['/data/imdb'], force: true })).id).not.toBe(forced.id);
  });

  it('the catalogue status follows the import started last', async () => {
    const { admin, tracker } = setup();
    const a = await admin.startImport({ imdb: ['/a'] });
    expect(tracker.latest()).toBe(a.id);
    const b = await admin.startImport({ imdb: ['/b'] });
    expect(tracker.latest()).toBe(b.id);
  });

  it('answers 503 with a Retry-After when the queue is away, and tracks nothing', async () => {
    const { admin, queue, tracker } = setup();
    queue.failure = new Error('Stream isn\'t writeable and enableOfflineQueue options is false');
    const err = await httpError(admin.startImport({}));
    expect(err.statusCode).toBe(503);
    expect(err.retryAfterSeconds).toBeGreaterThan(0);
    expect(err.message).toMatch(/queue is unavailable/);
    expect(tracker.latest()).toBeNull();
    const status = await httpError(admin.importStatus('post-import-0123'));
    expect(status.statusCode).toBe(503);
  });

  it('never repeats a password the queue\'s error carries', async () => {
    const { admin, queue } = setup();
    queue.failure = new Error('Reached the max retries per request limit on redis://:r3dis-pw@redis.internal:6379');
    for (const call of [() => admin.startImport({}), () => admin.importStatus('post-import-0123')]) {
      const err = await httpError(call());
      expect(err.statusCode).toBe(503);
      expect(err.message).not.toContain('r3dis-pw');
    }
  });

  it('answers 404 for a run the queue does not know', async () => {
    const { admin } = setup();
    const err = await httpError(admin.importStatus('post-import-ffff'));
    expect(err.statusCode).toBe(404);
    expect(err.message).toBe('no import run post-import-ffff');
  });

  it('shows a run with any password in its sources or errors masked', async () => {
    const { admin, queue } = setup();
    const { id } = await admin.startImport({ imdb: ['https://cinema:s3cret-pw@mirror.example/imdb/'] });
    queue.views.set(id, {
      id,
      state: 'failed',
      error: 'https://cinema:s3cret-pw@mirror.example/imdb/title.basics.tsv.gz: unreachable after 3 attempts',
      steps: [
        {
          id: 'import-1',
          name: JobName.ImportCatalogue,
          state: 'failed',
          progress: null,
          error: 'fetch https://cinema:s3cret-pw@mirror.example/imdb/ failed',
          result: { sources: ['https://cinema:s3cret-pw@mirror.example/imdb/'] },
        },
      ],
    });
    const view = await admin.importStatus(id);
    expect(JSON.stringify(view)).not.toContain('s3cret-pw');
    expect(view.error).toBe('https://cinema:***@mirror.example/imdb/title.basics.tsv.gz: unreachable after 3 attempts');
    expect(view.state).toBe('failed');
  });
});
