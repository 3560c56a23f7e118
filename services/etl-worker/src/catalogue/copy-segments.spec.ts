import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { copyInSegments, CopyRefusedError, type SourcedChunk } from './copy-segments';

const COLUMNS = ['tconst', 'title_type', 'primary_title', 'original_title', 'is_adult'];

/** One chunk of `count` rows of file `fileNo`, its lines every other line from `firstLine` (the others "filtered"). */
function chunk(fileNo: number, firstRow: number, count: number, endOfFile: boolean, bad?: number): SourcedChunk {
  let text = '';
  const lines = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const row = firstRow + i;
    lines[i] = 2 * row + 1;
    text += `tt${fileNo}${String(row).padStart(6, '0')}\t${row === bad ? '\\N' : 'movie'}\tTitle ${row}\tTitle ${row}\tf\n`;
  }
  return { text, file: `file-${fileNo}.tsv`, lines, endOfFile };
}

/** Two files of 40 rows in chunks of 5 (and an empty end-of-file chunk for the second), noting what the producer is told. */
function producer(bad?: { fileNo: number; row: number }) {
  const seen: { thrownIn: unknown; whileIn: string | null } = { thrownIn: null, whileIn: null };
  async function* chunks(): AsyncGenerator<SourcedChunk> {
    for (const fileNo of [1, 2]) {
      try {
        for (let row = 1; row <= 40; row += 5) {
          yield chunk(fileNo, row, 5, fileNo === 1 && row === 36, bad?.fileNo === fileNo ? bad.row : undefined);
        }
        if (fileNo === 2) yield { text: '', file: 'file-2.tsv', lines: new Int32Array(0), endOfFile: true };
      } catch (err) {
        seen.thrownIn = err;
        seen.whileIn = `file-${fileNo}.tsv`;
        throw err;
      }
    }
  }
  return { chunks: chunks(), seen };
}

describe.each([
  ['postgres', () => createTestDatabase()],
  ['pglite', () => createEmbeddedTestDatabase()],
])('copyInSegments on %s', (_backend, create) => {
  let t: TestDatabase;
  const statements: string[][] = [];
  const copy = (rows: AsyncIterable<string>) => {
    const seen: string[] = [];
    statements.push(seen);
    async function* tap() {
      for await (const text of rows) {
        seen.push(text);
        yield text;
      }
    }
    return t.handle.copyInto('catalogue_b.title', COLUMNS, tap());
  };
  const titles = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM catalogue_b.title`.execute(t.handle.db)).rows[0]!.n;

  beforeAll(async () => {
    t = await create();
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(async () => {
    statements.length = 0;
    await sql`TRUNCATE catalogue_b.title CASCADE`.execute(t.handle.db);
  });

  it('loads every row, each COPY statement within one file and the size given', async () => {
    await copyInSegments(producer().chunks, copy, 600);
    expect(await titles()).toBe(80);
    // A chunk of 5 rows is ~200 characters: 3 a statement, 8 chunks a file.
    expect(statements.map((s) => s.length)).toEqual([3, 3, 2, 3, 3, 2]);
    for (const statement of statements) {
      const files = new Set(statement.join('').split('\n').filter(Boolean).map((row) => row.slice(2, 3)));
      expect(files.size).toBe(1);
    }
  });

  it('names the file and line of a refused row, far into the second file, and tells the producer first', async () => {
    const { chunks, seen } = producer({ fileNo: 2, row: 27 });
    const failure = copyInSegments(chunks, copy, 600);
    await expect(failure).rejects.toThrow(
      /^file-2\.tsv: line 55: null value in column "title_type" of relation "title" violates not-null constraint$/,
    );
    const err = (await failure.catch((e: unknown) => e)) as CopyRefusedError;
    expect(err).toBeInstanceOf(CopyRefusedError);
    expect(err).toMatchObject({ file: 'file-2.tsv', line: 55, badInput: true });
    expect(seen).toEqual({ thrownIn: err, whileIn: 'file-2.tsv' });
    // The statements before the refused one were loaded: the caller empties its staging area.
    expect(await titles()).toBe(40 + 15);
  });

  it('passes a failure of the producer through unchanged, loading nothing of its statement', async () => {
    async function* failing(): AsyncGenerator<SourcedChunk> {
      yield chunk(1, 1, 5, false);
      throw new Error('file-1.tsv: truncated gzip stream after line 11');
    }
    await expect(copyInSegments(failing(), copy)).rejects.toThrow(/^file-1\.tsv: truncated gzip stream after line 11$/);
    expect(await titles()).toBe(0);
  });
});

describe('copyInSegments without a row number from the database', () => {
  it('names the file and the lines of the refused statement; a lost connection is not bad input', async () => {
    const { chunks, seen } = producer();
    let calls = 0;
    const lost = Object.assign(new Error('connection terminated unexpectedly'), { code: '08006' });
    const failure = copyInSegments(
      chunks,
      async (rows) => {
        for await (const _ of rows) {
          // drained like a database would
        }
        if (++calls === 2) throw lost;
      },
      600,
    );
    await expect(failure).rejects.toThrow(/^file-1\.tsv: lines 33 to 61: connection terminated unexpectedly$/);
    const err = (await failure.catch((e: unknown) => e)) as CopyRefusedError;
    expect(err).toMatchObject({ line: null, badInput: false, cause: lost });
    expect(seen.whileIn).toBe('file-1.tsv');
  });
});

describe('copyInSegments with two target tables (title.basics fills title and film_index)', () => {
  it('never mixes targets in one statement, and ends each at its end-of-file chunk', async () => {
    const one = (text: string, endOfFile: boolean, target?: string): SourcedChunk => ({
      text,
      file: 'title.basics.tsv',
      lines: Int32Array.from(text.split('\n').filter(Boolean).map((_, i) => i + 1)),
      endOfFile,
      ...(target ? { target } : {}),
    });
    async function* chunks(): AsyncGenerator<SourcedChunk> {
      yield one('a1\n', false);
      yield one('a2\n', false);
      yield one('i1\n', false, 'film_index');
      yield one('a3\n', false);
      yield one('i2\n', true, 'film_index');
      yield one('a4\n', true);
    }
    const statements: Array<{ target: string | undefined; rows: string[] }> = [];
    await copyInSegments(chunks(), async (rows, target) => {
      const seen: string[] = [];
      for await (const text of rows) seen.push(text);
      statements.push({ target, rows: seen });
    });
    expect(statements).toEqual([
      { target: undefined, rows: ['a1\n', 'a2\n'] },
      { target: 'film_index', rows: ['i1\n'] },
      { target: undefined, rows: ['a3\n'] },
      { target: 'film_index', rows: ['i2\n'] },
      { target: undefined, rows: ['a4\n'] },
    ]);
  });
});
