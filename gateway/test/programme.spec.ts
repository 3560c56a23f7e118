import type { Screening, ScreeningsResponse } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { addDays, fromLocal, isoWithOffset, toLocal, weekStartOfDate } from '../src/programme/cinema-time';
import { ADMIN_KEY, type RunningGateway, startGateway } from './gateway-harness';

// ical.js is an ES module with a CommonJS build, which jest loads; the types come from the ESM side.
type IcalModule = typeof import('ical.js', { with: { 'resolution-mode': 'import' } })['default'];
const ICAL = require('ical.js') as IcalModule;

const PARIS = 'Europe/Paris';
const GODFATHER = 'tt0068646';
const LION_KING = 'tt0110357';
const key = { 'x-api-key': ADMIN_KEY };

interface Answer<T> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}
type Body = { message: string } & Record<string, unknown>;

/** Local date and time in Paris → the ISO 8601 a client sends. */
const at = (date: string, time: string) => isoWithOffset(fromLocal({ date, time }, PARIS), PARIS);

/** The last Sunday of a month, the day of the clock change, at least 10 days from now. */
function nextChangeSunday(month: 3 | 10): string {
  const today = toLocal(new Date(), PARIS).date;
  for (let year = Number(today.slice(0, 4)); ; year += 1) {
    const last = addDays(`${year}-${String(month + 1).padStart(2, '0')}-01`, -1);
    const sunday = addDays(last, -new Date(`${last}T12:00:00Z`).getUTCDay());
    if (sunday > addDays(today, 10)) return sunday;
  }
}

