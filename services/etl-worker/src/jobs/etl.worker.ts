import { ETL_QUEUE, type Logger, redactError } from '@cine/common';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { assertEveryJobHasHandler, isBadInput, type JobContext, type Processors } from './etl.processors';

export interface EtlWorkerOptions {
  redisUrl: string;
  lockDurationMs: number;
  stalledIntervalMs: number;
  prefix: string;
}

export interface EtlWorker {
  readonly worker: Worker;
  /** The worker's Redis connection (health checks ping it). */
  readonly connection: IORedis;
  /**
   * Graceful stop: the running import is interrupted at its next piece of input (nothing is
   * swapped, staging is cleared), its job goes back to the queue for a retry, connections close.
   * A stop never waits minutes for an import to end.
   */
  stop(reason: string): Promise<void>;
}

/**
 * The BullMQ worker: one job at a time (an import takes the whole machine and a database lock),
 * bad input marked unrecoverable so it is not retried, progress pushed to the job.
 */
export function startEtlWorker(processors: Processors, options: EtlWorkerOptions, log: Logger): EtlWorker {
  const running = new Set<AbortController>();
  assertEveryJobHasHandler(processors);
  // Workers block on Redis: they must wait for it forever rather than fail a command.
  const connection = new IORedis(options.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker(
    ETL_QUEUE,
    async (job: Job) => {
      const process = processors[job.name as keyof Processors] as
        | ((data: unknown, ctx: JobContext) => Promise<unknown>)
        | undefined;
      if (!process) throw new UnrecoverableError(`no handler for job ${job.name}`);
      log.info({ job: job.name, id: job.id, attempt: job.attemptsMade + 1 }, 'job started');
      const controller = new AbortController();
      running.add(controller);
      try {
        return await process(job.data, {
          jobId: job.id ?? null,
          signal: controller.signal,
          onProgress: (progress) => {
            job.updateProgress(progress as unknown as object).catch((err: unknown) => log.warn({ err }, 'progress update failed'));
          },
        });
      } catch (raw) {
        // BullMQ keeps the message and the stack in Redis and shows them in the run view: no
        // source password may ride along (a library's error text repeats the URL it was given).
        const err = redactError(raw);
        if (isBadInput(err)) throw new UnrecoverableError(err instanceof Error ? err.message : String(err));
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
