import type { JobPayloads, NotifyJobName } from './job-catalogue';

/**
 * The producer side of the notifier's queue (`QueueName.Notify`): the gateway enqueues
 * `match-programme` when the owner publishes or changes séances and `screening-cancelled` when one
 * is cancelled; the notifier's subscribe route enqueues `send-confirmation`. BullMQ when Redis is
 * configured, in-process for the embedded `npm start`.
 *
 * A job id makes a second enqueue of the same work one job (BullMQ deduplicates by id while the
 * job is kept); exactly-once sending does not rest on it: the notifier's ledger holds a unique key
 * per (subscriber, kind, film or week).
 */
export interface NotifyProducer {
  enqueue<N extends NotifyJobName>(name: N, data: JobPayloads[N], options?: { jobId?: string; delayMs?: number }): Promise<void>;
  close(): Promise<void>;
}
