import { toLocal } from './cinema-time';

/**
 * iCalendar (RFC 5545) for séances: what a customer's phone or agenda imports. Pure: the
 * service gives it séances already read.
 */

export interface CalendarEvent {
  /** Stable per séance: an agenda updates the event instead of adding a second one. */
  uid: string;
  start: Date;
  end: Date;
  /** When the séance was last written: DTSTAMP, so the same séance gives the same bytes. */
  stamp: Date;
  summary: string;
  location: string;
  description?: string;
  url?: string | null;
  cancelled: boolean;
}

const PRODID = '-//Cine Creuse//Programme//FR';

/**
 * Europe/Paris since 1996 (EU rules): summer time from the last Sunday of March at 02:00 to the
 * last Sunday of October at 03:00.
 */
const EUROPE_PARIS = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Paris',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Lines of at most 75 octets, continued after CRLF and a space, never inside a UTF-8 character (§3.1). */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // A continuation line starts with its space, which counts.
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

const pad = (n: number) => String(n).padStart(2, '0');

function utcStamp(instant: Date): string {
  return `${instant.getUTCFullYear()}${pad(instant.getUTCMonth() + 1)}${pad(instant.getUTCDate())}T${pad(instant.getUTCHours())}${pad(instant.getUTCMinutes())}${pad(instant.getUTCSeconds())}Z`;
}

/**
 * A DATE-TIME property: local time with TZID for Europe/Paris (the VTIMEZONE above describes
 * it); in UTC for another zone, which would need its own VTIMEZONE.
 */
function dateTime(name: string, instant: Date, timeZone: string): string {
  if (timeZone !== 'Europe/Paris') return `${name}:${utcStamp(instant)}`;
  const local = toLocal(instant, timeZone);
  const seconds = pad(instant.getUTCSeconds());
  return `${name};TZID=Europe/Paris:${local.date.replace(/-/g, '')}T${local.time.replace(':', '')}${seconds}`;
}

export function buildCalendar(events: readonly CalendarEvent[], opts: { timeZone: string; name: string }): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODID}`, 'CALSCALE:GREGORIAN', 'METHOD:PUBLISH', `X-WR-CALNAME:${escapeText(opts.name)}`];
  if (opts.timeZone === 'Europe/Paris') {
    lines.push(`X-WR-TIMEZONE:${opts.timeZone}`, ...EUROPE_PARIS);
  }
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utcStamp(e.stamp)}`,
      dateTime('DTSTART', e.start, opts.timeZone),
      dateTime('DTEND', e.end, opts.timeZone),
      `SUMMARY:${escapeText(e.summary)}`,
      `LOCATION:${escapeText(e.location)}`,
    );
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.url) lines.push(`URL:${e.url}`);
    lines.push(`STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
