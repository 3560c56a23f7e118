import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { SampleCopy } from './corrupt';
import { catalogueDigest, etlFor, SAMPLE_POLICY, stagingRows } from './etl-harness';
import { keptTitles, readRaw } from './raw-imdb';
import { createReadStream } from 'node:fs';
import { readTmdbCsv } from '../src/tmdb/tmdb-record';
import { describeWithSamples, IMDB, TMDB } from './samples';
import { ThinSample } from './thin-sample';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A row the database refuses for a reason no input check catches (here a CHECK constraint the
 * test adds) fails the run with the file and line of the row, not its place in the COPY: rows
 * are filtered, a crew line gives several rows, and the table's rows come from two sources.
 */
describeWithSamples.each([
  ['PostgreSQL', () => createTestDatabase()],
  ['the embedded PGlite', () => createEmbeddedTestDatabase()],
])('a row refused by %s during an import', (_backend, create) => {
  // A tenth of head-50k (every dataset, real lines) stands for the big source: what is checked is
  // how a refused row is traced back to its file and line, whatever the size of the files.
  const thin = ThinSample.forSuite();
  let head: string;
  let t: TestDatabase;
  let later: SampleCopy;

  beforeAll(async () => {
    t = await create();
    head = thin.dir;
    await etlFor(t.handle).importer.imdb({ sources: [IMDB('famous-40')], policy: SAMPLE_POLICY });
    // A later source with a crew file of its own, read before the thin head-50k's.
    later = new SampleCopy(IMDB('famous-40'));
    const famous = readRaw(IMDB('famous-40'), 'title.basics')!.map((r) => r[0]!);
    const crew = famous.slice(0, 5).map((tconst, i) => `${tconst}\tnm000000${i + 1}\tnm0000009,nm0000008`);
    writeFileSync(later.file('title.crew'), gzipSync(['tconst\tdirectors\twriters', ...crew, ''].join('\n')));
  });
  afterAll(async () => {
    later?.dispose();
    await t?.drop();
  });

  it('fails the run with the file and line of the row, in the run and file ledger; the catalogue served is unchanged', async () => {
    const { kept } = keptTitles([head, later.dir]);
    const famous = new Set(readRaw(later.dir, 'title.basics')!.map((r) => r[0]!));
    const rows = readRaw(head, 'title.crew')!;
    const index = rows.findIndex((r, i) => i > 2_000 && kept.has(r[0]!) && !famous.has(r[0]!) && r[1] !== '\\N' && (r[2] ?? '').split(',').length >= 2);
    const line = index + 2;
    const tconst = rows[index]![0]!;
    // Its second writer only: the line's other rows are accepted, and so are the rows before.
    for (const schema of ['catalogue_a', 'catalogue_b']) {
      await sql
        .raw(`ALTER TABLE ${schema}.crew ADD CONSTRAINT refused_writer CHECK (NOT (tconst = '${tconst}' AND role = 'writer' AND ordering = 2))`)
        .execute(t.handle.db);
    }
    const before = await catalogueDigest(t.handle);

    const crewFile = `${head}/title.crew.tsv.gz`;
    const message = new RegExp(`^${escape(crewFile)}: line ${line}: new row for relation "crew" violates check constraint "refused_writer"$`);
    const failure = etlFor(t.handle).importer.imdb({ sources: [head, later.dir], policy: SAMPLE_POLICY });
    await expect(failure).rejects.toThrow(message);
    // Bad input: retrying the job cannot help.
    await expect(failure).rejects.toMatchObject({ name: 'ImdbInputError' });

    const run = await t.handle.db.selectFrom('import_run').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(message);
    const files = await t.handle.db.selectFrom('import_file').selectAll().where('run_id', '=', run.id).where('dataset', '=', 'title.crew').orderBy('id').execute();
    expect(files.map((f) => [f.source, f.status])).toEqual([
      [`${later.dir}/title.crew.tsv.gz`, 'loaded'],
      [crewFile, 'failed'],
    ]);
    expect(files[1]!.error).toMatch(message);
    expect(await catalogueDigest(t.handle)).toEqual(before);
    expect(await stagingRows(t.handle)).toBe(0);
  });
  it('names the TMDB file and line of a row the database refuses, and keeps the TMDB rows served', async () => {
    const file = TMDB('tmdb_full.csv');
    const records: Array<{ line: number; imdbId: string }> = [];
    for await (const event of readTmdbCsv(createReadStream(file), file)) {
      if (event.kind === 'record') records.push({ line: event.line, imdbId: event.record.imdbId });
    }
    const victim = records[60]!;
    await sql.raw(`ALTER TABLE tmdb_staging ADD CONSTRAINT refused_film CHECK (imdb_id <> '${victim.imdbId}')`).execute(t.handle.db);
    const before = await catalogueDigest(t.handle);
    const message = new RegExp(`^${escape(file)}:${victim.line}: new row for relation "tmdb_staging" violates check constraint "refused_film"$`);
    const failure = etlFor(t.handle).importer.tmdb({ sources: [file] });
    await expect(failure).rejects.toThrow(message);
    await expect(failure).rejects.toMatchObject({ name: 'TmdbInputError' });
    const run = await t.handle.db.selectFrom('import_run').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(run).toMatchObject({ kind: 'tmdb', status: 'failed' });
    expect(run.error).toMatch(message);
    expect(await catalogueDigest(t.handle)).toEqual(before);
  });
});
