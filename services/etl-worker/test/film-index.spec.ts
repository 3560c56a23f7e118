import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { etlFor, stagingRows } from './etl-harness';
import { readRaw } from './raw-imdb';
import { describeWithSamples } from './samples';
import { ThinSample } from './thin-sample';

/** Above every film's votes in the samples but the programmed one's: only the keep rules keep a film. */
const STRICT = { movieMinVotes: 1000, seriesMinVotes: 1000 };
const FILM_TYPES = ['movie', 'tvMovie'];

interface RawFilm {
  tconst: string;
  type: string;
  primary: string;
  original: string;
  startYear: number | null;
  runtime: number | null;
  votes: number | null;
}

/** An independent reading of the sample: every non-adult film of title.basics, with its votes. */
function rawFilms(dir: string): RawFilm[] {
  const votes = new Map((readRaw(dir, 'title.ratings') ?? []).map((r) => [r[0]!, Number(r[2])]));
  const intOrNull = (v: string) => (v === '\\N' ? null : Number(v));
  return (readRaw(dir, 'title.basics') ?? [])
    .filter((r) => FILM_TYPES.includes(r[1]!) && r[4] === '0')
    .map((r) => ({ tconst: r[0]!, type: r[1]!, primary: r[2]!, original: r[3]!, startYear: intOrNull(r[5]!), runtime: intOrNull(r[7]!), votes: votes.get(r[0]!) ?? null }));
}

/** A film the vote threshold drops (rated, under it), of a runtime the policy keeps, not recent. */
function belowThreshold(films: RawFilm[], type = 'movie'): RawFilm[] {
  const thisYear = new Date().getFullYear();
  return films.filter(
    (f) => f.type === type && f.votes !== null && f.votes < STRICT.movieMinVotes && f.runtime !== null && f.runtime >= 40 && f.runtime <= 360 && f.startYear !== null && f.startYear < thisYear - 1,
  );
}

