import { type Logger, redactText } from '@cine/common';
import type { Processors } from './etl.processors';
import { type EtlQueue, type ImportRequest, type ImportRunView, planImport } from './etl-queue';

/**
 * The embedded default has no Redis: the same processors run here, one import at a time, in
 * the order they were asked for. State lives in memory (the ledger in the database keeps the
 * history), which is all a single-process install needs.
 */
export class InProcessEtlQueue implements EtlQueue {
  private readonly runs = new Map<string, ImportRunView>();
  private tail: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly processors: Processors,
    private readonly log: Logger,
  ) {}

  async enqueue(request: ImportRequest): Promise<{ id: string; deduplicated: boolean }> {
    if (this.closed) throw new Error('the in-process queue is closed');
    const plan = planImport(request);
    const existing = this.runs.get(plan.id);
    if (existing && existing.state !== 'failed') return { id: plan.id, deduplicated: true };
    const view: ImportRunView = {
      id: plan.id,
      state: 'waiting',
      steps: [...plan.steps, plan.final].map((s) => ({ id: s.id, name: s.name, state: 'waiting', progress: null, error: null, result: null })),
      error: null,
    };
    this.runs.set(plan.id, view);
    this.tail = this.tail.then(() => this.execute(plan.id, [...plan.steps, plan.final]));
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

  private async execute(id: string, jobs: ReturnType<typeof planImport>['steps']): Promise<void> {
    const view = this.runs.get(id)!;
    view.state = 'active';
    for (const [index, job] of jobs.entries()) {
      const step = view.steps[index]!;
      step.state = 'active';
      try {
        const run = this.processors[job.name] as (data: unknown, ctx: Parameters<Processors[typeof job.name]>[1]) => Promise<unknown>;
        step.result = await run(job.data, { jobId: job.id, onProgress: (p) => (step.progress = p) });
        step.state = 'completed';
      } catch (err) {
        step.state = 'failed';
        step.error = redactText(err instanceof Error ? err.message : String(err));
        view.state = 'failed';
        view.error = step.error;
        this.log.error({ err, job: job.name, id }, 'import step failed');
        return;
      }
    }
    view.state = 'completed';
  }
}
