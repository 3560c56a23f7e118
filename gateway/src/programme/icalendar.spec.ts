// ical.js is an ES module with a CommonJS build, which jest loads; the types come from the ESM side.
type IcalModule = typeof import('ical.js', { with: { 'resolution-mode': 'import' } })['default'];
const ICAL = require('ical.js') as IcalModule;
import { buildCalendar, type CalendarEvent, escapeText, foldLine } from './icalendar';

const PARIS = 'Europe/Paris';

function event(over: Partial<CalendarEvent>): CalendarEvent {
  return {
    uid: 'screening-1@cine-creuse',
    start: new Date('2027-10-30T18:30:00Z'),
    end: new Date('2027-10-30T20:30:00Z'),
    stamp: new Date('2027-10-01T08:00:00Z'),
    summary: 'Le Parrain (VOST)',
    location: 'Salle 1, Ciné Creuse',
    cancelled: false,
    ...over,
  };
}

/** ical.js reads the file and resolves TZID through the calendar's own VTIMEZONE. */
function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

describe('iCalendar (RFC 5545)', () => {
  it('escapes backslash, semicolon, comma and newlines in text', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds lines at 75 octets, never inside a UTF-8 character', () => {
    const line = `SUMMARY:${'é'.repeat(100)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(75);
    for (const p of parts.slice(1)) expect(p.startsWith(' ')).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(folded).not.toContain('\uFFFD');
  });

  it('writes CRLF lines, a Europe/Paris VTIMEZONE, DTSTART with TZID, and reads back with ical.js', () => {
    const long = 'Un titre très long, avec des virgules; des points-virgules et un \\ pour voir si tout passe bien au pliage';
    const text = buildCalendar(
      [
        event({ summary: long }),
        // The day after the October change: 20:30 is 19:30 UTC, no longer 18:30.
        event({ uid: 'screening-2@cine-creuse', start: new Date('2027-10-31T19:30:00Z'), end: new Date('2027-10-31T21:30:00Z'), cancelled: true }),
        // Either side of the March change.
        event({ uid: 'screening-3@cine-creuse', start: new Date('2027-03-27T19:30:00Z'), end: new Date('2027-03-27T21:30:00Z') }),
        event({ uid: 'screening-4@cine-creuse', start: new Date('2027-03-28T18:30:00Z'), end: new Date('2027-03-28T20:30:00Z') }),
      ],
      { timeZone: PARIS, name: 'Ciné Creuse : programme' },
    );
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).toContain('DTSTART;TZID=Europe/Paris:20271030T203000\r\n');
    expect(text).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n');

    const events = parse(text);
    expect(events.map((e) => [e.uid, e.startDate.toString(), e.startDate.zone?.tzid, e.startDate.toJSDate().toISOString()])).toEqual([
      ['screening-1@cine-creuse', '2027-10-30T20:30:00', PARIS, '2027-10-30T18:30:00.000Z'],
      ['screening-2@cine-creuse', '2027-10-31T20:30:00', PARIS, '2027-10-31T19:30:00.000Z'],
      ['screening-3@cine-creuse', '2027-03-27T20:30:00', PARIS, '2027-03-27T19:30:00.000Z'],
      ['screening-4@cine-creuse', '2027-03-28T20:30:00', PARIS, '2027-03-28T18:30:00.000Z'],
    ]);
    expect(events[0]!.summary).toBe(long);
    expect(events[0]!.location).toBe('Salle 1, Ciné Creuse');
    expect(events.map((e) => e.component.getFirstPropertyValue('status'))).toEqual(['CONFIRMED', 'CANCELLED', 'CONFIRMED', 'CONFIRMED']);
    expect(events[0]!.endDate.toJSDate().toISOString()).toBe('2027-10-30T20:30:00.000Z');
    expect(events[0]!.component.getFirstPropertyValue('dtstamp')?.toString()).toBe('2027-10-01T08:00:00Z');
  });
});
