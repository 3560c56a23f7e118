import type { PosterUrls, ResolvedEntry } from './api.contract';
import type { ReasonPart } from './recommender.contract';

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

/** What a séance is, as customers and the owner read it alike. */
export interface ScreeningDetails {
  room: string;
  version: ScreeningVersionCode;
  format: ScreeningFormatCode;
  accessibility: { sme: boolean; ad: boolean };
  labels: ScreeningLabelCode[];
  priceNote: string | null;
  bookingUrl: string | null;
  status: 'scheduled' | 'cancelled';
}

export interface Screening extends ScreeningDetails {
  id: string;
  film: ScreeningFilm;
  /** ISO 8601 with the cinema's offset: `2026-12-16T20:30:00+01:00`. */
  startsAt: string;
  /** From the runtime (2 h when unknown). */
  endsAt: string;
  /** This séance as an iCalendar file. */
  icsUrl: string;
}

/** A séance as the owner's editor reads it (`GET /api/v1/admin/screenings`), drafts included. */
export interface AdminScreening extends ScreeningDetails {
  id: string;
  tconst: string;
  /** The display title: the catalogue's (French when known), else the IMDb files' primary title (a film outside the catalogue); null when neither holds it. */
  title: string | null;
  startsAt: string;
  weekStart: string;
}

/** One programme week as the editor reads it; `publishedAt` null: a draft customers do not see. */
export interface AdminWeek {
  weekStart: string;
  publishedAt: string | null;
  items: AdminScreening[];
}

/** Séances in start order; the page groups them by film (`film.tconst`) when it wants to. */
export interface ScreeningsResponse {
  from: string;
  to: string;
  timeZone: string;
  items: Screening[];
}

/** `POST /api/v1/screenings/matches`: the programme's films ranked for one taste. */
export interface ScreeningMatchesRequest {
  /** tconsts or titles, as for the recommendations; empty: the films in start order, no scores. */
  liked: string[];
  disliked?: string[];
  from?: string;
  to?: string;
  /** The page's random id of the visit; accepted, not used yet. */
  visitId?: string;
}

/** A séance as listed under its film (the film is said once, in the match). */
export type FilmScreening = Omit<Screening, 'film'>;

export interface FilmMatch {
  film: ScreeningFilm;
  /** Null when the taste said nothing of this film (nothing liked, an input, unknown to the recommender). */
  score: number | null;
  /** The film fits the taste: the page says "pour vous". Fitting films come first. */
  forYou: boolean;
  reason: { fr: string; en: string } | null;
  reasons: ReasonPart[];
  /** Its scheduled séances in the period, in start order. */
  screenings: FilmScreening[];
}

export interface ScreeningMatchesResponse {
  from: string;
  to: string;
  timeZone: string;
  /** True when nothing liked could be used: the films are in the order of their first séance. */
  coldStart: boolean;
  resolved: { liked: ResolvedEntry[]; disliked: ResolvedEntry[] };
  items: FilmMatch[];
}

/** `GET /api/v1/admin/films/{tconst}/audience`: how many known tastes the film fits. */
export interface FilmAudience {
  tconst: string;
  /** Tastes the source knows. */
  tastes: number;
  /** Of those, how many the film fits. */
  fits: number;
  /** The reasons most given, most frequent first. */
  reasons: { kind: ReasonPart['kind']; value: string; count: number }[];
  /** Where the tastes come from; 'none' while the product keeps none. */
  source: string;
  message?: string;
}
