/**
 * Wall-clock time in the cinema's time zone, with Intl only: the programme thinks in local dates
 * and times ("mercredi 20 h 30"), the database in instants. Four operations are enough, and a
 * date library would add a dependency for them.
 */

export interface LocalDateTime {
  /** `YYYY-MM-DD` */
  date: string;
  /** `HH:MM` */
  time: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError for a zone Intl does not know: config.ts calls it at boot. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

function parts(instant: Date, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { y: out.year!, mo: out.month!, d: out.day!, h: out.hour!, mi: out.minute!, s: out.second! };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Minutes to add to UTC to get the local time at that instant (+60 in Paris in winter). */
export function offsetMinutes(instant: Date, timeZone: string): number {
  const p = parts(instant, timeZone);
  const asUtc = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

export function toLocal(instant: Date, timeZone: string): LocalDateTime {
  const p = parts(instant, timeZone);
  return { date: `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}`, time: `${pad(p.h)}:${pad(p.mi)}` };
}

/** ISO 8601 with the zone's offset at that instant: `2026-12-16T20:30:00+01:00`. */
export function isoWithOffset(instant: Date, timeZone: string): string {
  const p = parts(instant, timeZone);
  const off = offsetMinutes(instant, timeZone);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}T${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The instant a local date and time names in the zone. A time skipped by the spring change
 * (02:30 on the last Sunday of March in Paris) lands an hour later; a repeated one (02:30 in
 * October) is one of its two instants. Neither is a séance time.
 */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  const [y, mo, d] = local.date.split('-').map(Number) as [number, number, number];
  const [h, mi] = local.time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const first = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  const second = wall - offsetMinutes(new Date(first), timeZone) * 60_000;
  return new Date(second);
}

/** `YYYY-MM-DD` plus whole days, on the calendar (no time zone involved). */
export function addDays(date: string, days: number): string {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d + days));
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** 0 Sunday … 3 Wednesday … 6 Saturday, for a calendar date. */
export function dayOfWeek(date: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
}

/** French cinemas change their programme on Wednesdays: a week runs Wednesday to Tuesday. */
export function weekStartOfDate(date: string): string {
  return addDays(date, -((dayOfWeek(date) - 3 + 7) % 7));
}

/** The Wednesday, in the cinema's zone, of the programme week of a séance starting then. */
export function weekStartOf(instant: Date, timeZone: string): string {
  return weekStartOfDate(toLocal(instant, timeZone).date);
}

/** Whole days from one calendar date to another. */
export function daysBetween(from: string, to: string): number {
  const ms = (date: string) => {
    const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
    return Date.UTC(y, mo - 1, d);
  };
  return Math.round((ms(to) - ms(from)) / 86_400_000);
}

/** A real calendar date in `YYYY-MM-DD` (the pattern alone lets 2026-02-31 through). */
export function isCalendarDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && addDays(date, 0) === date;
}
