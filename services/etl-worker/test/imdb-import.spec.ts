import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { copyFileSync, createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { sql } from 'kysely';
import { catalogueDigest, etlFor, SAMPLE_POLICY, stagingRows } from './etl-harness';
import { expectedCatalogue, readRaw } from './raw-imdb';
import { SAMPLE_IMDB_FOLDERS } from './sample-catalogue';
import { describeWithSamples, IMDB } from './samples';
import { ThinSample } from './thin-sample';

async function actual(t: TestDatabase) {
  const { rows } = await sql<Record<string, number>>`
    SELECT
      (SELECT count(*) FROM title)::int AS title,
      (SELECT count(*) FROM title WHERE title_type = 'movie')::int AS movies,
      (SELECT count(*) FROM title WHERE title_type IN ('tvSeries', 'tvMiniSeries'))::int AS series,
      (SELECT count(*) FROM title_aka)::int AS title_aka,
      (SELECT count(*) FROM credit)::int AS credit,
      (SELECT count(*) FROM crew)::int AS crew,
      (SELECT count(*) FROM person)::int AS person,
      (SELECT coalesce(sum(episode_count), 0) FROM title)::int AS episodes,
      (SELECT count(*) FROM title WHERE french_title IS NOT NULL)::int AS "frenchTitles"`.execute(t.handle.db);
  return rows[0]!;
}

describeWithSamples('IMDb import of the real samples (PostgreSQL)', () => {
  let t: TestDatabase;
  const thin = ThinSample.forSuite();
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it.each([['head-50k'], ['subset-2000-movies'], ['famous-40'], ['year-2022']])(
    'imports %s with the counts an independent reading of the files predicts',
    async (folder) => {
      const result = await etlFor(t.handle).importer.imdb({ sources: [IMDB(folder)], policy: SAMPLE_POLICY }, {}, { allowShrink: true });
      const { basicsRows, dangling, ...expected } = expectedCatalogue([IMDB(folder)]);
      expect(await actual(t)).toEqual(expected);
      expect(expected.title).toBeGreaterThan(0);
      expect(result.counts.title).toBe(expected.title);
      expect(result.dangling).toMatchObject(dangling);
      const file = await t.handle.db
        .selectFrom('import_file')
        .selectAll()
        .where('run_id', '=', result.runId)
        .where('dataset', '=', 'title.basics')
        .executeTakeFirstOrThrow();
      expect(file).toMatchObject({ status: 'loaded', rows_read: basicsRows, rows_kept: expected.title, rows_rejected: 0 });
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await stagingRows(t.handle)).toBe(0);
    },
  );

  it('reads a double quote as a literal character, never as CSV quoting', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cine-quirks-'));
    try {
      copyFileSync(join(IMDB('head-50k'), 'title.basics.tsv.gz'), join(folder, 'title.basics.tsv.gz'));
      copyFileSync(join(IMDB('quirks'), 'title.principals.csv-quoted.tsv.gz'), join(folder, 'title.principals.tsv.gz'));
      await etlFor(t.handle).importer.imdb({ sources: [folder], policy: SAMPLE_POLICY }, {}, { allowShrink: true });
      const raw = new Map(readRaw(folder, 'title.principals')!.map((r) => [`${r[0]}/${r[1]}`, r[5]!]));
      const credits = await t.handle.db.selectFrom('credit').select(['tconst', 'ordering', 'characters']).where('characters', 'is not', null).execute();
      expect(credits.length).toBeGreaterThan(100);
      // The CSV-style "[""Self""]" is not JSON: it is kept verbatim, quotes and all.
      const wrong = credits.filter((c) => c.characters!.length !== 1 || c.characters![0] !== raw.get(`${c.tconst}/${c.ordering}`));
      expect(wrong).toEqual([]);
      expect(credits.some((c) => c.characters![0]!.startsWith('"[""'))).toBe(true);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('imports from a base URL over HTTP, retrying a server error, to the same catalogue as from the folder', async () => {
    const folder = IMDB('famous-40');
    await etlFor(t.handle).importer.imdb({ sources: [folder], policy: SAMPLE_POLICY }, {}, { allowShrink: true });
    const fromFolder = await catalogueDigest(t.handle);
    const requests = new Map<string, number>();
    const server = createServer((req, res) => {
      const name = basename(req.url ?? '');
      const n = (requests.get(name) ?? 0) + 1;
      requests.set(name, n);
      const file = join(folder, name);
      if (!existsSync(file)) {
        res.statusCode = 404;
        return res.end();
      }
      // Every file fails once: the importer must retry, not give up or import half.
      if (n === 1) {
        res.statusCode = 503;
        return res.end('busy');
      }
      res.setHeader('content-length', statSync(file).size);
      createReadStream(file).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/datasets/`;
      const result = await etlFor(t.handle).importer.imdb({ sources: [url], policy: SAMPLE_POLICY }, {}, { allowShrink: true });
      expect(await catalogueDigest(t.handle)).toEqual(fromFolder);
      expect(requests.get('title.basics.tsv.gz')).toBe(2);
      expect(requests.get('title.crew.tsv.gz')).toBe(1); // a 404 is an absent file, not retried
      const files = await t.handle.db.selectFrom('import_file').select(['dataset', 'source', 'status', 'bytes']).where('run_id', '=', result.runId).orderBy('id').execute();
      expect(files.find((f) => f.dataset === 'title.basics')).toMatchObject({ source: `${url}title.basics.tsv.gz`, status: 'loaded', bytes: statSync(join(folder, 'title.basics.tsv.gz')).size });
      expect(files.find((f) => f.dataset === 'title.crew')).toMatchObject({ status: 'absent' });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('gives the same catalogue when the same input is imported twice', async () => {
    // A tenth of head-50k with all seven datasets: every table is filled, and compared.
    const etl = etlFor(t.handle);
    await etl.importer.imdb({ sources: [thin.dir], policy: SAMPLE_POLICY }, {}, { allowShrink: true });
    const first = await catalogueDigest(t.handle);
    expect(Object.keys(first).filter((table) => first[table]!.startsWith('0:'))).toEqual(['title_tmdb']);
    const firstSchema = await etl.catalogue.activeSchema();
    await etl.importer.imdb({ sources: [thin.dir], policy: SAMPLE_POLICY }, {}, { allowShrink: true });
    expect(await etl.catalogue.activeSchema()).not.toBe(firstSchema);
    expect(await catalogueDigest(t.handle)).toEqual(first);
  });
});

describeWithSamples('the sample catalogue: every IMDb sample folder merged (a copy of the run\'s import of the samples)', () => {
  // The run's sample template is imported once, through the real ETL (sample-catalogue.ts), with
  // the folders in SAMPLE_IMDB_FOLDERS' order: these check that import against an independent
  // reading of the files, instead of merging the same folders again.
  const folders = SAMPLE_IMDB_FOLDERS.map((f) => IMDB(f));
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples' });
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('merges several folders, the later one winning for a title present twice', async () => {
    const { basicsRows: _, dangling: __, ...expected } = expectedCatalogue(folders);
    expect(await actual(t)).toEqual(expected);
    // The Godfather is in head-50k's ratings and in famous-40: famous-40's later dump wins.
    expect(folders.indexOf(IMDB('famous-40'))).toBeGreaterThan(folders.indexOf(IMDB('head-50k')));
    const godfather = await t.handle.db.selectFrom('title').selectAll().where('tconst', '=', 'tt0068646').executeTakeFirstOrThrow();
    expect(godfather).toMatchObject({ primary_title: 'The Godfather', french_title: 'Le Parrain', start_year: 1972, num_votes: 1814613 });
    const run = await t.handle.db.selectFrom('import_run').select(['id', 'sources', 'status']).where('kind', '=', 'imdb').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(run).toMatchObject({ sources: folders, status: 'succeeded' });
    const absent = await t.handle.db.selectFrom('import_file').select(['dataset', 'source']).where('run_id', '=', run.id).where('status', '=', 'absent').execute();
    expect(absent.map((a) => a.dataset)).toEqual(expect.arrayContaining(['title.akas', 'title.crew', 'title.episode', 'title.ratings']));
  });

  it('keeps every field of every kept title exactly as the file has it', async () => {
    const rows = await t.handle.db.selectFrom('title').selectAll().orderBy('tconst').execute();
    const raw = new Map<string, string[]>();
    for (const folder of folders) for (const r of readRaw(folder, 'title.basics')!) raw.set(r[0]!, r);
    const n = (v: string) => (v === '\\N' ? null : Number(v));
    const mismatches = rows.filter((row) => {
      const r = raw.get(row.tconst)!;
      const same =
        row.title_type === r[1] && row.primary_title === r[2] && row.original_title === r[3] && row.start_year === n(r[5]!) &&
        row.end_year === n(r[6]!) && row.runtime_minutes === n(r[7]!) && row.genres.join(',') === (r[8] === '\\N' ? '' : r[8]);
      return !same;
    });
    expect(rows.length).toBeGreaterThan(10_000);
    expect(mismatches).toEqual([]);
    const amelie = rows.find((r) => r.tconst === 'tt0211915');
    expect(amelie).toMatchObject({ primary_title: 'Amélie', french_title: "Le fabuleux destin d'Amélie Poulain", genres: ['Comedy', 'Romance'] });
  });
});

describeWithSamples('IMDb import on the embedded PGlite', () => {
  // What is particular to this backend is how the import reaches it (COPY, the swap), not the
  // size of the input: a tenth of head-50k, every dataset, checked against the same independent
  // reading of the files as the server path.
  let t: TestDatabase;
  const thin = ThinSample.forSuite();
  beforeAll(async () => {
    t = await createEmbeddedTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('imports every dataset with the counts an independent reading predicts, as the server path, and again identically', async () => {
    const etl = etlFor(t.handle);
    await etl.importer.imdb({ sources: [thin.dir], policy: SAMPLE_POLICY }, {}, { allowShrink: true });
    const { basicsRows: _, dangling: __, ...expected } = expectedCatalogue([thin.dir]);
    expect(await actual(t)).toEqual(expected);
    const first = await catalogueDigest(t.handle);
    await etl.importer.imdb({ sources: [thin.dir], policy: SAMPLE_POLICY }, {}, { allowShrink: true });
    expect(await catalogueDigest(t.handle)).toEqual(first);
    expect(await stagingRows(t.handle)).toBe(0);
  });
});
