import type { Database, DbHandle, ScreeningFormat, ScreeningLabel, ScreeningStatus, ScreeningVersion } from '@cine/db';
import { type Kysely, sql } from 'kysely';

export interface RoomRow {
  id: number;
  name: string;
  seats: number;
  wheelchair: boolean;
}

export interface ScreeningRow {
  id: string;
  tconst: string;
  starts_at: Date;
  week_start: string;
  room: string;
  version: ScreeningVersion;
  format: ScreeningFormat;
  sme: boolean;
  ad: boolean;
  labels: ScreeningLabel[];
  price_note: string | null;
  booking_url: string | null;
  status: ScreeningStatus;
  updated_at: Date;
}

/** A séance with what the catalogue says of its film (null columns when the film left it). */
export interface ScreeningWithFilmRow extends ScreeningRow {
  primary_title: string | null;
  original_title: string | null;
  french_title: string | null;
  start_year: number | null;
  runtime_minutes: number | null;
  genres: string[] | null;
  poster_path: string | null;
  original_language: string | null;
  /** The film index's primary title: the owner's name for a film the catalogue does not hold. */
  index_title: string | null;
}

/** A séance to write: its row without what the database or a later change sets, the room by id. */
export type NewScreening = Omit<ScreeningRow, 'id' | 'room' | 'status' | 'updated_at'> & { room_id: number };

