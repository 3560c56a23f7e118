import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ScreeningsResponse } from '@cine/common';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { etlFor, SAMPLE_POLICY } from '@cine/etl-worker/testing/etl-harness';
import { addDays, fromLocal, isoWithOffset, toLocal, weekStartOfDate } from '../src/programme/cinema-time';
import { ADMIN_KEY, type RunningGateway, startGateway } from './gateway-harness';

/**
 * The schema.org JSON-LD of "À l'affiche" in the HTML the gateway sends for GET /programme:
 * built on the server from the published séances (the same as GET /api/v1/screenings gives),
 * the cinema named by CINEMA_NAME, and written so that no text of the owner's or of IMDb's can
 * end the <script> block early.
 */

const PARIS = 'Europe/Paris';
/** A title as IMDb's files could hold it: it ends a script, opens an HTML comment, and more. */
const NASTY_TITLE = 'Fin</script><script>alert(1)</script> <!-- & « » \u2028';
const PLAIN = 'tt9900002';
const NASTY = 'tt9900001';
const NASTY_ROOM = 'Salle </SCRIPT ><!--';
/** What the page's build writes, reduced: what the gateway must send back unchanged around its block. */
const INDEX_HTML = `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <title>Ciné Creuse — des films pour vous</title>
    <script type="module" crossorigin src="/assets/index-test.js"></script>
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>
`;

interface Node {
  '@type': string;
  '@id'?: string;
  [key: string]: unknown;
}
interface Graph {
  '@context': string;
  '@graph': Node[];
}

/** A two-film IMDb folder of the test's own (title.basics and title.ratings, gzipped as IMDb ships them). */
function imdbFolder(dir: string): string {
  const folder = join(dir, 'imdb');
  mkdirSync(folder);
  const tsv = (rows: string[][]) => gzipSync(rows.map((r) => r.join('\t')).join('\n') + '\n');
  writeFileSync(
    join(folder, 'title.basics.tsv.gz'),
    tsv([
      ['tconst', 'titleType', 'primaryTitle', 'originalTitle', 'isAdult', 'startYear', 'endYear', 'runtimeMinutes', 'genres'],
      [NASTY, 'movie', NASTY_TITLE, NASTY_TITLE, '0', '2025', '\\N', '95', 'Comedy'],
      [PLAIN, 'movie', 'Le Voyage dans la Lune', 'Le Voyage dans la Lune', '0', '1902', '\\N', '\\N', 'Fantasy,Short'],
    ]),
  );
  writeFileSync(
    join(folder, 'title.ratings.tsv.gz'),
    tsv([
      ['tconst', 'averageRating', 'numVotes'],
      [NASTY, '6.1', '5400'],
      [PLAIN, '8.1', '61000'],
    ]),
  );
  return folder;
}

/** The JSON-LD blocks of an HTML text, as a browser's parser delimits them (a script's data ends at the first `</script`). */
function jsonLdBlocks(html: string): string[] {
  return [...html.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script/gi)].map((m) => m[1]!);
}

