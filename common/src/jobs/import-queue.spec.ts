import { createLogger } from '../logger';
import { InProcessImportQueue } from './in-process-import-queue';
import { assertHandlers, type Handlers, MAY_FAIL, planImport, runState } from './import-queue';
import { JOB_QUEUE, JobName, jobsOf, QueueName } from './job-catalogue';

const silent = createLogger('test', { level: 'silent' });

describe('the job catalogue', () => {
  it('sends each job to one queue: the recommender builds the embeddings, the etl-worker the rest', () => {
    expect(jobsOf(QueueName.Embeddings)).toEqual([JobName.BuildEmbeddings]);
    expect(jobsOf(QueueName.Etl).sort()).toEqual([JobName.ImportCatalogue, JobName.PostImport, JobName.RefreshKpis].sort());
    expect(Object.keys(JOB_QUEUE).sort()).toEqual(Object.values(JobName).sort());
  });

  it('refuses a consumer without a handler for a job of its queue', () => {
    const noop = async () => undefined;
    expect(() => assertHandlers({ [JobName.ImportCatalogue]: noop }, jobsOf(QueueName.Etl))).toThrow(/no handler for job\(s\): .*post-import/);
    expect(() => assertHandlers({ [JobName.ImportCatalogue]: noop, [JobName.RefreshKpis]: noop, [JobName.PostImport]: noop }, jobsOf(QueueName.Etl))).not.toThrow();
  });
});

describe('planImport', () => {
  it('plans one import as a chain: the import, the embeddings, the KPIs, then post-import; ids depend only on the request', () => {
    const plan = planImport({ imdb: ['/a', '/b'], tmdb: ['/t.csv'], policy: { movieMinVotes: 5 } });
    expect(plan.chain.map((s) => [s.name, s.queue])).toEqual([
      [JobName.ImportCatalogue, QueueName.Etl],
      [JobName.BuildEmbeddings, QueueName.Embeddings],
      [JobName.RefreshKpis, QueueName.Etl],
      [JobName.PostImport, QueueName.Etl],
    ]);
    expect(plan.chain[0]?.data).toEqual({ imdb: { sources: ['/a', '/b'], policy: { movieMinVotes: 5 } }, tmdb: { sources: ['/t.csv'] } });
    expect(plan.id).toBe(plan.chain[3]!.id);
    expect(new Set(plan.chain.map((s) => s.id)).size).toBe(4);
    expect(plan.chain.every((s) => !s.id.includes(':'))).toBe(true);
    expect(planImport({ imdb: ['/a', '/b'], tmdb: ['/t.csv'], policy: { movieMinVotes: 5 } }).id).toBe(plan.id);
    expect(planImport({ imdb: ['/b', '/a'], tmdb: ['/t.csv'], policy: { movieMinVotes: 5 } }).id).not.toBe(plan.id);
    expect(planImport({ imdb: ['/a', '/b'], tmdb: ['/t.csv'], policy: { movieMinVotes: 5 }, nonce: 'x' }).id).not.toBe(plan.id);
    expect(planImport({ imdb: ['/a'], allowShrink: true }).chain[0]?.data).toEqual({ imdb: { sources: ['/a'], policy: {} }, allowShrink: true });
  });

  it('refuses an import of nothing', () => {
    expect(() => planImport({ imdb: [], tmdb: [] })).toThrow(/nothing to import/);
  });
});

describe('runState', () => {
  const step = (name: JobName, state: 'waiting' | 'active' | 'completed' | 'failed') => ({ id: name, name, state, progress: null, error: state === 'failed' ? `${name} broke` : null, result: null });
  it('fails the run only for a step that may not fail', () => {
    expect([...MAY_FAIL].sort()).toEqual([JobName.BuildEmbeddings, JobName.RefreshKpis].sort());
    expect(runState([step(JobName.ImportCatalogue, 'failed'), step(JobName.BuildEmbeddings, 'waiting')])).toEqual({ state: 'failed', error: 'import-catalogue broke' });
    expect(runState([step(JobName.ImportCatalogue, 'completed'), step(JobName.BuildEmbeddings, 'failed'), step(JobName.PostImport, 'completed')])).toEqual({ state: 'completed', error: null });
    expect(runState([step(JobName.ImportCatalogue, 'completed'), step(JobName.BuildEmbeddings, 'active')]).state).toBe('active');
  });
});

describe('InProcessImportQueue', () => {
  function handlers(calls: string[], fail: Partial<Record<JobName, Error>>): Handlers<JobName> {
    const run = (name: JobName) => async (_data: unknown, ctx: { earlierFailures: string[] }) => {
      calls.push(`${name}${ctx.earlierFailures.length ? ` after ${ctx.earlierFailures.join(', ')}` : ''}`);
      if (fail[name]) throw fail[name];
      return { ok: name };
    };
    return Object.fromEntries(Object.values(JobName).map((n) => [n, run(n)])) as unknown as Handlers<JobName>;
  }

  it('runs the chain in order, the steps after the swap failing without stopping it, post-import told', async () => {
    const calls: string[] = [];
    const queue = new InProcessImportQueue(handlers(calls, { [JobName.BuildEmbeddings]: new Error('out of memory') }), silent);
    const { id } = await queue.enqueue({ imdb: ['/a'] });
    await queue.idle();
    expect(calls).toEqual(['import-catalogue', 'build-embeddings', 'refresh-kpis after build-embeddings: out of memory', 'post-import after build-embeddings: out of memory']);
    const view = await queue.status(id);
    expect(view?.state).toBe('completed');
    expect(view?.steps.map((s) => s.state)).toEqual(['completed', 'failed', 'completed', 'completed']);
  });

  it('stops at a failed import, and the same request may then run again', async () => {
    const calls: string[] = [];
    const queue = new InProcessImportQueue(handlers(calls, { [JobName.ImportCatalogue]: new Error('no such folder http://u:pw@h/') }), silent);
    const { id } = await queue.enqueue({ imdb: ['/a'] });
    expect((await queue.enqueue({ imdb: ['/a'] })).deduplicated).toBe(true);
    await queue.idle();
    expect(calls).toEqual(['import-catalogue']);
    const view = await queue.status(id);
    expect(view).toMatchObject({ state: 'failed', error: 'no such folder http://u:***@h/' });
    expect((await queue.enqueue({ imdb: ['/a'] })).deduplicated).toBe(false);
    await queue.close();
  });
});
