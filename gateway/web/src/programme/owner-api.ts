import type { AdminScreening, AdminWeek, FilmAudience, FilmIndexHit, FilmIndexSearchResponse, ScreeningDetails } from '@cine/common/contracts';

export type { AdminScreening, AdminWeek, FilmAudience, FilmIndexHit };
import { requestJson } from './http';

export interface OwnerSession {
  email: string;
  csrfToken: string;
}
export interface Room {
  id: number;
  name: string;
  seats: number;
  wheelchair: boolean;
}
/** What the editor sends for a séance: every detail but its status, which a cancel sets. */
export type ScreeningInput = Omit<ScreeningDetails, 'status'> & { tconst: string; startsAt: string };

export const login = (email: string, password: string) =>
  requestJson<OwnerSession>('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
export const me = () => requestJson<OwnerSession>('/api/v1/auth/me');
export const logout = () => requestJson<{ loggedOut: true }>('/api/v1/auth/logout', { method: 'POST' });

/** The owner's programme routes; every write carries the session's CSRF token. */
export class OwnerApi {
  constructor(private readonly csrfToken: string) {}

  rooms = () => requestJson<{ items: Room[] }>('/api/v1/admin/rooms');
  week = (day: string) => requestJson<AdminWeek>(`/api/v1/admin/screenings?week=${day}`);
  addRoom = (room: { name: string; seats: number; wheelchair: boolean }) => this.write('POST', '/api/v1/admin/rooms', room);
  addScreening = (s: ScreeningInput) => this.write<AdminScreening>('POST', '/api/v1/admin/screenings', s);
  /** Only the fields sent change; the editor sends them all, as the form shows them. */
  updateScreening = (id: string, s: Partial<ScreeningInput>) => this.write<AdminScreening>('PATCH', `/api/v1/admin/screenings/${encodeURIComponent(id)}`, s);
  /** Any film of the IMDb files, the catalogue's or not (the admin film index search). */
  searchFilms = (q: string, limit: number, signal?: AbortSignal) =>
    requestJson<FilmIndexSearchResponse>(`/api/v1/admin/films/search?q=${encodeURIComponent(q)}&limit=${limit}`, signal ? { signal } : {});
  /** How many alert subscribers' tastes a film fits (counts only): who would be told. */
  audience = (tconst: string) => requestJson<FilmAudience>(`/api/v1/admin/films/${encodeURIComponent(tconst)}/audience`);
  cancel = (id: string) => this.write('DELETE', `/api/v1/admin/screenings/${encodeURIComponent(id)}`);
  publish = (weekStart: string) => this.write<{ publishedAt: string; screenings: number }>('POST', `/api/v1/admin/weeks/${weekStart}/publish`);
  duplicate = (weekStart: string, to: string) => this.write<{ created: number }>('POST', `/api/v1/admin/weeks/${weekStart}/duplicate`, { to });
  /** A customer's erasure asked of the cinema: the address in the body only. */
  eraseSubscriber = (email: string) => this.write<{ erased: boolean }>('POST', '/api/v1/admin/subscribers/erase', { email });
  importCsv = (csv: string) => this.write<{ created: number; weeks: string[] }>('POST', '/api/v1/admin/screenings/import', csv, 'text/csv; charset=utf-8');

  private write<T = unknown>(method: string, path: string, body?: unknown, type = 'application/json'): Promise<T> {
    const headers: Record<string, string> = { 'x-csrf-token': this.csrfToken };
    if (body !== undefined) headers['content-type'] = type;
    return requestJson<T>(path, { method, headers, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
  }
}
