import type { Screening } from '@cine/common';

/**
 * schema.org JSON-LD for the programme page (`<script type="application/ld+json">`): the
 * cinema as a MovieTheater, each séance a ScreeningEvent of its Movie, so that search engines
 * can show the séances. Pure: built from what `GET /api/v1/screenings` answers.
 */

export interface TheaterInfo {
  name: string;
  /** The page's absolute URL: the theater's `@id` and the base of relative links. */
  url: string;
  address?: { streetAddress: string; postalCode: string; addressLocality: string; addressCountry: string };
}

const SCHEMA = 'https://schema.org';

/** Languages of a version: VF is heard in French; VO and VOST in the film's own, VOST subtitled in French. */
function languages(s: Screening): { inLanguage?: string; subtitleLanguage?: string } {
  if (s.version === 'VF') return { inLanguage: 'fr' };
  const original = s.film.originalLanguage ?? undefined;
  return { ...(original ? { inLanguage: original } : {}), ...(s.version === 'VOST' ? { subtitleLanguage: 'fr' } : {}) };
}

/** ISO 8601 duration of the runtime: `PT2H55M`. */
function duration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `PT${h > 0 ? `${h}H` : ''}${m > 0 || h === 0 ? `${m}M` : ''}`;
}

export function programmeJsonLd(theater: TheaterInfo, screenings: readonly Screening[]): Record<string, unknown> {
  const theaterId = `${theater.url}#cinema`;
  const absolute = (path: string) => new URL(path, theater.url).toString();
  const movieTheater = {
    '@type': 'MovieTheater',
    '@id': theaterId,
    name: theater.name,
    url: theater.url,
    ...(theater.address ? { address: { '@type': 'PostalAddress', ...theater.address } } : {}),
  };
  const events = screenings.map((s) => ({
    '@type': 'ScreeningEvent',
    '@id': absolute(`/api/v1/screenings/${s.id}.ics`),
    name: `${s.film.title} (${s.version})`,
    startDate: s.startsAt,
    endDate: s.endsAt,
    eventStatus: s.status === 'cancelled' ? `${SCHEMA}/EventCancelled` : `${SCHEMA}/EventScheduled`,
    eventAttendanceMode: `${SCHEMA}/OfflineEventAttendanceMode`,
    location: { '@type': 'MovieTheater', '@id': theaterId, name: theater.name, containsPlace: { '@type': 'Place', name: s.room } },
    videoFormat: s.format,
    ...languages(s),
    workPresented: {
      '@type': 'Movie',
      name: s.film.title,
      sameAs: `https://www.imdb.com/title/${s.film.tconst}/`,
      ...(s.film.year !== null ? { dateCreated: String(s.film.year) } : {}),
      ...(s.film.runtimeMinutes !== null ? { duration: duration(s.film.runtimeMinutes) } : {}),
      ...(s.film.genres.length > 0 ? { genre: s.film.genres } : {}),
      ...(s.film.poster ? { image: absolute(s.film.poster.w342) } : {}),
    },
    ...(s.bookingUrl ? { offers: { '@type': 'Offer', url: s.bookingUrl } } : {}),
  }));
  return { '@context': SCHEMA, '@graph': [movieTheater, ...events] };
}
