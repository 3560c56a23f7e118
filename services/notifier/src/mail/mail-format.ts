import type { MatchedFilm } from '@cine/common';

/**
 * The small pieces every email shares: escaping, the links we agree to print, and dates and
 * séance facts in the words a reader of 60+ expects ("samedi 24 octobre à 20:30", "VOST (version
 * originale sous-titrée en français)"), always in the cinema's own time zone.
 */

export type Screening = MatchedFilm['screenings'][number];

export const DEFAULT_TIME_ZONE = 'Europe/Paris';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML element or a quoted attribute: titles, rooms and reasons come from data. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * The URL as printed, or null when it is not plain http(s): a booking link is typed by the owner,
 * and a `javascript:` or `data:` one must never become a link in a customer's mailbox.
 */
export function httpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null;
}

/** One line for a subject or a heading: data may carry line breaks, a header must not. */
export function oneLine(value: string): string {
  return value.replace(/[\r\n\t\u2028\u2029]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** Our own poster (`/posters/w185/<tconst>.jpg`, never a third party's), absolute. */
export function posterUrl(film: Pick<MatchedFilm, 'tconst' | 'posterUrl'>, publicBaseUrl: string): string | null {
  const given = film.posterUrl;
  if (given) return httpUrl(given.startsWith('/') ? `${publicBaseUrl}${given}` : given);
  return httpUrl(`${publicBaseUrl}/posters/w185/${encodeURIComponent(film.tconst)}.jpg`);
}

export function filmTitle(film: { title: string; year?: number | null }): string {
  return film.year ? `${oneLine(film.title)} (${film.year})` : oneLine(film.title);
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('fr-FR', { timeZone, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * "samedi 24 octobre à 20:30" in the cinema's zone. Intl does the zone arithmetic, so a week
 * across the October clock change reads 20:30 on both sides; the words are put together from the
 * parts so an ICU update cannot change the sentence.
 */
export function cinemaDateTime(startsAt: string, timeZone = DEFAULT_TIME_ZONE): string {
  const parts = formatIn(timeZone).formatToParts(new Date(startsAt));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} à ${part('hour')}:${part('minute')}`;
}

const DAY_MONTH = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });

/** "mercredi 9 décembre" for a calendar date (the digest's week): a date, no zone involved. */
export function calendarDay(isoDate: string): string {
  return DAY_MONTH.format(new Date(`${isoDate.slice(0, 10)}T12:00:00Z`));
}

export function capitalise(value: string): string {
  return value.charAt(0).toLocaleUpperCase('fr-FR') + value.slice(1);
}

/** Versions in full words: many readers do not know the abbreviations. */
export const VERSION_LABEL: Record<Screening['version'], string> = {
  VF: 'VF (en français)',
  VOST: 'VOST (version originale sous-titrée en français)',
  VO: 'VO (version originale, sans sous-titres)',
};

export function accessibilityLabels(accessibility: Screening['accessibility']): string[] {
  const labels: string[] = [];
  if (accessibility.sme) labels.push('sous-titres pour sourds et malentendants (SME)');
  if (accessibility.ad) labels.push('audiodescription (AD)');
  return labels;
}

/** "Samedi 24 octobre à 20:30, salle 2, VOST (…), audiodescription (AD)". */
export function screeningLine(screening: Screening, timeZone: string): string {
  const facts = [capitalise(cinemaDateTime(screening.startsAt, timeZone)), roomLabel(screening.room), VERSION_LABEL[screening.version], ...accessibilityLabels(screening.accessibility)];
  return facts.filter((f) => f !== '').join(', ');
}

/** "salle 2" for a bare number, the owner's own name ("Grande salle") otherwise. */
export function roomLabel(room: string): string {
  const name = oneLine(room);
  if (name === '') return '';
  return /^\d+$/.test(name) ? `salle ${name}` : name;
}

export interface ScreeningFacts {
  line: string;
  /** "Ajouter à mon agenda" (always) and "Réserver ma place" (when the owner gave a link). */
  links: Array<{ label: string; url: string }>;
}

/** A film as both parts show it: its title, poster, reason and séances with their links. */
export function filmFacts(film: MatchedFilm, context: { publicBaseUrl: string; timeZone: string }) {
  const screenings: ScreeningFacts[] = [...film.screenings]
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))
    .map((s) => {
      const links: ScreeningFacts['links'] = [];
      const ics = httpUrl(s.icsUrl.startsWith('/') ? `${context.publicBaseUrl}${s.icsUrl}` : s.icsUrl);
      if (ics) links.push({ label: 'Ajouter à mon agenda', url: ics });
      const booking = httpUrl(s.bookingUrl);
      if (booking) links.push({ label: 'Réserver ma place', url: booking });
      return { line: screeningLine(s, context.timeZone), links };
    });
  return { title: filmTitle(film), poster: posterUrl(film, context.publicBaseUrl), reason: oneLine(film.reason.fr), screenings };
}