/** PostgreSQL's unique_violation: a second séance in the same room at the same start. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** The programme's tables: rooms, séances, published weeks. The only I/O of the programme. */
export class ProgrammeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  static of(handle: DbHandle): ProgrammeRepository {
    return new ProgrammeRepository(handle.db);
  }

  /** Runs `work` in one transaction, on a repository bound to it: all of it is saved, or none. */
  async transaction<T>(work: (repository: ProgrammeRepository) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new ProgrammeRepository(trx)));
  }

  async rooms(): Promise<RoomRow[]> {
    return this.db.selectFrom('room').select(['id', 'name', 'seats', 'wheelchair']).orderBy('name').execute();
  }

  async roomByName(name: string): Promise<RoomRow | undefined> {
    return this.db.selectFrom('room').select(['id', 'name', 'seats', 'wheelchair']).where(sql<string>`lower(name)`, '=', name.trim().toLowerCase()).executeTakeFirst();
  }

  async insertRoom(room: { name: string; seats: number; wheelchair: boolean }): Promise<RoomRow> {
    return this.db.insertInto('room').values(room).returning(['id', 'name', 'seats', 'wheelchair']).executeTakeFirstOrThrow();
  }

  /**
   * The tconsts among these that a séance may name: every film of the IMDb files (the film index
   * the import writes, migration 20261209090000_film_index), whatever the filter policy kept.
   */
  async filmIndexHolds(tconsts: readonly string[]): Promise<Set<string>> {
    if (tconsts.length === 0) return new Set();
    const rows = await this.db.selectFrom('film_index').select('tconst').where('tconst', 'in', [...new Set(tconsts)]).execute();
    return new Set(rows.map((r) => r.tconst));
  }

  /** The scheduled séance holding that room at that start, other than `exceptId`. */
  async clash(roomId: number, startsAt: Date, exceptId?: string): Promise<string | undefined> {
    let query = this.db.selectFrom('screening').select('id').where('room_id', '=', roomId).where('starts_at', '=', startsAt).where('status', '=', 'scheduled');
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId as never);
    return (await query.executeTakeFirst())?.id;
  }

  async insertScreening(row: NewScreening): Promise<string> {
    const { labels, ...rest } = row;
    const inserted = await this.db
      .insertInto('screening')
      .values({ ...rest, labels: sql<ScreeningLabel[]>`${labels}::text[]` })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(inserted.id);
  }

  async updateScreening(id: string, row: Omit<NewScreening, 'tconst'> & { tconst: string }): Promise<void> {
    const { labels, ...rest } = row;
    await this.db
      .updateTable('screening')
      .set({ ...rest, labels: sql<ScreeningLabel[]>`${labels}::text[]`, updated_at: sql`now()` })
      .where('id', '=', id as never)
      .execute();
  }

  async cancelScreening(id: string): Promise<void> {
    await this.db
      .updateTable('screening')
      .set({ status: 'cancelled', cancelled_at: sql`coalesce(cancelled_at, now())`, updated_at: sql`now()` })
      .where('id', '=', id as never)
      .where('status', '=', 'scheduled')
      .execute();
  }

  private screenings() {
    return this.db
      .selectFrom('screening as s')
      .innerJoin('room as r', 'r.id', 's.room_id')
      .leftJoin('title as t', 't.tconst', 's.tconst')
      .leftJoin('title_tmdb as tm', 'tm.imdb_id', 's.tconst')
      .leftJoin('film_index as fi', 'fi.tconst', 's.tconst')
      .select([
        sql<string>`s.id::text`.as('id'),
        's.tconst',
        's.starts_at',
        sql<string>`s.week_start::text`.as('week_start'),
        'r.name as room',
        's.version',
        's.format',
        's.sme',
        's.ad',
        's.labels',
        's.price_note',
        's.booking_url',
        's.status',
        's.updated_at',
        't.primary_title',
        't.original_title',
        't.french_title',
        't.start_year',
        't.runtime_minutes',
        't.genres',
        'tm.poster_path',
        'tm.original_language',
        'fi.primary_title as index_title',
      ])
      .orderBy('s.starts_at')
      .orderBy('r.name')
      // A cancelled séance after the one that took its slot.
      .orderBy(sql`s.status = 'cancelled'`)
      .orderBy('s.id');
  }

  async screening(id: string): Promise<ScreeningWithFilmRow | undefined> {
    return (await this.screenings().where('s.id', '=', id as never).executeTakeFirst()) as ScreeningWithFilmRow | undefined;
  }

  /** Every séance of a week, drafts and cancelled ones included (the owner's view). */
  async weekScreenings(weekStart: string): Promise<ScreeningWithFilmRow[]> {
    return (await this.screenings().where('s.week_start', '=', weekStart).execute()) as ScreeningWithFilmRow[];
  }

  /** Séances of published weeks starting in [from, to), cancelled ones included. */
  async publishedScreenings(from: Date, to: Date): Promise<ScreeningWithFilmRow[]> {
    return (await this.screenings()
      .innerJoin('programme_week as w', 'w.week_start', 's.week_start')
      .where('w.published_at', 'is not', null)
      .where('s.starts_at', '>=', from)
      .where('s.starts_at', '<', to)
      .execute()) as ScreeningWithFilmRow[];
  }

  /** A séance customers may see: its week is published. */
  async publishedScreening(id: string): Promise<ScreeningWithFilmRow | undefined> {
    return (await this.screenings()
      .innerJoin('programme_week as w', 'w.week_start', 's.week_start')
      .where('w.published_at', 'is not', null)
      .where('s.id', '=', id as never)
      .executeTakeFirst()) as ScreeningWithFilmRow | undefined;
  }

  async weekPublishedAt(weekStart: string): Promise<Date | null> {
    const row = await this.db.selectFrom('programme_week').select('published_at').where('week_start', '=', weekStart).executeTakeFirst();
    return row?.published_at ?? null;
  }

  /**
   * Publishes a week once: publishing it again keeps when, and by whom, it was first published.
   * `publishedBy` is the owner account's id, null when a script published it with the X-Api-Key.
   */
  async publishWeek(weekStart: string, publishedBy: number | null): Promise<Date> {
    const row = await this.db
      .insertInto('programme_week')
      .values({ week_start: weekStart, published_at: sql`now()`, published_by: publishedBy })
      .onConflict((oc) =>
        oc.column('week_start').doUpdateSet({
          published_by: sql`CASE WHEN programme_week.published_at IS NULL THEN excluded.published_by ELSE programme_week.published_by END`,
          published_at: sql`coalesce(programme_week.published_at, now())`,
        }),
      )
      .returning('published_at')
      .executeTakeFirstOrThrow();
    return row.published_at!;
  }

  /** The scheduled séances of a week, as they were written (room by id), to copy them. */
  async scheduledOfWeek(weekStart: string): Promise<NewScreening[]> {
    return this.db
      .selectFrom('screening')
      .select(['tconst', 'starts_at', sql<string>`week_start::text`.as('week_start'), 'room_id', 'version', 'format', 'sme', 'ad', 'labels', 'price_note', 'booking_url'])
      .where('week_start', '=', weekStart)
      .where('status', '=', 'scheduled')
      .orderBy('starts_at')
      .execute();
  }
}
