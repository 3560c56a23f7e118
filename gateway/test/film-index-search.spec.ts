import type { FilmIndexSearchResponse } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { sql } from 'kysely';
import { addDays, fromLocal, isoWithOffset, toLocal, weekStartOfDate } from '../src/programme/cinema-time';
import { ADMIN_KEY, type RunningGateway, startGateway } from './gateway-harness';

const GODFATHER = 'tt0068646';
const key = { 'x-api-key': ADMIN_KEY };
const PARIS = 'Europe/Paris';

describeWithSamples('programme: the editor searches any film of the IMDb files (the film index) and programmes it', () => {
  let t: TestDatabase;
  let gw: RunningGateway;

  async function search(q: string, headers: Record<string, string> = key): Promise<{ status: number; body: FilmIndexSearchResponse }> {
    const res = await fetch(`${gw.url}/api/v1/admin/films/search?q=${encodeURIComponent(q)}`, { headers });
    return { status: res.status, body: (await res.json()) as FilmIndexSearchResponse };
  }

  /** A film of the film index the catalogue does not hold (a TV film, or a film the runtime rule drops). */
  async function outsideCatalogue(): Promise<{ tconst: string; primary_title: string; title_type: string }> {
    const { rows } = await sql<{ tconst: string; primary_title: string; title_type: string }>`
      SELECT f.tconst, f.primary_title, f.title_type FROM film_index f
      WHERE NOT EXISTS (SELECT 1 FROM title t WHERE t.tconst = f.tconst) AND char_length(f.primary_title) >= 8 AND f.primary_title ~ '^[A-Za-z ]+$'
      ORDER BY f.num_votes DESC NULLS LAST, f.tconst LIMIT 1`.execute(t.handle.db);
    return rows[0]!;
  }

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples' });
    gw = await startGateway({ handle: t.handle });
  });
  afterAll(async () => {
    await gw?.close();
    await t?.drop();
  });

  it('is an admin route: 401 without the key, before the query is validated', async () => {
    expect((await search('parrain', {})).status).toBe(401);
    expect((await search('', {})).status).toBe(401);
    expect((await search('', key)).status).toBe(400);
  });

  it('forgives case, accents, a leading article and typos, exact titles first', async () => {
    const exact = await search('the GODFATHER');
    expect(exact.status).toBe(200);
    expect(exact.body.items[0]).toMatchObject({ tconst: GODFATHER, rank: 0, inCatalogue: true, titleType: 'movie' });
    expect((await search('godfater')).body.items.map((i) => i.tconst)).toContain(GODFATHER);
    // The French title the catalogue holds finds the film too, misspelled and with its article.
    const french = (await search('le parain')).body.items;
    expect(french[0]).toMatchObject({ tconst: GODFATHER, frenchTitle: 'Le Parrain', inCatalogue: true });
    expect((await search('Le Parrain')).body.items[0]).toMatchObject({ tconst: GODFATHER, rank: 0 });
    // An accented title of the index, typed without its accents.
    const { rows } = await sql<{ tconst: string; primary_title: string }>`
      SELECT tconst, primary_title FROM film_index WHERE primary_title ~ '^[A-Za-zÀ-ÿ ]{6,}$' AND primary_title <> unaccent(primary_title)
      ORDER BY num_votes DESC NULLS LAST, tconst LIMIT 1`.execute(t.handle.db);
    const accented = rows[0]!;
    const plain = accented.primary_title.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    const hits = (await search(plain)).body.items;
    expect(hits.find((h) => h.tconst === accented.tconst)).toMatchObject({ rank: 0, title: accented.primary_title });
  });

  it('finds a film the catalogue does not hold, and the programme accepts a séance of it', async () => {
    const film = await outsideCatalogue();
    const hits = (await search(film.primary_title.toLowerCase())).body.items;
    expect(hits.find((h) => h.tconst === film.tconst)).toMatchObject({ inCatalogue: false, frenchTitle: null, titleType: film.title_type });

    const room = await fetch(`${gw.url}/api/v1/admin/rooms`, {
      method: 'POST',
      headers: { ...key, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Salle index', seats: 80 }),
    });
    expect(room.status).toBe(201);
    const thursday = addDays(addDays(weekStartOfDate(toLocal(new Date(), PARIS).date), 7), 1);
    const seance = { tconst: film.tconst, startsAt: isoWithOffset(fromLocal({ date: thursday, time: '15:00' }, PARIS), PARIS), room: 'Salle index', version: 'VF' };
    const created = await fetch(`${gw.url}/api/v1/admin/screenings`, { method: 'POST', headers: { ...key, 'content-type': 'application/json' }, body: JSON.stringify(seance) });
    expect(created.status).toBe(201);
    // A tconst of no film at all is still refused.
    const unknown = await fetch(`${gw.url}/api/v1/admin/screenings`, {
      method: 'POST',
      headers: { ...key, 'content-type': 'application/json' },
      body: JSON.stringify({ ...seance, tconst: 'tt9999999999', startsAt: isoWithOffset(fromLocal({ date: thursday, time: '18:00' }, PARIS), PARIS) }),
    });
    expect([unknown.status, ((await unknown.json()) as { message: string }).message]).toEqual([400, 'body/tconst: tt9999999999 is not a film of the imported IMDb files']);
  });

  it('gives nothing for a query without a letter or digit, and only equal names for one of two letters', async () => {
    expect((await search('%%')).body.items).toEqual([]);
    const short = (await search('up')).body.items;
    for (const hit of short) expect(hit.rank).toBe(0);
  });
});
