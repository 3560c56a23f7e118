import { ETL_QUEUE, type ImportProgress, JobName } from '@cine/common';
import { FlowProducer, type Job, Queue } from 'bullmq';
import IORedis from 'ioredis';
import type { EtlQueue, ImportRequest, ImportRunView, StepState } from './etl-queue';
import { planImport } from './etl-queue';

export interface BullmqQueueOptions {
  attempts: number;
  backoffMs: number;
  prefix: string;
}

/** Producers must fail fast when Redis is down (the gateway answers 503), never queue commands in memory. */
export function producerConnection(url: string): IORedis {
  return new IORedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
}

/**
 * The ETL queue on BullMQ. One import is a flow: the import jobs are children of the
 * post-import job, which BullMQ runs only once they all succeeded.
 */
export class BullmqEtlQueue implements EtlQueue {
  private readonly queue: Queue;
  private readonly flows: FlowProducer;

  constructor(
    private readonly connection: IORedis,
    private readonly options: BullmqQueueOptions,
  ) {
    this.queue = new Queue(ETL_QUEUE, { connection, prefix: options.prefix });
    this.flows = new FlowProducer({ connection, prefix: options.prefix });
    // Without a listener BullMQ prints every Redis reconnection attempt to the console. The
    // failure reaches callers as a rejected enqueue/status, and the connection's owner logs it.
    this.queue.on('error', () => {});
    this.flows.on('error', () => {});
  }

  async enqueue(request: ImportRequest): Promise<{ id: string; deduplicated: boolean }> {
    const plan = planImport(request);
    const existing = await this.queue.getJob(plan.id);
    if (existing && !(await existing.isFailed())) return { id: plan.id, deduplicated: true };
    if (existing) await existing.remove({ removeChildren: true });
    const opts = {
      attempts: this.options.attempts,
      backoff: { type: 'exponential' as const, delay: this.options.backoffMs, jitter: 0.5 },
      removeOnComplete: { age: 7 * 24 * 3600, count: 200 },
      removeOnFail: { age: 30 * 24 * 3600, count: 500 },
    };
    await this.flows.add({
      name: plan.final.name,
      queueName: ETL_QUEUE,
      data: plan.final.data,
      opts: { ...opts, jobId: plan.id },
      prefix: this.options.prefix,
      children: plan.steps.map((step) => ({
        name: step.name,
        queueName: ETL_QUEUE,
        prefix: this.options.prefix,
        data: step.data,
        opts: { ...opts, jobId: step.id, failParentOnFailure: true },
      })),
    });
    return { id: plan.id, deduplicated: false };
  }

  async status(id: string): Promise<ImportRunView | null> {
    const flow = await this.flows.getFlow({ id, queueName: ETL_QUEUE, prefix: this.options.prefix });
    if (!flow?.job) return null;
    // Children are created in the same instant: show them in the catalogue's order (IMDb, then TMDB).
    const order = Object.values(JobName) as string[];
    const children = (flow.children ?? []).map((c) => c.job).sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
    const steps = await Promise.all([...children, flow.job].map((job) => stepView(job)));
    const failed = steps.find((s) => s.state === 'failed');
    const state: StepState = failed
      ? 'failed'
      : steps.every((s) => s.state === 'completed')
        ? 'completed'
        : steps.some((s) => s.state !== 'waiting')
          ? 'active'
          : 'waiting';
    return { id, state, steps, error: failed?.error ?? null };
  }

  async close(): Promise<void> {
    await this.flows.close();
    await this.queue.close();
  }
}

async function stepView(job: Job) {
  const raw = await job.getState();
  const state: StepState = raw === 'completed' ? 'completed' : raw === 'failed' ? 'failed' : raw === 'active' ? 'active' : 'waiting';
  const progress = typeof job.progress === 'object' && job.progress !== null ? (job.progress as unknown as ImportProgress) : null;
  return { id: job.id ?? '', name: job.name as JobName, state, progress, error: job.failedReason || null, result: job.returnvalue ?? null };
}