describe.each([
  ['PostgreSQL', () => createTestDatabase()],
  ['the embedded PGlite', () => createEmbeddedTestDatabase()],
])('film index and the programmed films on %s', (_backend, create) => {
  describeWithSamples('an import of a thin head-50k', () => {
    const thin = ThinSample.forSuite();
    let t: TestDatabase;
    let films: RawFilm[];
    let programmed: RawFilm;
    let cancelled: RawFilm;
    let unprogrammed: RawFilm;
    let programmedTvMovie: RawFilm;
    let runId: number;

    beforeAll(async () => {
      t = await create();
      films = rawFilms(thin.dir);
      const below = belowThreshold(films);
      expect(below.length).toBeGreaterThanOrEqual(3);
      [programmed, cancelled, unprogrammed] = [below[0]!, below[1]!, below[2]!];
      // A TV film under the threshold: the catalogue keeps only `movie` titles, the programme any film.
      programmedTvMovie = films.find((f) => f.type === 'tvMovie' && (f.votes ?? 0) < STRICT.movieMinVotes)!;
      expect(programmedTvMovie).toBeDefined();
      const room = await t.handle.db.insertInto('room').values({ name: 'Salle 1', seats: 100, wheelchair: false }).returning('id').executeTakeFirstOrThrow();
      const seance = (tconst: string, hour: number, status: 'scheduled' | 'cancelled') =>
        t.handle.db
          .insertInto('screening')
          .values({ tconst, starts_at: `2026-12-09T${hour}:00:00+01:00`, week_start: '2026-12-09', room_id: room.id, version: 'VF', status, cancelled_at: status === 'cancelled' ? new Date() : null } as never)
          .execute();
      await seance(programmed!.tconst, 14, 'scheduled');
      await seance(cancelled!.tconst, 16, 'cancelled');
      await seance(programmedTvMovie.tconst, 18, 'scheduled');
      runId = (await etlFor(t.handle).importer.imdb({ sources: [thin.dir], policy: STRICT }, {}, { allowShrink: true })).runId;
    }, 120_000);
    afterAll(async () => {
      await t?.drop();
    });

    it('writes every film of title.basics to the film index, whatever the policy kept, with its votes when rated', async () => {
      expect(films.length).toBeGreaterThan(100);
      const rows = await t.handle.db.selectFrom('film_index').select(['tconst', 'title_type', 'primary_title', 'original_title', 'start_year', 'runtime_minutes', 'num_votes']).orderBy('tconst').execute();
      const expected = films
        .map((f) => ({ tconst: f.tconst, title_type: f.type, primary_title: f.primary, original_title: f.original, start_year: f.startYear, runtime_minutes: f.runtime, num_votes: f.votes }))
        .sort((a, b) => (a.tconst < b.tconst ? -1 : 1));
      expect(rows).toEqual(expected);
      const run = await t.handle.db.selectFrom('import_run').select('summary').where('id', '=', runId).executeTakeFirstOrThrow();
      expect(run.summary).toMatchObject({ filmIndex: films.length, counts: { film_index: films.length } });
      expect(await stagingRows(t.handle)).toBe(0);
      // Dropped for the load, built after it: the served film index has its trigram index.
      const { active_schema } = await t.handle.db.selectFrom('catalogue_state').select('active_schema').executeTakeFirstOrThrow();
      const { rows: indexes } = await sql<{ indexname: string }>`SELECT indexname FROM pg_indexes WHERE schemaname = ${active_schema} AND tablename = 'film_index' ORDER BY indexname`.execute(t.handle.db);
      expect(indexes.map((i) => i.indexname)).toEqual(['film_index_pkey', 'film_index_search_text_trgm']);
    });

    it('serves title and film index with the very indexes the migrations made: those dropped for the load are built again the same', async () => {
      const { active_schema } = await t.handle.db.selectFrom('catalogue_state').select('active_schema').executeTakeFirstOrThrow();
      const untouched = active_schema === 'catalogue_a' ? 'catalogue_b' : 'catalogue_a';
      const definitions = async (schema: string) =>
        (
          await sql<{ def: string }>`
            SELECT replace(indexdef, ${`${schema}.`}, '') AS def FROM pg_indexes
            WHERE schemaname = ${schema} AND tablename IN ('title', 'film_index') ORDER BY indexname`.execute(t.handle.db)
        ).rows.map((r) => r.def);
      const served = await definitions(active_schema);
      expect(served.some((d) => d.includes('title_search_text_trgm'))).toBe(true);
      expect(served.filter((d) => d.includes('title_search_name_'))).toHaveLength(3);
      // The other schema was never imported into here: it holds what the migrations made.
      expect(served).toEqual(await definitions(untouched));
    });

    it('keeps a programmed film under the threshold in the catalogue; films under it not programmed, or whose séance was cancelled, stay out but are in the film index', async () => {
      const inTitle = async (tconst: string) => (await t.handle.db.selectFrom('title').select('tconst').where('tconst', '=', tconst).executeTakeFirst()) !== undefined;
      const inIndex = async (tconst: string) => (await t.handle.db.selectFrom('film_index').select('tconst').where('tconst', '=', tconst).executeTakeFirst()) !== undefined;
      expect(await inTitle(programmed.tconst)).toBe(true);
      expect(await inTitle(cancelled.tconst)).toBe(false);
      expect(await inIndex(cancelled.tconst)).toBe(true);
      expect(await inTitle(unprogrammed.tconst)).toBe(false);
      expect(await inIndex(unprogrammed.tconst)).toBe(true);
      expect(await inIndex(programmed.tconst)).toBe(true);
      const row = await t.handle.db.selectFrom('title').select('title_type').where('tconst', '=', programmedTvMovie.tconst).executeTakeFirst();
      expect(row).toEqual({ title_type: 'tvMovie' });
    });

    it('counts the films the keep rules saved in the filter stats of title.basics', async () => {
      const file = await t.handle.db.selectFrom('import_file').select(['filter_stats', 'rows_kept']).where('run_id', '=', runId).where('dataset', '=', 'title.basics').executeTakeFirstOrThrow();
      expect(file.filter_stats.programmed).toBe(2);
      const thisYear = new Date().getFullYear();
      const recent = films.filter((f) => f.type === 'movie' && f.votes !== null && f.votes < STRICT.movieMinVotes && f.startYear !== null && f.startYear >= thisYear - 1);
      expect(file.filter_stats.recent ?? 0).toBeLessThanOrEqual(recent.length);
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM title`.execute(t.handle.db);
      expect(file.rows_kept).toBe(rows[0]!.n);
    });
  });
});
