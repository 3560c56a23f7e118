import { addDays, localClock } from '../matching/cinema-time';

/**
 * The instant a local calendar day begins in the cinema's zone: the programme's periods are
 * dates of the cinema ("the week of Wednesday 9 December"), the séances instants. Midnight is
 * found from the zone's offset at that day's UTC midnight, checked again at the result: the
 * clock changes (02:00 or 03:00 in France) never fall on midnight, the check is for zones where
 * they do.
 */
export function localMidnight(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const utcMidnight = Date.UTC(y, m - 1, d);
  let instant = utcMidnight - offsetMs(new Date(utcMidnight), timeZone);
  const again = utcMidnight - offsetMs(new Date(instant), timeZone);
  if (again !== instant) instant = again;
  return new Date(instant);
}

/** The period [from, to) of local dates as instants. */
export function localPeriod(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return { start: localMidnight(from, timeZone), end: localMidnight(to, timeZone) };
}

/** The week of a Wednesday, [Wednesday 00:00, next Wednesday 00:00) in the cinema's zone. */
export function weekPeriod(week: string, timeZone: string): { start: Date; end: Date } {
  return localPeriod(week, addDays(week, 7), timeZone);
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms. */
function offsetMs(instant: Date, timeZone: string): number {
  const c = localClock(instant, timeZone);
  const [y, m, d] = c.date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d, c.hour, c.minute);
  return wall - Math.floor(instant.getTime() / 60_000) * 60_000;
}
