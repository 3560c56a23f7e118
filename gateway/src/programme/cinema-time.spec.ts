import { addDays, fromLocal, isCalendarDate, isoWithOffset, offsetMinutes, toLocal, weekStartOf, weekStartOfDate } from './cinema-time';

const PARIS = 'Europe/Paris';

describe('cinema time (Intl, Europe/Paris)', () => {
  it('gives the offset and ISO 8601 with it on both sides of the clock changes', () => {
    expect(offsetMinutes(new Date('2027-01-10T12:00:00Z'), PARIS)).toBe(60);
    expect(offsetMinutes(new Date('2027-07-10T12:00:00Z'), PARIS)).toBe(120);
    // 2027: summer time from Sunday 28 March 01:00 UTC to Sunday 31 October 01:00 UTC.
    expect(isoWithOffset(new Date('2027-03-28T00:59:00Z'), PARIS)).toBe('2027-03-28T01:59:00+01:00');
    expect(isoWithOffset(new Date('2027-03-28T01:00:00Z'), PARIS)).toBe('2027-03-28T03:00:00+02:00');
    expect(isoWithOffset(new Date('2027-10-31T00:59:00Z'), PARIS)).toBe('2027-10-31T02:59:00+02:00');
    expect(isoWithOffset(new Date('2027-10-31T01:00:00Z'), PARIS)).toBe('2027-10-31T02:00:00+01:00');
  });

  it('turns a local date and time into the instant, whatever the season', () => {
    expect(fromLocal({ date: '2027-10-30', time: '20:30' }, PARIS).toISOString()).toBe('2027-10-30T18:30:00.000Z');
    expect(fromLocal({ date: '2027-10-31', time: '20:30' }, PARIS).toISOString()).toBe('2027-10-31T19:30:00.000Z');
    expect(fromLocal({ date: '2027-03-27', time: '20:30' }, PARIS).toISOString()).toBe('2027-03-27T19:30:00.000Z');
    expect(fromLocal({ date: '2027-03-28', time: '20:30' }, PARIS).toISOString()).toBe('2027-03-28T18:30:00.000Z');
    // A time the spring change skips lands an hour later.
    expect(isoWithOffset(fromLocal({ date: '2027-03-28', time: '02:30' }, PARIS), PARIS)).toBe('2027-03-28T03:30:00+02:00');
    for (const iso of ['2026-12-31T23:30:00Z', '2027-06-01T22:15:00Z']) {
      const local = toLocal(new Date(iso), PARIS);
      expect(fromLocal(local, PARIS).toISOString()).toBe(new Date(iso).toISOString());
    }
  });

  it('puts a séance in the week starting on the Wednesday before it, local day counting', () => {
    expect(weekStartOfDate('2026-12-16')).toBe('2026-12-16'); // a Wednesday
    expect(weekStartOfDate('2026-12-22')).toBe('2026-12-16'); // the Tuesday after
    expect(weekStartOfDate('2026-12-23')).toBe('2026-12-23');
    // Tuesday 23:30 in Paris: still the week of the 16th.
    expect(weekStartOf(new Date('2026-12-22T22:30:00Z'), PARIS)).toBe('2026-12-16');
    // Wednesday 00:30 in Paris (Tuesday 23:30 UTC): the next week.
    expect(weekStartOf(new Date('2026-12-22T23:30:00Z'), PARIS)).toBe('2026-12-23');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect([isCalendarDate('2027-02-29'), isCalendarDate('2028-02-29'), isCalendarDate('2027-1-01')]).toEqual([false, true, false]);
  });
});