describeWithSamples('programme: the owner edits, publishes and duplicates weeks; customers read JSON and iCalendar', () => {
  let t: TestDatabase;
  let gw: RunningGateway;

  async function call<T = Body>(method: string, path: string, opts: { body?: unknown; csv?: string; csvType?: string; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    let body: string | undefined;
    if (opts.csv !== undefined) {
      headers['content-type'] = opts.csvType ?? 'text/csv';
      body = opts.csv;
    } else if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const res = await fetch(`${gw.url}${path}`, { method, headers, body });
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as T) : (undefined as T);
    return { status: res.status, body: json, text, headers: res.headers };
  }
  const admin = <T = Body>(method: string, path: string, opts: { body?: unknown; csv?: string; csvType?: string } = {}) => call<T>(method, path, { ...opts, headers: key });
  const screeningCount = async () => Number((await sql<{ n: string }>`select count(*)::text as n from screening`.execute(t.handle.db)).rows[0]!.n);

  const today = toLocal(new Date(), PARIS).date;
  const nextWeek = addDays(weekStartOfDate(today), 7);

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples' });
    gw = await startGateway({ handle: t.handle });
  });
  afterAll(async () => {
    await gw?.close();
    await t?.drop();
  });

  it('refuses every admin route without the key (401), before reading the body', async () => {
    const routes: Array<[string, string, { body?: unknown; csv?: string }]> = [
      ['GET', '/api/v1/admin/rooms', {}],
      ['POST', '/api/v1/admin/rooms', { body: { bogus: true } }],
      ['GET', `/api/v1/admin/screenings?week=${nextWeek}`, {}],
      ['POST', '/api/v1/admin/screenings', { body: {} }],
      ['PATCH', '/api/v1/admin/screenings/1', { body: {} }],
      ['DELETE', '/api/v1/admin/screenings/1', {}],
      ['POST', '/api/v1/admin/screenings/import', { csv: 'date\n' }],
      ['POST', `/api/v1/admin/weeks/${nextWeek}/publish`, {}],
      ['POST', `/api/v1/admin/weeks/${nextWeek}/duplicate`, { body: { to: addDays(nextWeek, 7) } }],
    ];
    for (const [method, path, opts] of routes) {
      const answer = await call(method, path, opts);
      expect([method, path, answer.status]).toEqual([method, path, 401]);
    }
    expect((await call('GET', '/api/v1/admin/rooms', { headers: { 'x-api-key': 'wrong-key-0123456789' } })).status).toBe(401);
  });

  it('adds rooms and lists them; a name taken (whatever its case) is a 409', async () => {
    expect((await admin('POST', '/api/v1/admin/rooms', { body: { name: 'Salle 1', seats: 120, wheelchair: true } })).status).toBe(201);
    expect((await admin('POST', '/api/v1/admin/rooms', { body: { name: 'Salle 2', seats: 45 } })).body).toMatchObject({ name: 'Salle 2', seats: 45, wheelchair: false });
    expect((await admin('POST', '/api/v1/admin/rooms', { body: { name: 'salle 1', seats: 10 } })).status).toBe(409);
    expect((await admin('POST', '/api/v1/admin/rooms', { body: { name: 'Salle 3', seats: 0 } })).body.message).toMatch(/^body\/seats /);
    const { body } = await admin<{ items: Array<{ name: string }> }>('GET', '/api/v1/admin/rooms');
    expect(body.items.map((r) => r.name)).toEqual(['Salle 1', 'Salle 2']);
  });

  it('adds, changes and cancels a séance; an unknown room or tconst is a 400 naming the field; a clash is a 409', async () => {
    const thursday = addDays(nextWeek, 1);
    const seance = {
      tconst: GODFATHER,
      startsAt: at(thursday, '20:30'),
      room: 'salle 1',
      version: 'VOST',
      accessibility: { sme: true },
      labels: ['patrimoine'],
      priceNote: 'Tarif unique 5 €',
      bookingUrl: 'https://billets.example/parrain',
    };
    const created = await admin('POST', '/api/v1/admin/screenings', { body: seance });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      tconst: GODFATHER,
      startsAt: at(thursday, '20:30'),
      weekStart: nextWeek,
      room: 'Salle 1',
      version: 'VOST',
      format: '2D',
      accessibility: { sme: true, ad: false },
      labels: ['patrimoine'],
      status: 'scheduled',
    });
    const id = created.body.id as string;

    const before = await screeningCount();
    const bad: Array<[object, number, RegExp]> = [
      [{ ...seance, room: 'Salle 9' }, 400, /^body\/room: no room named "Salle 9"$/],
      [{ ...seance, tconst: 'tt9999999' }, 400, /^body\/tconst: tt9999999 is not a film of the imported IMDb files$/],
      [{ ...seance, tconst: 'Le Parrain' }, 400, /^body\/tconst /],
      [{ ...seance, startsAt: `${thursday}T20:30:00` }, 400, /^body\/startsAt /],
      [{ ...seance, bookingUrl: 'http://billets.example/parrain' }, 400, /^body\/bookingUrl /],
      [{ ...seance, labels: ['gala'] }, 400, /^body\/labels\/0 /],
      [{ ...seance, room: 'Salle 1', tconst: LION_KING }, 409, /^body\/startsAt: the room already has a séance at /],
    ];
    for (const [body, status, message] of bad) {
      const answer = await admin('POST', '/api/v1/admin/screenings', { body });
      expect([answer.status, answer.body.message]).toEqual([status, expect.stringMatching(message)]);
    }
    expect(await screeningCount()).toBe(before);

    // The same start in another room is no clash.
    const other = await admin('POST', '/api/v1/admin/screenings', { body: { ...seance, room: 'Salle 2', tconst: LION_KING, version: 'VF', bookingUrl: null } });
    expect(other.status).toBe(201);
    // Moving it onto the first one's room and start is.
    expect((await admin('PATCH', `/api/v1/admin/screenings/${other.body.id}`, { body: { room: 'Salle 1' } })).status).toBe(409);
    const moved = await admin('PATCH', `/api/v1/admin/screenings/${other.body.id}`, { body: { startsAt: at(thursday, '14:00'), accessibility: { ad: true } } });
    expect(moved.body).toMatchObject({ startsAt: at(thursday, '14:00'), room: 'Salle 2', accessibility: { sme: true, ad: true } });
    expect((await admin('PATCH', `/api/v1/admin/screenings/${other.body.id}`, { body: { room: 'Salle 9' } })).body.message).toBe('body/room: no room named "Salle 9"');
    expect((await admin('PATCH', '/api/v1/admin/screenings/999999', { body: { room: 'Salle 1' } })).status).toBe(404);

    const cancelled = await admin('DELETE', `/api/v1/admin/screenings/${other.body.id}`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    // Kept: the owner still sees it, and its slot is free again.
    const week = await admin<{ publishedAt: string | null; items: Array<{ id: string; status: string }> }>('GET', `/api/v1/admin/screenings?week=${addDays(nextWeek, 3)}`);
    expect(week.body.publishedAt).toBeNull();
    expect(week.body.items.map((s) => [s.id, s.status])).toEqual([
      [other.body.id, 'cancelled'],
      [id, 'scheduled'],
    ]);
    expect((await admin('POST', '/api/v1/admin/screenings', { body: { ...seance, room: 'Salle 2', startsAt: at(thursday, '14:00'), bookingUrl: null } })).status).toBe(201);
  });

  it('imports a CSV all or nothing: a bad line is a 400 naming line and field, nothing saved; then a good file is saved', async () => {
    const friday = addDays(nextWeek, 2);
    const head = 'date;time;tconst;room;version;format;sme;ad;labels;price_note;booking_url\n';
    const line2 = `${friday};18:00;${LION_KING};Salle 1;VF;;non;oui;cine-gouter;"Goûter offert; enfants 4 €";\n`;
    const line3 = `${friday};20:45;${GODFATHER};Salle 1;VOST;;;;art-et-essai|patrimoine;;https://billets.example/p2\n`;
    const before = await screeningCount();
    const cases: Array<[string, string]> = [
      [`${head}${line2}${friday};21:00;tt9999999;Salle 1;VF;;;;;;\n`, 'line 3, field tconst: tt9999999 is not a film of the imported IMDb files'],
      [`${head}${line2}${friday};21:00;${GODFATHER};Grande salle;VF;;;;;;\n`, 'line 3, field room: no room named "Grande salle"'],
      [`${head}${line2}${friday};18:00;${GODFATHER};Salle 1;VF;;;;;;\n`, expect.stringMatching(/^line 3, field time: the room already has a séance at /) as unknown as string],
      [`${head}${line2}${friday};8 pm;${GODFATHER};Salle 1;VF;;;;;;\n`, 'line 3, field time: "8 pm" is not a time HH:MM'],
    ];
    for (const [csv, message] of cases) {
      const answer = await admin('POST', '/api/v1/admin/screenings/import', { csv });
      expect([answer.status, answer.body.message]).toEqual([400, message]);
    }
    expect(await screeningCount()).toBe(before);

    const saved = await admin('POST', '/api/v1/admin/screenings/import', { csv: `${head}${line2}${line3}`, csvType: 'text/csv; charset=utf-8' });
    expect([saved.status, saved.body]).toEqual([201, { created: 2, weeks: [nextWeek] }]);
    expect(await screeningCount()).toBe(before + 2);
    const week = await admin<{ items: Array<{ startsAt: string; priceNote: string | null; labels: string[]; accessibility: object }> }>('GET', `/api/v1/admin/screenings?week=${nextWeek}`);
    expect(week.body.items.find((s) => s.startsAt === at(friday, '18:00'))).toMatchObject({ priceNote: 'Goûter offert; enfants 4 €', labels: ['cine-gouter'], accessibility: { sme: false, ad: true } });
  });

  it('shows customers the séances of published weeks only, never past ones, cancelled ones as cancelled', async () => {
    const range = `from=${today}&to=${addDays(nextWeek, 6)}`;
    expect((await call<ScreeningsResponse>('GET', `/api/v1/screenings?${range}`)).body.items).toEqual([]);

    // This week: one séance an hour ago (past), one 10 minutes ago (still offered), one to come.
    const now = Date.now();
    const thisWeekSeance = (ms: number, room: string) => ({ tconst: GODFATHER, startsAt: isoWithOffset(new Date(Math.floor(ms / 60_000) * 60_000), PARIS), room, version: 'VF' });
    const ago60 = await admin('POST', '/api/v1/admin/screenings', { body: thisWeekSeance(now - 60 * 60_000, 'Salle 1') });
    const ago10 = await admin('POST', '/api/v1/admin/screenings', { body: thisWeekSeance(now - 10 * 60_000, 'Salle 2') });
    expect([ago60.status, ago10.status]).toEqual([201, 201]);
    for (const s of [ago60, ago10]) {
      const published = await admin('POST', `/api/v1/admin/weeks/${s.body.weekStart}/publish`);
      expect(published.status).toBe(200);
    }
    const from = toLocal(new Date(now - 60 * 60_000), PARIS).date;
    let listed = await call<ScreeningsResponse>('GET', `/api/v1/screenings?from=${from}&to=${addDays(nextWeek, 6)}`);
    expect(listed.body.items.map((s) => s.id)).toEqual([ago10.body.id]);

    // Next week is still a draft; published, its séances appear, the cancelled one among them.
    expect((await admin('POST', `/api/v1/admin/weeks/${addDays(nextWeek, 1)}/publish`)).body.message).toMatch(/is not a Wednesday/);
    const published = await admin('POST', `/api/v1/admin/weeks/${nextWeek}/publish`);
    expect(published.body).toMatchObject({ weekStart: nextWeek, screenings: 4 });
    // Published with the X-Api-Key: no owner account behind it, published_by stays null.
    const week = await t.handle.db.selectFrom('programme_week').select(['published_at', 'published_by']).where('week_start', '=', nextWeek).executeTakeFirstOrThrow();
    expect(week).toEqual({ published_at: new Date(published.body.publishedAt as string), published_by: null });
    listed = await call<ScreeningsResponse>('GET', `/api/v1/screenings?${range}`);
    const next = listed.body.items.filter((s) => s.startsAt >= at(nextWeek, '00:00'));
    expect(next.map((s) => [s.startsAt, s.room, s.film.tconst, s.status])).toEqual([
      [at(addDays(nextWeek, 1), '14:00'), 'Salle 2', GODFATHER, 'scheduled'],
      [at(addDays(nextWeek, 1), '14:00'), 'Salle 2', LION_KING, 'cancelled'],
      [at(addDays(nextWeek, 1), '20:30'), 'Salle 1', GODFATHER, 'scheduled'],
      [at(addDays(nextWeek, 2), '18:00'), 'Salle 1', LION_KING, 'scheduled'],
      [at(addDays(nextWeek, 2), '20:45'), 'Salle 1', GODFATHER, 'scheduled'],
    ]);
    const parrain = next.find((s) => s.bookingUrl === 'https://billets.example/parrain') as Screening;
    expect(parrain).toMatchObject({
      film: { tconst: GODFATHER, primaryTitle: 'The Godfather', year: 1972, runtimeMinutes: 175, genres: ['Crime', 'Drama'] },
      startsAt: at(addDays(nextWeek, 1), '20:30'),
      endsAt: at(addDays(nextWeek, 1), '23:25'),
      version: 'VOST',
      accessibility: { sme: true, ad: false },
      labels: ['patrimoine'],
      priceNote: 'Tarif unique 5 €',
      icsUrl: `/api/v1/screenings/${parrain.id}.ics`,
    });
    expect(parrain.film.title).toBe(parrain.film.frenchTitle ?? 'The Godfather');
    expect(parrain.startsAt).toMatch(/^\d{4}-\d{2}-\d{2}T20:30:00\+0[12]:00$/);

    // The default period is today and 14 days on.
    const byDefault = await call<ScreeningsResponse>('GET', '/api/v1/screenings');
    expect([byDefault.body.from, byDefault.body.to, byDefault.body.timeZone]).toEqual([today, addDays(today, 14), PARIS]);
    expect((await call('GET', `/api/v1/screenings?from=${today}&to=${addDays(today, 90)}`)).status).toBe(400);
    expect((await call('GET', '/api/v1/screenings?from=2027-02-30')).status).toBe(400);
  });

  it('duplicates a week across the October clock change: 20:30 stays 20:30 local', async () => {
    const sunday = nextChangeSunday(10);
    const to = weekStartOfDate(sunday);
    const from = addDays(to, -7);
    for (const day of [addDays(sunday, -8), addDays(sunday, -7)]) {
      expect((await admin('POST', '/api/v1/admin/screenings', { body: { tconst: GODFATHER, startsAt: at(day, '20:30'), room: 'Salle 1', version: 'VF' } })).status).toBe(201);
    }
    const cancelled = await admin('POST', '/api/v1/admin/screenings', { body: { tconst: LION_KING, startsAt: at(addDays(sunday, -7), '14:00'), room: 'Salle 1', version: 'VF' } });
    await admin('DELETE', `/api/v1/admin/screenings/${cancelled.body.id}`);

    const copied = await admin('POST', `/api/v1/admin/weeks/${from}/duplicate`, { body: { to } });
    expect([copied.status, copied.body]).toEqual([201, { from, to, created: 2 }]);
    const week = await admin<{ items: Array<{ startsAt: string; status: string }> }>('GET', `/api/v1/admin/screenings?week=${to}`);
    expect(week.body.items.map((s) => [s.startsAt, s.status])).toEqual([
      [`${addDays(sunday, -1)}T20:30:00+02:00`, 'scheduled'],
      [`${sunday}T20:30:00+01:00`, 'scheduled'],
    ]);
    // Again: every slot is taken, nothing is copied.
    const before = await screeningCount();
    expect((await admin('POST', `/api/v1/admin/weeks/${from}/duplicate`, { body: { to } })).status).toBe(409);
    expect(await screeningCount()).toBe(before);
  });

  it('serves one séance and the published programme as iCalendar that ical.js reads, local times right across both clock changes', async () => {
    const march = nextChangeSunday(3);
    for (const day of [addDays(march, -1), march]) {
      expect((await admin('POST', '/api/v1/admin/screenings', { body: { tconst: GODFATHER, startsAt: at(day, '20:30'), room: 'Salle 2', version: 'VOST', priceNote: 'Séance, débat; verre offert' } })).status).toBe(201);
    }
    const october = nextChangeSunday(10);
    const weeks = [weekStartOfDate(march), weekStartOfDate(october)];
    for (const week of weeks) expect((await admin('POST', `/api/v1/admin/weeks/${week}/publish`)).status).toBe(200);

    const feed = await call('GET', '/programme.ics');
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(feed.text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const calendar = new ICAL.Component(ICAL.parse(feed.text));
    for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    const local = (day: string) => events.filter((e) => e.startDate.toString().startsWith(day)).map((e) => [e.startDate.toString(), e.startDate.zone?.tzid, e.startDate.toJSDate().toISOString()]);
    expect(local(addDays(march, -1))).toEqual([[`${addDays(march, -1)}T20:30:00`, PARIS, fromLocal({ date: addDays(march, -1), time: '20:30' }, PARIS).toISOString()]]);
    expect(local(march)).toEqual([[`${march}T20:30:00`, PARIS, `${march}T18:30:00.000Z`]]);
    expect(local(october)).toEqual([[`${october}T20:30:00`, PARIS, `${october}T19:30:00.000Z`]]);
    expect(local(addDays(october, -1))).toEqual([[`${addDays(october, -1)}T20:30:00`, PARIS, `${addDays(october, -1)}T18:30:00.000Z`]]);
    const marchEvent = events.find((e) => e.startDate.toString().startsWith(march))!;
    expect(marchEvent.location).toBe('Salle 2, Ciné Creuse');
    expect(marchEvent.description).toBe('Séance, débat; verre offert');
    expect(marchEvent.endDate.toJSDate().getTime() - marchEvent.startDate.toJSDate().getTime()).toBe(175 * 60_000);
    // Drafts never appear; every UID once.
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);

    // One séance: the same UID, and STATUS:CANCELLED once cancelled.
    const listed = await call<ScreeningsResponse>('GET', `/api/v1/screenings?from=${addDays(nextWeek, 1)}&to=${addDays(nextWeek, 1)}`);
    const lionKing = listed.body.items.find((s) => s.status === 'cancelled')!;
    const one = await call('GET', lionKing.icsUrl);
    expect(one.status).toBe(200);
    const only = new ICAL.Component(ICAL.parse(one.text)).getAllSubcomponents('vevent');
    expect(only.map((v) => [v.getFirstPropertyValue('uid'), v.getFirstPropertyValue('status')])).toEqual([[`screening-${lionKing.id}@cine-creuse`, 'CANCELLED']]);
    expect(events.some((e) => e.uid === `screening-${lionKing.id}@cine-creuse`)).toBe(true);
    expect((await call('GET', '/api/v1/screenings/999999.ics')).status).toBe(404);
  });

  it('imports the demo file of docs/programme.md as it stands', async () => {
    const csv = readFileSync(resolve(__dirname, '../../docs/programme-demo.csv'), 'utf8');
    const answer = await admin('POST', '/api/v1/admin/screenings/import', { csv });
    expect([answer.status, answer.body]).toEqual([201, { created: 9, weeks: ['2026-12-09'] }]);
  });
});
