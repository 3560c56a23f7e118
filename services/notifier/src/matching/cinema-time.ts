/**
 * The cinema's wall clock with Intl only: the matching rules need the local hour of a séance
 * ("avant 18 h") and the programme week it belongs to, both in the cinema's zone whatever the
 * server's, across the clock changes.
 */

export const CINEMA_TIME_ZONE = 'Europe/Paris';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalClock {
  /** `YYYY-MM-DD` */
  date: string;
  hour: number;
  minute: number;
}

export function localClock(instant: Date, timeZone = CINEMA_TIME_ZONE): LocalClock {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) if (part.type !== 'literal') p[part.type] = part.value;
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), minute: Number(p.minute) };
}

/** `YYYY-MM-DD` plus whole days, on the calendar. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** French cinemas change their programme on Wednesdays: the Wednesday (local date) of the week holding this instant. */
export function cinemaWeekOf(instant: Date, timeZone = CINEMA_TIME_ZONE): string {
  const date = localClock(instant, timeZone).date;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return addDays(date, -((weekday - 3 + 7) % 7));
}
