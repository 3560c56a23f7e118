/**
 * Dates as the cinema reads them: in its time zone (Europe/Paris), weeks from Wednesday to
 * Tuesday, French words ("mer. 9 déc. 20:30"). The browser's Intl does the zone arithmetic, so
 * the page is right wherever the visitor's phone thinks it is.
 */
export const CINEMA_TIME_ZONE = 'Europe/Paris';

const partsIn = (instant: Date, timeZone: string) => {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(instant);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: n('year'), m: n('month'), d: n('day'), h: n('hour'), min: n('minute'), s: n('second') };
};

/** `YYYY-MM-DD` of an instant in the cinema's zone. */
export function localDate(instant: Date, timeZone = CINEMA_TIME_ZONE): string {
  const p = partsIn(instant, timeZone);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** `HH:MM` of an instant in the cinema's zone. */
export function localTime(instant: Date, timeZone = CINEMA_TIME_ZONE): string {
  const p = partsIn(instant, timeZone);
  return `${String(p.h).padStart(2, '0')}:${String(p.min).padStart(2, '0')}`;
}

/** A calendar date moved by whole days (no zone involved: dates, not instants). */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The Wednesday starting the programme week that holds this date. */
export function weekStartOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday … 3 Wednesday
  return addDays(date, -((weekday - 3 + 7) % 7));
}

/** `+01:00`: the zone's offset at that local date and time (a time in a clock change's gap takes the later offset). */
export function offsetAt(date: string, time: string, timeZone = CINEMA_TIME_ZONE): string {
  const wanted = Date.parse(`${date}T${time}:00Z`);
  let guess = wanted;
  // Twice: the offset at the first guess may differ from the one at the answer near a clock change.
  for (let i = 0; i < 2; i++) {
    const p = partsIn(new Date(guess), timeZone);
    guess = wanted - (Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - guess);
  }
  const minutes = Math.round((wanted - guess) / 60_000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: CINEMA_TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short' });
const DAY_LONG = new Intl.DateTimeFormat('fr-FR', { timeZone: CINEMA_TIME_ZONE, weekday: 'long', day: 'numeric', month: 'long' });

/** "mer. 9 déc." */
export function frenchDay(instant: Date): string {
  return DAY.format(instant);
}

/** "mer. 9 déc. 20:30" */
export function frenchDayTime(instant: Date): string {
  return `${frenchDay(instant)} ${localTime(instant)}`;
}

/** "mercredi 9 décembre 2026 à 20:30", what a screen reader says. */
export function frenchDayTimeLong(instant: Date): string {
  return `${DAY_LONG.format(instant)} à ${localTime(instant).replace(':', ' h ')}`;
}

/** "mer. 9 déc." of a calendar date (noon UTC is that date in Paris). */
export function frenchDate(date: string): string {
  return frenchDay(new Date(`${date}T12:00:00Z`));
}
