import { type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import IORedis from 'ioredis';
import type { Logger } from '../logger';
import { redactError } from '../security/redact';
import { type JobName, jobsOf, type QueueName } from './job-catalogue';
import { assertHandlers, type JobContext, type JobHandler, MAY_FAIL, type StepOutcome } from './import-queue';

export interface JobWorkerOptions {
  queue: QueueName;
  redisUrl: string;
  lockDurationMs: number;
  stalledIntervalMs: number;
  prefix: string;
  /** Bad input will be just as bad on the next attempt: not retried. */
  isBadInput?: (err: unknown) => boolean;
}

export interface JobWorker {
  readonly worker: Worker;
  /** The worker's Redis connection (health checks ping it). */
  readonly connection: IORedis;
  /**
   * Graceful stop: the running job is interrupted at its next piece of work (an import swaps
   * nothing), goes back to the queue for a retry, and the connections close.
   */
  stop(reason: string): Promise<void>;
}

/**
 * A BullMQ consumer of one queue of the job catalogue: one job at a time in this process,
 * handlers checked at start, bad input marked unrecoverable, progress pushed to the job, errors
 * redacted before BullMQ keeps them (a library's message may repeat a source URL's password).
 *
 * A step of an import's chain returns a StepOutcome: the failures of the steps before it that
 * were allowed to fail travel up the chain, and such a step completes with its failure as its
 * value on its last attempt instead of failing the chain.
 */
export function startJobWorker(handlers: Partial<Record<JobName, JobHandler<never>>>, options: JobWorkerOptions, log: Logger): JobWorker {
  const names = jobsOf(options.queue);
  assertHandlers(handlers, names);
  const running = new Set<AbortController>();
  // Workers block on Redis: they must wait for it forever rather than fail a command.
  const connection = new IORedis(options.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker(
    options.queue,
    async (job: Job): Promise<StepOutcome> => {
      const handler = handlers[job.name as JobName] as ((data: unknown, ctx: JobContext) => Promise<unknown>) | undefined;
      if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
      log.info({ job: job.name, id: job.id, attempt: job.attemptsMade + 1 }, 'job started');
      const earlier = Object.values(await job.getChildrenValues<StepOutcome | null>()).flatMap((v) => v?.failures ?? []);
      const controller = new AbortController();
      running.add(controller);
      try {
        const result = await handler(job.data, {
          jobId: job.id ?? null,
          signal: controller.signal,
          earlierFailures: earlier,
          onProgress: (progress) => {
            job.updateProgress(progress as unknown as object).catch((err: unknown) => log.warn({ err }, 'progress update failed'));
          },
        });
        return { result: result ?? null, failures: earlier };
      } catch (raw) {
        const err = redactError(raw);
        const message = err instanceof Error ? err.message : String(err);
        const bad = options.isBadInput?.(err) ?? false;
        const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (MAY_FAIL.has(job.name as JobName) && (bad || lastAttempt) && !controller.signal.aborted) {
          log.error({ job: job.name, id: job.id, err }, 'step failed; the import chain goes on without it');
          return { result: null, failures: [...earlier, `${job.name}: ${message}`], failed: message };
        }
        if (bad) throw new UnrecoverableError(message);
        throw err;
      } finally {
        running.delete(controller);
      }
    },
    {
      connection,
      prefix: options.prefix,
      concurrency: 1,
      lockDuration: options.lockDurationMs,
      stalledInterval: options.stalledIntervalMs,
      maxStalledCount: 2,
    },
  );
  worker.on('failed', (job, err) => log.error({ job: job?.name, id: job?.id, err: err.message }, 'job failed'));
  worker.on('completed', (job) => log.info({ job: job.name, id: job.id }, 'job completed'));
  worker.on('error', (err) => log.error({ err }, 'worker error'));
  worker.on('closed', () => {
    connection.disconnect();
  });
  return {
    worker,
    connection,
    async stop(reason) {
      for (const controller of running) controller.abort(reason);
      await worker.close();
    },
  };
}

/**
 * Jobs of `queue` run `limit` at a time across every process that consumes it (BullMQ keeps the
 * limit in Redis): however many recommender build workers run, one embedding build at a time.
 */
export async function setGlobalConcurrency(redisUrl: string, queue: QueueName, prefix: string, limit: number): Promise<void> {
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
  const q = new Queue(queue, { connection, prefix });
  try {
    await q.setGlobalConcurrency(limit);
  } finally {
    await q.close();
    connection.disconnect();
  }
}
