import type { Logger } from '../logger';
import { redactText } from '../security/redact';
import type { ImportJobName, JobName } from './job-catalogue';
import { assertHandlers, type Handlers, type ImportQueue, type ImportRequest, type ImportRunView, type JobContext, MAY_FAIL, planImport } from './import-queue';

/**
 * The all-in-one `npm start` has no Redis: the same handlers run here, every queue's, one import
 * at a time in the order they were asked for, with the chain's rules (a failed import stops it;
 * the steps after the swap may fail, post-import records it). State lives in memory (the import
 * ledger in the database keeps the history), which is all a single process needs.
 */
export class InProcessImportQueue implements ImportQueue {
  private readonly runs = new Map<string, ImportRunView>();
  private tail: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly handlers: Handlers<ImportJobName>,
    private readonly log: Logger,
  ) {
    assertHandlers(handlers, Object.keys(handlers) as JobName[]);
  }

  async enqueue(request: ImportRequest): Promise<{ id: string; deduplicated: boolean }> {
    if (this.closed) throw new Error('the in-process queue is closed');
    const plan = planImport(request);
    const existing = this.runs.get(plan.id);
    if (existing && existing.state !== 'failed') return { id: plan.id, deduplicated: true };
    const view: ImportRunView = {
      id: plan.id,
      state: 'waiting',
      steps: plan.chain.map((s) => ({ id: s.id, name: s.name, state: 'waiting', progress: null, error: null, result: null })),
      error: null,
    };
    this.runs.set(plan.id, view);
    this.tail = this.tail.then(() => this.execute(view, plan.chain));
    return { id: plan.id, deduplicated: false };
  }

  /** Resolves when every import asked for so far has ended. */
  idle(): Promise<void> {
    return this.tail;
  }

  async status(id: string): Promise<ImportRunView | null> {
    return this.runs.get(id) ?? null;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
  }

  private async execute(view: ImportRunView, chain: ReturnType<typeof planImport>['chain']): Promise<void> {
    view.state = 'active';
    const failures: string[] = [];
    for (const [index, job] of chain.entries()) {
      const step = view.steps[index]!;
      step.state = 'active';
      try {
        const handler = this.handlers[job.name] as (data: unknown, ctx: JobContext) => Promise<unknown>;
        step.result = (await handler(job.data, { jobId: job.id, earlierFailures: [...failures], onProgress: (p) => (step.progress = p) })) ?? null;
        step.state = 'completed';
      } catch (err) {
        step.state = 'failed';
        step.error = redactText(err instanceof Error ? err.message : String(err));
        this.log.error({ err, job: job.name, id: view.id }, 'import step failed');
        if (MAY_FAIL.has(job.name)) {
          failures.push(`${job.name}: ${step.error}`);
          continue;
        }
        view.state = 'failed';
        view.error = step.error;
        return;
      }
    }
    view.state = 'completed';
  }
}
