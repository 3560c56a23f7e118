import type { AdminScreening, AdminWeek, ScreeningsResponse } from '@cine/common';
import { badRequest, HttpError, notFound } from '../http/http-errors';
import type { ScreeningInput, ScreeningPatch } from '../schemas/programme.schema';
import { addDays, dayOfWeek, daysBetween, fromLocal, isCalendarDate, isoWithOffset, toLocal, weekStartOf, weekStartOfDate } from './cinema-time';
import { buildCalendar } from './icalendar';
import { NO_PROGRAMME_EVENTS, type ProgrammeEvents } from './programme-events';
import { isUniqueViolation, type NewScreening, type ProgrammeRepository, type RoomRow, type ScreeningWithFilmRow } from './programme.repository';
import { CsvFieldError, parseScreeningCsv } from './screening-csv';
import { adminView, calendarEvent, customerView } from './screening.views';

/** A séance that started longer ago than this is past: no longer offered. */
export const PAST_AFTER_MS = 15 * 60_000;
const DEFAULT_SPAN_DAYS = 14;
const MAX_SPAN_DAYS = 62;

export interface ProgrammeOptions {
  timeZone: string;
  cinemaName: string;
  now?: () => Date;
  /** Told of changes to published weeks once they are saved (the notifier's jobs); default: nobody. */
  events?: ProgrammeEvents;
}

/** A body field that names something the programme cannot accept; the caller says where it was. */
class FieldProblem extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly status = 400,
  ) {
    super(reason);
  }
}

const conflict = (message: string) => new HttpError(409, message);
const unique = <T>(values: T[]) => [...new Set(values)];

export class ProgrammeService {
  private readonly now: () => Date;
  private readonly events: ProgrammeEvents;

  constructor(
    private readonly repository: ProgrammeRepository,
    private readonly opts: ProgrammeOptions,
  ) {
    this.now = opts.now ?? (() => new Date());
    this.events = opts.events ?? NO_PROGRAMME_EVENTS;
  }

  get timeZone(): string {
    return this.opts.timeZone;
  }

  // ---- rooms ----
  rooms(): Promise<RoomRow[]> {
    return this.repository.rooms();
  }

