import { CronExpressionParser } from 'cron-parser';

/**
 * The next time `pattern` fires strictly after `after`, read in `timezone` (the library BullMQ's
 * job schedulers use, so the in-process timer and Redis agree on the same instant).
 */
export function nextOccurrence(pattern: string, timezone: string, after: Date): Date {
  return CronExpressionParser.parse(pattern, { currentDate: after, tz: timezone }).next().toDate();
}
