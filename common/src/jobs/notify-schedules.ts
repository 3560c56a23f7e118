import { JobName, type JobPayloads, type NotifyJobName } from './job-catalogue';

/** When the notifier's recurring jobs run: cron patterns read in the cinema's time zone. */
export interface NotifySchedules {
  /** `DIGEST_CRON`; default Wednesday 10:00, the French release day. */
  digestCron: string;
  /** Daily; default 03:30, a quiet hour. */
  retentionCron: string;
  /** `MATCH_CATCH_UP_CRON`; default hourly from 08:15 to 20:15, never at night. */
  catchUpCron: string;
  /** `CINEMA_TIMEZONE`, e.g. Europe/Paris: 10:00 stays 10:00 across a clock change. */
  timezone: string;
}

export const DEFAULT_DIGEST_CRON = '0 10 * * 3';
export const DEFAULT_RETENTION_CRON = '30 3 * * *';
export const DEFAULT_CATCH_UP_CRON = '15 8-20 * * *';

/** One recurring job: a fixed id, so upserting it again replaces it rather than adding a second. */
export type ScheduledNotifyJob = {
  [N in NotifyJobName]: { id: string; name: N; data: JobPayloads[N]; pattern: string; timezone: string };
}[NotifyJobName];

/** The notifier's recurring jobs, as both the BullMQ scheduler and the in-process timer run them. */
export function notifyScheduledJobs(schedules: NotifySchedules): ScheduledNotifyJob[] {
  return [
    // No week in the data: the digest handler takes the week of the day it runs.
    { id: 'notify-weekly-digest', name: JobName.SendDigests, data: {}, pattern: schedules.digestCron, timezone: schedules.timezone },
    { id: 'notify-daily-retention', name: JobName.NotifierRetention, data: {}, pattern: schedules.retentionCron, timezone: schedules.timezone },
    // What a programme event lost on the way left unsent goes out at the next daytime hour.
    { id: 'notify-programme-catch-up', name: JobName.MatchProgramme, data: { reason: 'scheduled' }, pattern: schedules.catchUpCron, timezone: schedules.timezone },
  ];
}
