import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { MAX_FREE_TEXT_CHARS, MAX_NAME_BYTES } from '../src/catalogue/text-limits';
import { MAX_LINE_BYTES } from '../src/imdb/tsv.reader';
import { MAX_RECORD_CHARS } from '../src/tmdb/csv.reader';
import { SampleCopy } from './corrupt';
import { catalogueDigest, etlFor, SAMPLE_POLICY } from './etl-harness';
import { type ExpectedCatalogue, expectedCatalogue, keptTitles, readRaw } from './raw-imdb';
import { describeWithSamples, TMDB } from './samples';
import { ThinSample } from './thin-sample';

/** Letters and spaces from a fixed seed: text that neither compresses nor repeats. */
function noise(length: number, seed = 7): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += 'abcdefghijklmnopqrstuvwxyz '[(x >>> 16) % 27];
  }
  return out;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Fields and lines past the documented limits: each is a rejected row with its file and line
 * (or, for a free text, cut), and everything else is imported.
 */
describeWithSamples('input past the limits', () => {
  // The over-long field goes into a tenth of head-50k (every dataset, real lines): the limits are
  // about one line, and the rest of the files only has to be there and imported.
  const thin = ThinSample.forSuite();
  let head: string;
  let kept: Map<string, 'movie' | 'series'>;
  let expected: ExpectedCatalogue;
  let t: TestDatabase;
  const copies: SampleCopy[] = [];
  const sample = () => {
    const copy = new SampleCopy(head);
    copies.push(copy);
    return copy;
  };
  const count = async (query: string) => (await sql.raw<{ n: number }>(`SELECT count(*)::int AS n FROM ${query}`).execute(t.handle.db)).rows[0]!.n;
  const importFile = (runId: number, dataset: string) =>
    t.handle.db.selectFrom('import_file').selectAll().where('run_id', '=', runId).where('dataset', '=', dataset).executeTakeFirstOrThrow();

  /** The file line (the header is line 1) of the first data row, from line `from` on, that `test` accepts. */
  function lineWhere(dataset: string, test: (row: string[]) => boolean, from: number): { line: number; row: string[] } {
    const rows = readRaw(head, dataset)!;
    for (let i = from - 2; i < rows.length; i++) if (test(rows[i]!)) return { line: i + 2, row: rows[i]! };
    throw new Error(`no row of ${dataset} fits`);
  }

  /** Replace field `column` of file line `line` (header = 1). */
  const setField = (line: number, column: number, value: (old: string) => string) => (lines: string[]) =>
    lines.map((l, i) => {
      if (i !== line - 1) return l;
      const fields = l.split('\t');
      fields[column] = value(fields[column]!);
      return fields.join('\t');
    });

  beforeAll(async () => {
    t = await createTestDatabase();
    head = thin.dir;
    ({ kept } = keptTitles([head]));
    expected = expectedCatalogue([head]);
  });
  afterAll(async () => {
    for (const copy of copies) copy.dispose();
    await t?.drop();
  });

  it('a 30 MB line is a rejected row with its line, and the rest is imported; with no tolerance the run fails naming it', async () => {
    const { line } = lineWhere('title.principals', (r) => kept.has(r[0]!), 2_000);
    const copy = sample().lines('title.principals', setField(line, 5, (characters) => characters + 'x'.repeat(30 << 20)));
    const result = await etlFor(t.handle).importer.imdb({ sources: [copy.dir], policy: SAMPLE_POLICY });
    expect(result.rowsRejected).toBe(1);
    const file = await importFile(result.runId, 'title.principals');
    expect(file).toMatchObject({ status: 'loaded', rows_rejected: 1, reject_samples: [{ line, reason: `line longer than ${MAX_LINE_BYTES} bytes` }] });
    expect(await count('public.credit')).toBe(expected.credit - 1);
    expect(await count('public.title')).toBe(expected.title);

    const before = await catalogueDigest(t.handle);
    const strict = etlFor(t.handle).importer.imdb({ sources: [copy.dir], policy: { ...SAMPLE_POLICY, maxRejectShare: 0 } });
    await expect(strict).rejects.toThrow(
      new RegExp(`^${escape(copy.file('title.principals'))}: 1 of \\d+ rows malformed .*; line ${line}: line longer than ${MAX_LINE_BYTES} bytes$`),
    );
    expect(await catalogueDigest(t.handle)).toEqual(before);
    const run = await t.handle.db.selectFrom('import_run').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: 'failed', error: expect.stringContaining(`line ${line}: line longer than`) });
  });

  it('a 3,000-character title, a long French title and a long name are rejected rows with their lines; the rest is imported', async () => {
    const title = lineWhere('title.basics', (r) => kept.get(r[0]!) === 'movie', 3_000);
    const aka = lineWhere('title.akas', (r) => kept.has(r[0]!) && r[0] !== title.row[0] && (r[3] === 'FR' || r[4] === 'fr'), 2);
    const credited = new Set(readRaw(head, 'title.principals')!.filter((r) => kept.has(r[0]!)).map((r) => r[2]!));
    const name = lineWhere('name.basics', (r) => credited.has(r[0]!), 1_000);
    const copy = sample()
      .lines('title.basics', setField(title.line, 2, () => noise(3000)))
      // 3 bytes a character: 1,026 bytes, just past the limit however it is counted.
      .lines('title.akas', setField(aka.line, 2, () => '日本語'.repeat(114)))
      .lines('name.basics', setField(name.line, 1, () => 'é'.repeat(MAX_NAME_BYTES / 2 + 1)));

    const result = await etlFor(t.handle).importer.imdb({ sources: [copy.dir], policy: SAMPLE_POLICY });
    expect(result.rowsRejected).toBe(3);
    const tooLong = (field: string) => `${field} longer than ${MAX_NAME_BYTES} bytes`;
    expect((await importFile(result.runId, 'title.basics')).reject_samples).toEqual([{ line: title.line, reason: tooLong('primaryTitle') }]);
    expect((await importFile(result.runId, 'title.akas')).reject_samples).toEqual([{ line: aka.line, reason: tooLong('title') }]);
    expect((await importFile(result.runId, 'name.basics')).reject_samples).toEqual([{ line: name.line, reason: tooLong('primaryName') }]);

    expect(await count(`public.title WHERE tconst = '${title.row[0]}'`)).toBe(0);
    expect(await count('public.title')).toBe(expected.title - 1);
    const frenchAkasOfTitle = readRaw(head, 'title.akas')!.filter((r) => r[0] === title.row[0] && (r[3] === 'FR' || r[4] === 'fr')).length;
    expect(await count('public.title_aka')).toBe(expected.title_aka - frenchAkasOfTitle - 1);
    expect(await count(`public.title_aka WHERE tconst = '${aka.row[0]}' AND ordering = ${aka.row[1]}`)).toBe(0);
    expect(await count(`public.person WHERE nconst = '${name.row[0]}'`)).toBe(0);
    expect(await count('public.person')).toBeLessThan(expected.person);
    expect(await count('public.person')).toBeGreaterThan(expected.person - 20);
  });

  describe('TMDB', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'cine-tmdb-limits-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('an over-long title and an over-long record are rejected rows with their lines; an enormous overview is cut', async () => {
      const lines = readFileSync(TMDB('movies_metadata_small.csv'), 'utf8').split('\n');
      const edit = (line: number, from: string, to: string) => {
        expect(lines[line - 1]).toContain(from);
        lines[line - 1] = lines[line - 1]!.replace(from, to);
      };
      // Line 2 is Toy Story, 3 Jumanji, 4 Grumpier Old Men: one physical line each.
      edit(2, 'their differences."', `their differences. ${noise(200_000)}"`);
      edit(3, ',Jumanji,"', `,${noise(3000)},"`);
      edit(4, 'A family wedding', `A family wedding ${'x'.repeat(30 << 20)}`);
      const file = join(dir, 'movies_metadata_long.csv');
      writeFileSync(file, lines.join('\n'));

      const result = await etlFor(t.handle).importer.tmdb({ sources: [file], maxRejectShare: 0.01 });
      expect(result).toMatchObject({ rowsRead: 1000, rowsRejected: 2, rowsKept: 998 });
      const ledger = await importFile(result.runId, 'tmdb');
      expect(ledger.reject_samples).toEqual([
        { line: 3, reason: `original_title: longer than ${MAX_NAME_BYTES} bytes` },
        { line: 4, reason: `malformed CSV: record longer than ${MAX_RECORD_CHARS} characters` },
      ]);
      const toyStory = await t.handle.db.selectFrom('title_tmdb').selectAll().where('imdb_id', '=', 'tt0114709').executeTakeFirstOrThrow();
      expect(toyStory.overview).toHaveLength(MAX_FREE_TEXT_CHARS);
      expect(toyStory.overview).toMatch(/^Led by Woody, Andy's toys .* their differences\. [a-z ]+…$/);
      expect(await count(`title_tmdb WHERE imdb_id IN ('tt0113497', 'tt0113228')`)).toBe(0);
      expect(await count('title_tmdb')).toBe(998);
    });
  });
});
