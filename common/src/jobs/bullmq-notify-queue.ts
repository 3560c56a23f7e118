import { type JobSchedulerJson, Queue } from 'bullmq';
import type IORedis from 'ioredis';
import type { Logger } from '../logger';
import { type BullmqQueueOptions, bounded, loggedProducerConnection, QUEUE_CALL_TIMEOUT_MS, QueueUnavailableError } from './bullmq-import-queue';
import { type JobPayloads, type NotifyJobName, QueueName } from './job-catalogue';
import type { NotifyProducer } from './notify-queue';
import { notifyScheduledJobs, type NotifySchedules } from './notify-schedules';

/**
 * The notify queue on BullMQ, producer side: the gateway (a week published, a séance cancelled)
 * and the notifier (a subscription's confirmation email, the owner's digest run) enqueue here.
 * Every job carries its attempts and an exponential backoff with jitter: a temporary SMTP failure
 * the sender gave up on is tried again later, a worker killed mid-job hands it to another.
 *
 * Like the import queue, a call is refused at once unless the connection is ready, and bounded in
 * time otherwise (BullMQ waits for its connection without end while Redis is down).
 */
export class BullmqNotifyQueue implements NotifyProducer {
  private readonly queue: Queue;

  constructor(
    private readonly connection: IORedis,
    private readonly options: BullmqQueueOptions,
  ) {
    this.queue = new Queue(QueueName.Notify, { connection, prefix: options.prefix });
    // Without a listener BullMQ prints every reconnection attempt; the callers get the failure.
    this.queue.on('error', () => {});
  }

  enqueue<N extends NotifyJobName>(name: N, data: JobPayloads[N], options: { jobId?: string; delayMs?: number } = {}): Promise<void> {
    return this.guard(async () => {
      await this.queue.add(name, data, {
        ...this.jobOptions(),
        ...(options.jobId ? { jobId: options.jobId } : {}),
        ...(options.delayMs ? { delay: options.delayMs } : {}),
      });
    });
  }

  /**
   * The weekly digest and the daily retention as BullMQ job schedulers. Fixed ids: running this
   * at every start (or from two notifiers at once) leaves one schedule of each, with the latest
   * pattern. The patterns are read in `timezone`, so 10:00 stays 10:00 across a clock change.
   */
  upsertSchedules(schedules: NotifySchedules): Promise<void> {
    return this.guard(async () => {
      for (const job of notifyScheduledJobs(schedules)) {
        await this.queue.upsertJobScheduler(job.id, { pattern: job.pattern, tz: job.timezone }, { name: job.name, data: job.data, opts: this.jobOptions() });
      }
    });
  }

  /** The schedulers Redis holds now (tests, the admin's view). */
  schedulers(): Promise<JobSchedulerJson[]> {
    return this.guard(() => this.queue.getJobSchedulers(0, -1, true));
  }

  /** Readiness: the producer's connection answers. */
  async ping(): Promise<void> {
    await this.guard(() => this.connection.ping());
  }

  async close(): Promise<void> {
    await bounded(this.queue.close(), this.options.callTimeoutMs ?? QUEUE_CALL_TIMEOUT_MS).catch(() => {});
    this.connection.disconnect();
  }

  private jobOptions() {
    return {
      attempts: this.options.attempts,
      backoff: { type: 'exponential' as const, delay: this.options.backoffMs, jitter: 0.5 },
      removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
      removeOnFail: { age: 30 * 24 * 3600, count: 1000 },
    };
  }

  private guard<T>(call: () => Promise<T>): Promise<T> {
    if (this.connection.status !== 'ready') return Promise.reject(new QueueUnavailableError(`redis connection is ${this.connection.status}`));
    return bounded(call(), this.options.callTimeoutMs ?? QUEUE_CALL_TIMEOUT_MS);
  }
}

/** The producer as services use it: its own connection, one log line per distinct Redis error. */
export function openNotifyQueue(redisUrl: string, options: BullmqQueueOptions, log: Logger): BullmqNotifyQueue {
  return new BullmqNotifyQueue(loggedProducerConnection(redisUrl, log), options);
}
