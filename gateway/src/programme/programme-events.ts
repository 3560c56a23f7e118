import { deterministicJobId, JobName, type Logger, type NotifyProducer } from '@cine/common';
import { addDays } from './cinema-time';

/**
 * What the programme tells the rest of the system once a change is saved: the notifier matches
 * a published week's séances against its subscribers' tastes, and tells those a cancelled séance
 * was announced to. Only published weeks count: a draft concerns nobody yet.
 */
export interface ProgrammeEvents {
  published(weekStart: string): Promise<void>;
  changed(weekStart: string): Promise<void>;
  cancelled(screeningId: string): Promise<void>;
}

/** No notifier wired (the benchmark, tests of other things): nothing is told. */
export const NO_PROGRAMME_EVENTS: ProgrammeEvents = {
  published: async () => undefined,
  changed: async () => undefined,
  cancelled: async () => undefined,
};

/**
 * The programme's events as notify jobs (common/src/jobs/notify-queue.ts). The owner's change is
 * saved before this runs, and it stays saved if the queue is away: the failure is logged for the
 * operator (week and séance ids only), the owner's request succeeds, and the notifier's catch-up
 * (hourly in the daytime, MATCH_CATCH_UP_CRON) sends the alerts it missed. Sending twice is the notifier's to prevent (a unique key per subscriber,
 * kind and film or week), so a job enqueued twice costs a second matching, never a second email.
 */
export class NotifyProgrammeEvents implements ProgrammeEvents {
  constructor(
    private readonly producer: NotifyProducer,
    private readonly log: Logger,
  ) {}

  async published(weekStart: string): Promise<void> {
    const data = { reason: 'published' as const, from: weekStart, to: addDays(weekStart, 7) };
    // A week is published once (publishing it again keeps the first date): one job per week.
    await this.send(() => this.producer.enqueue(JobName.MatchProgramme, data, { jobId: deterministicJobId(JobName.MatchProgramme, data) }), { weekStart });
  }

  async changed(weekStart: string): Promise<void> {
    // Every change is a new state of the week to match again: no id that would fold it into an earlier job.
    await this.send(() => this.producer.enqueue(JobName.MatchProgramme, { reason: 'changed', from: weekStart, to: addDays(weekStart, 7) }), { weekStart });
  }

  async cancelled(screeningId: string): Promise<void> {
    const data = { screeningId };
    await this.send(() => this.producer.enqueue(JobName.ScreeningCancelled, data, { jobId: deterministicJobId(JobName.ScreeningCancelled, data) }), { screeningId });
  }

  private async send(enqueue: () => Promise<void>, about: Record<string, string>): Promise<void> {
    try {
      await enqueue();
    } catch (err) {
      this.log.error({ err, ...about }, 'the notifier was not told of a programme change (its hourly catch-up will send what is due)');
    }
  }
}