  async addRoom(room: { name: string; seats: number; wheelchair?: boolean }): Promise<RoomRow> {
    try {
      return await this.repository.insertRoom({ name: room.name.trim(), seats: room.seats, wheelchair: room.wheelchair ?? false });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`a room named "${room.name}" exists already`);
      throw error;
    }
  }

  // ---- séances, the owner's side ----
  async week(anyDay: string): Promise<AdminWeek> {
    const weekStart = weekStartOfDate(this.calendarDate(anyDay, 'week'));
    const [rows, publishedAt] = await Promise.all([this.repository.weekScreenings(weekStart), this.repository.weekPublishedAt(weekStart)]);
    return { weekStart, publishedAt: publishedAt?.toISOString() ?? null, items: rows.map((r) => adminView(r, this.opts.timeZone)) };
  }

  async create(input: ScreeningInput): Promise<AdminScreening> {
    const id = await this.asBody(async () => {
      const row = await this.resolve(this.repository, input);
      return this.insert(this.repository, row);
    });
    const created = await this.adminScreening(id);
    await this.changedWeeks([created.weekStart]);
    return created;
  }

  async update(id: string, patch: ScreeningPatch): Promise<AdminScreening> {
    const current = await this.repository.screening(id);
    if (!current) throw notFound(`no séance ${id}`);
    if (current.status === 'cancelled') throw conflict(`séance ${id} is cancelled; add a new one instead`);
    const merged: ScreeningInput = {
      tconst: current.tconst,
      startsAt: current.starts_at.toISOString(),
      room: current.room,
      version: current.version,
      format: current.format,
      accessibility: { sme: current.sme, ad: current.ad },
      labels: current.labels,
      priceNote: current.price_note,
      bookingUrl: current.booking_url,
      ...patch,
    };
    if (patch.accessibility) merged.accessibility = { sme: current.sme, ad: current.ad, ...patch.accessibility };
    await this.asBody(async () => {
      // A film an import has since removed stays programmable in the séance that already shows it.
      const row = await this.resolve(this.repository, merged, { checkFilm: merged.tconst !== current.tconst });
      await this.refuseClash(this.repository, row, id);
      try {
        await this.repository.updateScreening(id, row);
      } catch (error) {
        if (isUniqueViolation(error)) throw new FieldProblem('startsAt', `room ${merged.room} already has a séance then`, 409);
        throw error;
      }
    });
    const updated = await this.adminScreening(id);
    // A séance moved to another week changed both.
    await this.changedWeeks([current.week_start, updated.weekStart]);
    return updated;
  }

  async cancel(id: string): Promise<AdminScreening> {
    const current = await this.repository.screening(id);
    if (!current) throw notFound(`no séance ${id}`);
    await this.repository.cancelScreening(id);
    // Told once, when it stops being scheduled, and only if customers could have seen it.
    if (current.status === 'scheduled' && (await this.repository.weekPublishedAt(current.week_start)) !== null) await this.events.cancelled(id);
    return this.adminScreening(id);
  }

  /** All or nothing: the first bad line stops the import and nothing is saved. */
  async importCsv(text: string): Promise<{ created: number; weeks: string[] }> {
    const imported = await this.importLines(text);
    await this.changedWeeks(imported.weeks);
    return imported;
  }

  private async importLines(text: string): Promise<{ created: number; weeks: string[] }> {
    let lines;
    try {
      lines = parseScreeningCsv(text, this.opts.timeZone);
    } catch (error) {
      if (error instanceof CsvFieldError) throw badRequest(error.message);
      throw error;
    }
    return this.repository.transaction(async (repository) => {
      const weeks = new Set<string>();
      for (const { line, input } of lines) {
        try {
          const row = await this.resolve(repository, input);
          await this.insert(repository, row);
          weeks.add(row.week_start);
        } catch (error) {
          if (error instanceof FieldProblem) throw badRequest(`line ${line}, field ${csvColumn(error.field)}: ${error.reason}`);
          throw error;
        }
      }
      return { created: lines.length, weeks: [...weeks].sort() };
    });
  }

  /** `publishedBy`: the owner account publishing, null for a script with the X-Api-Key. */
  async publish(weekStart: string, publishedBy: number | null): Promise<{ weekStart: string; publishedAt: string; screenings: number }> {
    this.wednesday(weekStart, 'weekStart');
    const publishedAt = await this.repository.publishWeek(weekStart, publishedBy);
    const rows = await this.repository.weekScreenings(weekStart);
    await this.events.published(weekStart);
    return { weekStart, publishedAt: publishedAt.toISOString(), screenings: rows.filter((r) => r.status === 'scheduled').length };
  }

  /**
   * Copies a week's scheduled séances to another week at the same local times: 20:30 stays
   * 20:30 across a clock change (the instant moves by an hour). Not published: a draft.
   */
  async duplicate(from: string, to: string): Promise<{ from: string; to: string; created: number }> {
    this.wednesday(from, 'weekStart');
    this.wednesday(to, 'to');
    if (from === to) throw badRequest('body/to must be another week than the one copied');
    const days = daysBetween(from, to);
    const created = await this.repository.transaction(async (repository) => {
      const rows = await repository.scheduledOfWeek(from);
      for (const row of rows) {
        const local = toLocal(row.starts_at, this.opts.timeZone);
        const startsAt = fromLocal({ date: addDays(local.date, days), time: local.time }, this.opts.timeZone);
        const copy: NewScreening = { ...row, starts_at: startsAt, week_start: weekStartOf(startsAt, this.opts.timeZone) };
        try {
          await this.insert(repository, copy);
        } catch (error) {
          if (error instanceof FieldProblem) throw conflict(`week ${to} already has a séance at ${isoWithOffset(startsAt, this.opts.timeZone)} in that room: nothing copied`);
          throw error;
        }
      }
      return rows.length;
    });
    // Copies into a week already published are new séances there.
    if (created > 0) await this.changedWeeks([to]);
    return { from, to, created };
  }

  // ---- customers ----
  async published(query: { from?: string; to?: string }): Promise<ScreeningsResponse> {
    const now = this.now();
    const from = query.from === undefined ? toLocal(now, this.opts.timeZone).date : this.calendarDate(query.from, 'from');
    const to = query.to === undefined ? addDays(from, DEFAULT_SPAN_DAYS) : this.calendarDate(query.to, 'to');
    const span = daysBetween(from, to);
    if (span < 0) throw badRequest('querystring/to must not be before from');
    if (span > MAX_SPAN_DAYS) throw badRequest(`querystring/to must be at most ${MAX_SPAN_DAYS} days after from`);
    const start = Math.max(fromLocal({ date: from, time: '00:00' }, this.opts.timeZone).getTime(), now.getTime() - PAST_AFTER_MS);
    const end = fromLocal({ date: addDays(to, 1), time: '00:00' }, this.opts.timeZone);
    const rows = await this.repository.publishedScreenings(new Date(start), end);
    return { from, to, timeZone: this.opts.timeZone, items: rows.map((r) => customerView(r, this.opts.timeZone)) };
  }

  async screeningCalendar(id: string): Promise<string> {
    const row = await this.repository.publishedScreening(id);
    if (!row) throw notFound(`no published séance ${id}`);
    return this.calendar([row]);
  }

  /** The published programme from a week ago on: agendas that subscribed keep the recent past. */
  async programmeCalendar(): Promise<string> {
    const now = this.now().getTime();
    const rows = await this.repository.publishedScreenings(new Date(now - 7 * 86_400_000), new Date(now + 366 * 86_400_000));
    return this.calendar(rows);
  }

  // ---- shared ----
  /** After a saved change: each published week among these is matched again. */
  private async changedWeeks(weeks: readonly string[]): Promise<void> {
    for (const week of new Set(weeks)) {
      if ((await this.repository.weekPublishedAt(week)) !== null) await this.events.changed(week);
    }
  }

  private calendar(rows: ScreeningWithFilmRow[]): string {
    return buildCalendar(
      rows.map((r) => calendarEvent(r, this.opts.cinemaName)),
      { timeZone: this.opts.timeZone, name: `${this.opts.cinemaName} : programme` },
    );
  }

  private async resolve(repository: ProgrammeRepository, input: ScreeningInput, opts = { checkFilm: true }): Promise<NewScreening> {
    const room = await repository.roomByName(input.room);
    if (!room) throw new FieldProblem('room', `no room named "${input.room}"`);
    if (opts.checkFilm && !(await repository.filmIndexHolds([input.tconst])).has(input.tconst)) {
      throw new FieldProblem('tconst', `${input.tconst} is not a film of the imported IMDb files`);
    }
    const startsAt = new Date(input.startsAt);
    if (Number.isNaN(startsAt.getTime())) throw new FieldProblem('startsAt', `"${input.startsAt}" is not a date and time`);
    return {
      tconst: input.tconst,
      starts_at: startsAt,
      week_start: weekStartOf(startsAt, this.opts.timeZone),
      room_id: room.id,
      version: input.version,
      format: input.format ?? '2D',
      sme: input.accessibility?.sme ?? false,
      ad: input.accessibility?.ad ?? false,
      labels: unique(input.labels ?? []),
      price_note: input.priceNote ?? null,
      booking_url: input.bookingUrl ?? null,
    };
  }

  /** Checked before writing, so that a clash inside an import names its line (the unique index stays the guard against races). */
  private async refuseClash(repository: ProgrammeRepository, row: NewScreening, exceptId?: string): Promise<void> {
    if (await repository.clash(row.room_id, row.starts_at, exceptId)) {
      throw new FieldProblem('startsAt', `the room already has a séance at ${isoWithOffset(row.starts_at, this.opts.timeZone)}`, 409);
    }
  }

  private async insert(repository: ProgrammeRepository, row: NewScreening): Promise<string> {
    await this.refuseClash(repository, row);
    return repository.insertScreening(row);
  }

  /** Problems of a JSON body: a 400 (or the 409 of a clash) naming `body/<field>`. */
  private async asBody<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof FieldProblem) throw new HttpError(error.status, `body/${error.field}: ${error.reason}`);
      if (isUniqueViolation(error)) throw conflict('body/startsAt: the room already has a séance then');
      throw error;
    }
  }

  private async adminScreening(id: string): Promise<AdminScreening> {
    const row = await this.repository.screening(id);
    if (!row) throw notFound(`no séance ${id}`);
    return adminView(row, this.opts.timeZone);
  }

  private calendarDate(value: string, field: string): string {
    if (!isCalendarDate(value)) throw badRequest(`${field} "${value}" is not a date YYYY-MM-DD`);
    return value;
  }

  private wednesday(value: string, field: string): void {
    this.calendarDate(value, field);
    if (dayOfWeek(value) !== 3) throw badRequest(`${field} ${value} is not a Wednesday (a programme week runs Wednesday to Tuesday)`);
  }
}

const CSV_COLUMN_OF: Record<string, string> = { startsAt: 'time', priceNote: 'price_note', bookingUrl: 'booking_url' };
function csvColumn(field: string): string {
  return CSV_COLUMN_OF[field] ?? field;
}
