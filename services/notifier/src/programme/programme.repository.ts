import type { DbHandle } from '@cine/db';
import { sql } from 'kysely';
import type { ProgrammedFilm, ProgrammedScreening } from '../matching/matching.contract';

/** A séance as the cancellation notice names it. */
export interface ScreeningFacts {
  id: string;
  tconst: string;
  title: string;
  startsAt: string;
  room: string;
  status: 'scheduled' | 'cancelled';
}

/** The public links a programmed film and its séances carry in an email (`PUBLIC_BASE_URL`, no trailing slash). */
export function posterUrlOf(publicBaseUrl: string, tconst: string): string {
  return `${publicBaseUrl}/posters/w185/${tconst}.jpg`;
}

export function icsUrlOf(publicBaseUrl: string, screeningId: string): string {
  return `${publicBaseUrl}/api/v1/screenings/${screeningId}.ics`;
}

/**
 * The programme as the notifier reads it: the gateway's tables (`screening`, `programme_week`,
 * `room`), read-only, and the films' titles from the catalogue (`title`, with its French title,
 * then `film_index`, every film of the IMDb files; a film in neither is named by its tconst).
 * Customers hear only of séances in a published week: a draft concerns nobody yet.
 */
export class ProgrammeRepository {
  constructor(
    private readonly handle: DbHandle,
    private readonly publicBaseUrl: string,
  ) {}

  /**
   * The scheduled séances starting in [start, end) and after `now`, of published weeks, grouped
   * by film in the order of each film's first séance.
   */
  async filmsBetween(start: Date, end: Date, now: Date): Promise<ProgrammedFilm[]> {
    const from = start.getTime() > now.getTime() ? start : now;
    const rows = await this.handle.db
      .selectFrom('screening as s')
      .innerJoin('programme_week as w', 'w.week_start', 's.week_start')
      .innerJoin('room as r', 'r.id', 's.room_id')
      .select(['s.id', 's.tconst', 's.starts_at', 's.version', 's.sme', 's.ad', 's.status', 's.booking_url', 'r.name as room'])
      .where('w.published_at', 'is not', null)
      .where('s.status', '=', 'scheduled')
      .where('s.starts_at', '>', from)
      .where('s.starts_at', '<', end)
      .orderBy('s.starts_at')
      .orderBy('s.id')
      .execute();
    const byFilm = new Map<string, ProgrammedScreening[]>();
    for (const r of rows) {
      const list = byFilm.get(r.tconst) ?? [];
      list.push({
        id: String(r.id),
        startsAt: new Date(r.starts_at).toISOString(),
        room: r.room,
        version: r.version,
        accessibility: { sme: r.sme, ad: r.ad },
        status: r.status,
        icsUrl: icsUrlOf(this.publicBaseUrl, String(r.id)),
        bookingUrl: r.booking_url,
      });
      byFilm.set(r.tconst, list);
    }
    const titles = await this.titles([...byFilm.keys()]);
    return [...byFilm.entries()].map(([tconst, screenings]) => ({
      tconst,
      title: titles.get(tconst)?.title ?? tconst,
      year: titles.get(tconst)?.year ?? null,
      posterUrl: posterUrlOf(this.publicBaseUrl, tconst),
      screenings,
    }));
  }

  /** One séance, whatever its status or week (a cancelled one keeps its row). */
  async screening(id: string): Promise<ScreeningFacts | null> {
    if (!/^\d{1,18}$/.test(id)) return null;
    const row = await this.handle.db
      .selectFrom('screening as s')
      .innerJoin('room as r', 'r.id', 's.room_id')
      .select(['s.id', 's.tconst', 's.starts_at', 's.status', 'r.name as room'])
      .where('s.id', '=', sql<string>`${id}::bigint`)
      .executeTakeFirst();
    if (!row) return null;
    const title = (await this.titles([row.tconst])).get(row.tconst)?.title ?? row.tconst;
    return { id: String(row.id), tconst: row.tconst, title, startsAt: new Date(row.starts_at).toISOString(), room: row.room, status: row.status };
  }

  /**
   * A sample taste for the owner's preview: the catalogue's most-voted films, leaving out
   * `exclude` (the week's own films: a film liked is never proposed).
   */
  async sampleTaste(count: number, exclude: readonly string[]): Promise<string[]> {
    let query = this.handle.db.selectFrom('title').select('tconst').where('title_type', '=', 'movie').where('num_votes', 'is not', null);
    if (exclude.length > 0) query = query.where('tconst', 'not in', [...exclude]);
    const rows = await query.orderBy('num_votes', 'desc').orderBy('tconst').limit(count).execute();
    return rows.map((r) => r.tconst);
  }

  /** Title (French when the catalogue has one) and year of each film. */
  private async titles(tconsts: readonly string[]): Promise<Map<string, { title: string; year: number | null }>> {
    const out = new Map<string, { title: string; year: number | null }>();
    if (tconsts.length === 0) return out;
    const list = [...tconsts];
    const [indexed, served] = await Promise.all([
      this.handle.db.selectFrom('film_index').select(['tconst', 'primary_title', 'start_year']).where('tconst', 'in', list).execute(),
      this.handle.db.selectFrom('title').select(['tconst', 'primary_title', 'french_title', 'start_year']).where('tconst', 'in', list).execute(),
    ]);
    for (const r of indexed) out.set(r.tconst, { title: r.primary_title, year: r.start_year });
    for (const r of served) out.set(r.tconst, { title: r.french_title ?? r.primary_title, year: r.start_year });
    return out;
  }
}
