import type { Logger } from '../logger';
import type { NotifyJobName } from './job-catalogue';
import { QueueName } from './job-catalogue';
import type { Handlers } from './import-queue';
import { type JobWorker, type JobWorkerOptions, startJobWorker } from './job-worker';

/** The notify queue's jobs, each with its handler: one missing is a compile error. */
export type NotifyHandlers = Handlers<NotifyJobName>;

/**
 * The notify queue's BullMQ consumer: the shared worker of the job catalogue (handlers checked at
 * start, bad input unrecoverable, errors redacted, graceful stop). Attempts and their exponential
 * backoff travel with each job, set by the producer (BullmqNotifyQueue) or its scheduler's template.
 */
export function startNotifyWorker(handlers: NotifyHandlers, options: Omit<JobWorkerOptions, 'queue'>, log: Logger): JobWorker {
  return startJobWorker(handlers, { ...options, queue: QueueName.Notify }, log);
}
