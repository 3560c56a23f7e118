import type { AdminScreening, Screening, ScreeningDetails } from '@cine/common';
import { displayTitle, posterUrls } from '../films/film.service';
import { isoWithOffset } from './cinema-time';
import type { CalendarEvent } from './icalendar';
import type { ScreeningWithFilmRow } from './programme.repository';

/** A séance row as each reader sees it: the owner, customers, an agenda. Pure. */

const DEFAULT_RUNTIME_MINUTES = 120;

/** The French title when known; the tconst when the film has left the catalogue. */
function filmTitle(r: ScreeningWithFilmRow): string | null {
  return r.primary_title === null ? null : displayTitle({ french_title: r.french_title, primary_title: r.primary_title });
}

export function endOf(r: { starts_at: Date; runtime_minutes: number | null }): Date {
  return new Date(r.starts_at.getTime() + (r.runtime_minutes ?? DEFAULT_RUNTIME_MINUTES) * 60_000);
}

/** The séance's own fields, the same for the owner and the customers. */
function details(r: ScreeningWithFilmRow): ScreeningDetails {
  return {
    room: r.room,
    version: r.version,
    format: r.format,
    accessibility: { sme: r.sme, ad: r.ad },
    labels: r.labels,
    priceNote: r.price_note,
    bookingUrl: r.booking_url,
    status: r.status,
  };
}

export function adminView(r: ScreeningWithFilmRow, timeZone: string): AdminScreening {
  return {
    id: r.id,
    tconst: r.tconst,
    // A film programmed from outside the catalogue: the owner still reads its IMDb title.
    title: filmTitle(r) ?? r.index_title,
    startsAt: isoWithOffset(r.starts_at, timeZone),
    weekStart: r.week_start,
    ...details(r),
  };
}

export function customerView(r: ScreeningWithFilmRow, timeZone: string): Screening {
  return {
    id: r.id,
    film: {
      tconst: r.tconst,
      title: filmTitle(r) ?? r.tconst,
      primaryTitle: r.primary_title,
      originalTitle: r.original_title,
      frenchTitle: r.french_title,
      year: r.start_year,
      runtimeMinutes: r.runtime_minutes,
      genres: r.genres ?? [],
      poster: posterUrls(r.tconst, r.poster_path),
      originalLanguage: r.original_language,
    },
    startsAt: isoWithOffset(r.starts_at, timeZone),
    endsAt: isoWithOffset(endOf(r), timeZone),
    ...details(r),
    icsUrl: `/api/v1/screenings/${r.id}.ics`,
  };
}

export function calendarEvent(r: ScreeningWithFilmRow, cinemaName: string): CalendarEvent {
  return {
    uid: `screening-${r.id}@cine-creuse`,
    start: r.starts_at,
    end: endOf(r),
    stamp: r.updated_at,
    summary: `${filmTitle(r) ?? r.tconst} (${r.version}${r.format === '3D' ? ', 3D' : ''})`,
    location: `${r.room}, ${cinemaName}`,
    ...(r.price_note ? { description: r.price_note } : {}),
    url: r.booking_url,
    cancelled: r.status === 'cancelled',
  };
}
