import type { Logger } from '../logger';
import { redactText } from '../security/redact';
import type { JobPayloads, NotifyJobName } from './job-catalogue';
import type { JobContext } from './import-queue';
import { assertHandlers } from './import-queue';
import type { NotifyProducer } from './notify-queue';
import { notifyScheduledJobs, type NotifySchedules } from './notify-schedules';
import type { NotifyHandlers } from './notify-worker';

/** The next time a cron pattern fires after `after`, read in `timezone` (the notifier gives cron-parser's). */
export type NextOccurrence = (pattern: string, timezone: string, after: Date) => Date;

export interface InProcessNotifyOptions {
  /** Tries per job (a temporary SMTP failure the sender gave up on); default 3. */
  attempts?: number;
  /** The first retry's wait, doubled each time; default 30 s. */
  backoffMs?: number;
  /** Bad input will be just as bad on the next attempt: not retried. */
  isBadInput?: (err: unknown) => boolean;
  now?: () => Date;
}

/** setTimeout's longest wait (about 24.8 days); a later occurrence is reached in several waits. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Pending {
  name: NotifyJobName;
  data: unknown;
  jobId: string | null;
}

/**
 * The notify queue without Redis (the all-in-one `npm start`): the notifier's handlers run here,
 * one job at a time in the order asked, with retries and an exponential backoff like BullMQ's; a
 * job id already waiting or running is one job. The weekly digest and the daily retention run on
 * timers of their own, each re-armed for its next occurrence. Jobs live in memory: a restart
 * loses the waiting ones, which the send ledger makes harmless to run again.
 */
export class InProcessNotifyQueue implements NotifyProducer {
  private tail: Promise<void> = Promise.resolve();
  private readonly ids = new Set<string>();
  /** Pending timers, with what to do if the queue closes first (a retry's wait ends at once). */
  private readonly timers = new Map<NodeJS.Timeout, (() => void) | undefined>();
  private closed = false;
  private readonly now: () => Date;

  constructor(
    private readonly handlers: NotifyHandlers,
    private readonly log: Logger,
    private readonly options: InProcessNotifyOptions = {},
  ) {
    assertHandlers(handlers, Object.keys(handlers) as NotifyJobName[]);
    this.now = options.now ?? (() => new Date());
  }

  async enqueue<N extends NotifyJobName>(name: N, data: JobPayloads[N], options: { jobId?: string; delayMs?: number } = {}): Promise<void> {
    if (this.closed) throw new Error('the in-process notify queue is closed');
    const jobId = options.jobId ?? null;
    if (jobId !== null && this.ids.has(jobId)) return;
    if (jobId !== null) this.ids.add(jobId);
    const job: Pending = { name, data, jobId };
    if (options.delayMs && options.delayMs > 0) {
      this.later(options.delayMs, () => this.push(job));
    } else {
      this.push(job);
    }
  }

  /** Arms the recurring jobs; each fires at its next occurrence, then is armed again. */
  startSchedules(schedules: NotifySchedules, next: NextOccurrence): void {
    for (const job of notifyScheduledJobs(schedules)) {
      let last = 0;
      const arm = () => {
        if (this.closed) return;
        // Never the same occurrence twice, even when the clock says it is not yet past.
        const at = next(job.pattern, job.timezone, new Date(Math.max(this.now().getTime(), last)));
        last = at.getTime();
        this.waitUntil(at, () => {
          // A day's run still waiting (a slow digest) is not queued a second time.
          void this.enqueue(job.name, job.data as never, { jobId: `${job.id}-${at.toISOString()}` });
          arm();
        });
      };
      arm();
    }
  }

  /** Resolves when every job asked for so far (not the delayed ones) has ended. */
  idle(): Promise<void> {
    return this.tail;
  }

  async close(): Promise<void> {
    this.closed = true;
    const cancelled = [...this.timers];
    this.timers.clear();
    for (const [timer, onCancel] of cancelled) {
      clearTimeout(timer);
      onCancel?.();
    }
    await this.tail;
  }

  private push(job: Pending): void {
    if (this.closed) return;
    this.tail = this.tail.then(() => this.execute(job));
  }

  private async execute(job: Pending): Promise<void> {
    const attempts = Math.max(1, this.options.attempts ?? 3);
    const handler = this.handlers[job.name] as (data: unknown, ctx: JobContext) => Promise<unknown>;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await handler(job.data, { jobId: job.jobId, earlierFailures: [], onProgress: () => {} });
          return;
        } catch (err) {
          const bad = (this.options.isBadInput?.(err) ?? false) || (err instanceof Error && err.name === 'UnrecoverableError');
          const message = redactText(err instanceof Error ? err.message : String(err));
          if (bad || attempt >= attempts || this.closed) {
            this.log.error({ job: job.name, attempt, err: message }, 'notify job failed');
            return;
          }
          const wait = (this.options.backoffMs ?? 30_000) * 2 ** (attempt - 1);
          this.log.warn({ job: job.name, attempt, retryInMs: wait, err: message }, 'notify job failed; retrying');
          // The queue waits with it: one job at a time, as the BullMQ consumer runs them.
          await new Promise<void>((resolve) => this.later(wait, resolve, resolve));
          if (this.closed) {
            this.log.warn({ job: job.name, attempt }, 'notify job dropped: the queue closed before its retry');
            return;
          }
        }
      }
    } finally {
      if (job.jobId !== null) this.ids.delete(job.jobId);
    }
  }

  private waitUntil(at: Date, fire: () => void): void {
    const ms = at.getTime() - this.now().getTime();
    if (ms > MAX_TIMER_MS) {
      this.later(MAX_TIMER_MS, () => this.waitUntil(at, fire));
      return;
    }
    this.later(Math.max(0, ms), fire);
  }

  /** A timer that never keeps the process alive and goes with `close` (`onCancel` then runs). */
  private later(ms: number, fire: () => void, onCancel?: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fire();
    }, ms);
    timer.unref();
    this.timers.set(timer, onCancel);
  }
}