describe('GET /programme: the schema.org JSON-LD of the séances, in the HTML', () => {
  let t: TestDatabase;
  let dir: string;
  let named: RunningGateway;
  let plain: RunningGateway;
  const today = toLocal(new Date(), PARIS).date;
  const nextWeek = addDays(weekStartOfDate(today), 7);
  const at = (date: string, time: string) => isoWithOffset(fromLocal({ date, time }, PARIS), PARIS);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cine-json-ld-'));
    mkdirSync(join(dir, 'web'));
    writeFileSync(join(dir, 'web', 'index.html'), INDEX_HTML);
    t = await createTestDatabase();
    await etlFor(t.handle).importer.imdb({ sources: [imdbFolder(dir)], policy: SAMPLE_POLICY });
    // The cinema's name has what HTML and JSON would both take for their own, on purpose.
    named = await startGateway({ handle: t.handle, webRoot: join(dir, 'web'), env: { CINEMA_NAME: '  Le Sénéchal « </script><!-- » ', DATA_DIR: join(dir, 'named') } });
    plain = await startGateway({ handle: t.handle, webRoot: join(dir, 'web'), env: { PUBLIC_URL: 'https://cinema-creuse.example', DATA_DIR: join(dir, 'plain') } });

    const admin = async (path: string, body: unknown) => {
      const res = await fetch(`${named.url}${path}`, { method: 'POST', headers: { 'x-api-key': ADMIN_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string };
    };
    await admin('/api/v1/admin/rooms', { name: NASTY_ROOM, seats: 80 });
    await admin('/api/v1/admin/rooms', { name: 'Salle 2', seats: 40 });
    await admin('/api/v1/admin/screenings', { tconst: NASTY, startsAt: at(addDays(nextWeek, 1), '20:30'), room: NASTY_ROOM, version: 'VOST', bookingUrl: 'https://billets.example/fin?a=1&b=<2>' });
    await admin('/api/v1/admin/screenings', { tconst: PLAIN, startsAt: at(addDays(nextWeek, 3), '14:30'), room: 'Salle 2', version: 'VF', format: '3D' });
    const cancelled = await admin('/api/v1/admin/screenings', { tconst: PLAIN, startsAt: at(addDays(nextWeek, 4), '17:00'), room: 'Salle 2', version: 'VF' });
    const gone = await fetch(`${named.url}/api/v1/admin/screenings/${cancelled.id}`, { method: 'DELETE', headers: { 'x-api-key': ADMIN_KEY } });
    expect(gone.status).toBe(200);
    // Published this week and next; a séance of the week after is not what the page lists.
    await admin(`/api/v1/admin/weeks/${nextWeek}/publish`, {});
    await admin('/api/v1/admin/screenings', { tconst: PLAIN, startsAt: at(addDays(nextWeek, 8), '20:30'), room: 'Salle 2', version: 'VF' });
    await admin(`/api/v1/admin/weeks/${addDays(nextWeek, 7)}/publish`, {});
  });

  afterAll(async () => {
    await named?.close();
    await plain?.close();
    await t?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const programmePage = async (gw: RunningGateway) => {
    const res = await fetch(`${gw.url}/programme`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    return res.text();
  };

  it('sends one block, at the end of the head, the rest of the page as built; no < of the data in it', async () => {
    const html = await programmePage(named);
    const blocks = jsonLdBlocks(html);
    expect(blocks).toHaveLength(1);
    const block = `<script type="application/ld+json" id="programme-json-ld">${blocks[0]}</script>\n`;
    // Nothing but the block added, and it closes the head: the title's </script> opened nothing.
    expect(html.replace(block, '')).toBe(INDEX_HTML);
    expect(html.indexOf(block)).toBe(html.indexOf('</head>') - block.length);
    // Inside a script block only `<` can change the HTML parser's state (`</script`, `<!--`): none at all.
    expect(blocks[0]).not.toMatch(/[<>&\u2028\u2029]/);
    expect(blocks[0]).toContain('\\u003c/script\\u003e\\u003cscript\\u003e');
    // …and a JSON reader gets every character back.
    const graph = JSON.parse(blocks[0]!) as Graph;
    const movie = graph['@graph'].find((n) => n['@type'] === 'ScreeningEvent' && (n.workPresented as Node).sameAs === `https://www.imdb.com/title/${NASTY}/`)!;
    expect((movie.workPresented as Node).name).toBe(NASTY_TITLE);
    expect((movie.location as { containsPlace: { name: string } }).containsPlace.name).toBe(NASTY_ROOM);
    expect(movie.offers).toEqual({ '@type': 'Offer', url: 'https://billets.example/fin?a=1&b=<2>' });
  });

  it('lists what the page lists (today to next week’s Tuesday, from GET /api/v1/screenings), in schema.org’s shapes', async () => {
    const graph = JSON.parse(jsonLdBlocks(await programmePage(named))[0]!) as Graph;
    const api = (await (await fetch(`${named.url}/api/v1/screenings?from=${today}&to=${addDays(nextWeek, 6)}`)).json()) as ScreeningsResponse;
    expect(api.items).toHaveLength(3);

    expect(graph['@context']).toBe('https://schema.org');
    const [theater, ...events] = graph['@graph'];
    const page = `${named.url}/programme`;
    // CINEMA_NAME, trimmed at boot, is the theater's name; the page's address (the request's, without PUBLIC_URL) its @id.
    expect(theater).toEqual({ '@type': 'MovieTheater', '@id': `${page}#cinema`, name: 'Le Sénéchal « </script><!-- »', url: page });
    expect(events.map((e) => e['@id'])).toEqual(api.items.map((s) => `${named.url}/api/v1/screenings/${s.id}.ics`));
    for (const [i, event] of events.entries()) {
      const s = api.items[i]!;
      expect(event).toMatchObject({
        '@type': 'ScreeningEvent',
        name: `${s.film.title} (${s.version})`,
        startDate: s.startsAt,
        endDate: s.endsAt,
        eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
        eventStatus: s.status === 'cancelled' ? 'https://schema.org/EventCancelled' : 'https://schema.org/EventScheduled',
        videoFormat: s.format,
        location: { '@type': 'MovieTheater', '@id': `${page}#cinema`, name: 'Le Sénéchal « </script><!-- »', containsPlace: { '@type': 'Place', name: s.room } },
        workPresented: { '@type': 'Movie', name: s.film.title, sameAs: `https://www.imdb.com/title/${s.film.tconst}/` },
      });
      // schema.org's Date and DateTime: ISO 8601 with the cinema's offset.
      expect(event.startDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    }
    expect(events.map((e) => e.eventStatus)).toEqual(['https://schema.org/EventScheduled', 'https://schema.org/EventScheduled', 'https://schema.org/EventCancelled']);
    // VOST of a film whose language TMDB does not give: subtitled in French, its own language unsaid.
    expect(events[0]).toMatchObject({ subtitleLanguage: 'fr', workPresented: { duration: 'PT1H35M', dateCreated: '2025', genre: ['Comedy'] } });
    expect(events[0]).not.toHaveProperty('inLanguage');
    expect(events[1]).toMatchObject({ inLanguage: 'fr', videoFormat: '3D', workPresented: { name: 'Le Voyage dans la Lune', dateCreated: '1902' } });
    expect(events[1]!.workPresented).not.toHaveProperty('duration');
    expect(events[1]).not.toHaveProperty('offers');
  });

  it('names the cinema Ciné Creuse without CINEMA_NAME, and takes its address from PUBLIC_URL', async () => {
    const graph = JSON.parse(jsonLdBlocks(await programmePage(plain))[0]!) as Graph;
    expect(graph['@graph'][0]).toEqual({ '@type': 'MovieTheater', '@id': 'https://cinema-creuse.example/programme#cinema', name: 'Ciné Creuse', url: 'https://cinema-creuse.example/programme' });
    expect(graph['@graph'][1]!['@id']).toMatch(/^https:\/\/cinema-creuse\.example\/api\/v1\/screenings\/\d+\.ics$/);
    // The agenda feed names the same cinema as the page.
    const unfolded = async (gw: RunningGateway) => (await (await fetch(`${gw.url}/programme.ics`)).text()).replace(/\r\n[ \t]/g, '');
    expect(await unfolded(named)).toContain('Le Sénéchal « </script><!-- »');
    expect(await unfolded(plain)).toContain('Ciné Creuse');
  });

  it('keeps the JSON-LD to /programme: the other pages are sent as built', async () => {
    for (const path of ['/', '/film/tt9900002', '/gestion']) {
      const html = await (await fetch(`${named.url}${path}`, { headers: { accept: 'text/html' } })).text();
      expect([path, html]).toEqual([path, INDEX_HTML]);
    }
  });

  it('refuses to boot on a CINEMA_NAME that is blank, on two lines or too long', async () => {
    for (const name of ['   ', 'Le Sénéchal\nGuéret', 'x'.repeat(81)]) {
      await expect(startGateway({ handle: t.handle, env: { CINEMA_NAME: name } })).rejects.toThrow(/CINEMA_NAME must be the cinema's name on one line, 1 to 80 characters/);
    }
  });
});
