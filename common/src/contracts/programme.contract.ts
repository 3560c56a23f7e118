import type { PosterUrls } from './api.contract';

/** The cinema's programme as customers read it (`GET /api/v1/screenings`). */

export type ScreeningVersionCode = 'VF' | 'VOST' | 'VO';
export type ScreeningFormatCode = '2D' | '3D';
export type ScreeningLabelCode = 'art-et-essai' | 'cine-seniors' | 'cine-gouter' | 'avant-premiere' | 'debat' | 'patrimoine';

export interface ScreeningFilm {
  tconst: string;
  /** French title when the catalogue knows one, else the primary title; the tconst if the film left the catalogue. */
  title: string;
  primaryTitle: string | null;
  originalTitle: string | null;
  frenchTitle: string | null;
  year: number | null;
  runtimeMinutes: number | null;
  genres: string[];
  poster: PosterUrls | null;
  /** ISO 639-1 original language (TMDB), for VO and VOST. */
  originalLanguage: string | null;
}

export interface Screening {
  id: string;
  film: ScreeningFilm;
  /** ISO 8601 with the cinema's offset: `2026-12-16T20:30:00+01:00`. */
  startsAt: string;
  /** From the runtime (2 h when unknown). */
  endsAt: string;
  room: string;
  version: ScreeningVersionCode;
  format: ScreeningFormatCode;
  accessibility: { sme: boolean; ad: boolean };
  labels: ScreeningLabelCode[];
  priceNote: string | null;
  bookingUrl: string | null;
  status: 'scheduled' | 'cancelled';
  /** This séance as an iCalendar file. */
  icsUrl: string;
}

/** Séances in start order; the page groups them by film (`film.tconst`) when it wants to. */
export interface ScreeningsResponse {
  from: string;
  to: string;
  timeZone: string;
  items: Screening[];
}
