import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { etlFor, SAMPLE_POLICY } from './etl-harness';
import { describeWithSamples, IMDB, TMDB } from './samples';

describeWithSamples('TMDB import', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'cine-tmdb-'));
    await etlFor(t.handle).importer.imdb({ sources: [IMDB('head-50k'), IMDB('famous-40')], policy: SAMPLE_POLICY });
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.drop();
  });

  it('loads both formats, the later file winning for a film in both, 0 budgets as unknown', async () => {
    const result = await etlFor(t.handle).importer.tmdb({ sources: [TMDB('movies_metadata_small.csv'), TMDB('tmdb_full.csv')] });
    // 1,000 + 100 rows, 15 films in both files (SOURCES.md): 1,085 distinct films.
    expect(result).toMatchObject({ rowsRead: 1100, rowsRejected: 0, duplicates: 15, rowsKept: 1085 });
    const toyStory = await t.handle.db.selectFrom('title_tmdb').selectAll().where('imdb_id', '=', 'tt0114709').executeTakeFirstOrThrow();
    expect(toyStory).toMatchObject({ budget: 30_000_000, revenue: 373_554_033, collection_name: 'Toy Story Collection', production_countries: ['US'], release_date: '1995-10-30' });
    const unknown = await t.handle.db.selectFrom('title_tmdb').select((eb) => eb.fn.countAll<number>().as('n')).where('budget', 'is', null).executeTakeFirstOrThrow();
    expect(Number(unknown.n)).toBeGreaterThan(500);
    // Joined to the catalogue on imdb_id: the famous films of the samples get their posters.
    expect(result.matchedTitles).toBeGreaterThan(50);
    const godfather = await t.handle.db
      .selectFrom('title')
      .innerJoin('title_tmdb', 'title_tmdb.imdb_id', 'title.tconst')
      .select(['title.primary_title', 'title_tmdb.poster_path'])
      .where('title.tconst', '=', 'tt0068646')
      .executeTakeFirst();
    expect(godfather?.poster_path).toMatch(/^\/.+\.jpg$/);
  });

  it('reads a gzipped CSV the same way', async () => {
    const gz = join(dir, 'tmdb_full.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(TMDB('tmdb_full.csv'))));
    // 100 films after 1,085: a smaller TMDB set, accepted as the run allows it.
    const result = await etlFor(t.handle).importer.tmdb({ sources: [gz] }, {}, { allowShrink: true });
    expect(result).toMatchObject({ rowsRead: 100, rowsKept: 100 });
  });

  it('fails on an unknown header, naming the file and line, and keeps the previous TMDB rows', async () => {
    const before = await t.handle.db.selectFrom('title_tmdb').select('imdb_id').orderBy('imdb_id').execute();
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'imdb_id,name\ntt0068646,The Godfather\n');
    await expect(etlFor(t.handle).importer.tmdb({ sources: [bad] })).rejects.toThrow(new RegExp(`${bad}:1: `));
    expect(await t.handle.db.selectFrom('title_tmdb').select('imdb_id').orderBy('imdb_id').execute()).toEqual(before);
    const run = await t.handle.db.selectFrom('import_run').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(run).toMatchObject({ kind: 'tmdb', status: 'failed' });
  });

  it('fails when too many rows are malformed, keeping the previous rows', async () => {
    const before = await t.handle.db.selectFrom('title_tmdb').select('imdb_id').orderBy('imdb_id').execute();
    const lines = readFileSync(TMDB('tmdb_full.csv'), 'utf8').split('\n');
    const shifted = join(dir, 'shifted.csv');
    writeFileSync(shifted, lines.map((l, i) => (i > 0 && i % 10 === 0 ? l.replace(/^False,/, '1995-10-30,') : l)).join('\n'));
    await expect(etlFor(t.handle).importer.tmdb({ sources: [shifted] })).rejects.toThrow(/shifted\.csv:\d+: 10 of 100 rows rejected/);
    expect(await t.handle.db.selectFrom('title_tmdb').select('imdb_id').orderBy('imdb_id').execute()).toEqual(before);
  });
});
