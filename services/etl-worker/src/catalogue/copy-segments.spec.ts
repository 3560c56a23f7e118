import { openDatabase } from '@cine/db';
import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { copyInSegments, copyInSegmentsSplit, CopyRefusedError, type SourcedChunk } from './copy-segments';

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

/** A producer of two files' chunks that notes what it is told (a refusal thrown in) and in which file. */
function producerOf(fileChunks: (fileNo: number) => Iterable<SourcedChunk>) {
  const seen: { thrownIn: unknown; whileIn: string | null } = { thrownIn: null, whileIn: null };
  async function* chunks(): AsyncGenerator<SourcedChunk> {
    for (const fileNo of [1, 2]) {
      try {
        yield* fileChunks(fileNo);
      } catch (err) {
        seen.thrownIn = err;
        seen.whileIn = `file-${fileNo}.tsv`;
        throw err;
      }
    }
  }
  return { chunks: chunks(), seen };
}

/** Two files of 40 rows in chunks of 5 (and an empty end-of-file chunk for the second). */
function producer(bad?: { fileNo: number; row: number }) {
  return producerOf(function* (fileNo) {
    for (let row = 1; row <= 40; row += 5) {
      yield chunk(fileNo, row, 5, fileNo === 1 && row === 36, bad?.fileNo === fileNo ? bad.row : undefined);
    }
    if (fileNo === 2) yield { text: '', file: 'file-2.tsv', lines: new Int32Array(0), endOfFile: true };
  });
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

const FILM_INDEX_COLUMNS = ['tconst', 'title_type', 'primary_title', 'original_title', 'start_year', 'runtime_minutes', 'genres', 'average_rating', 'num_votes'];

/**
 * title.basics as the import reads it: per file, chunks of 5 kept titles and, beside each, 5 film
 * index rows (every film, a superset), the latter marked `film_index`; a bad row where asked.
 */
function basicsProducer(bad?: { target: 'title' | 'film_index'; fileNo: number; row: number }) {
  return producerOf(function* (fileNo) {
    for (let row = 1; row <= 40; row += 5) {
      const last = row === 36;
      yield chunk(fileNo, row, 5, false, bad?.target === 'title' && bad.fileNo === fileNo ? bad.row : undefined);
      let text = '';
      const lines = new Int32Array(5);
      for (let i = 0; i < 5; i++) {
        const r = row + i;
        lines[i] = 2 * r + 1;
        const type = bad?.target === 'film_index' && bad.fileNo === fileNo && bad.row === r ? '\\N' : 'movie';
        text += `tt${fileNo}${String(r).padStart(6, '0')}\t${type}\tFilm ${r}\tFilm ${r}\t1999\t90\t{Drama}\t7.5\t1000\n`;
      }
      yield { text, file: `file-${fileNo}.tsv`, lines, endOfFile: last, target: 'film_index' };
      if (last) yield { text: '', file: `file-${fileNo}.tsv`, lines: new Int32Array(0), endOfFile: true };
    }
  });
}

describe.each([
  ['postgres', () => createTestDatabase()],
  ['pglite', () => createEmbeddedTestDatabase()],
])('copyInSegmentsSplit on %s: two tables loaded at once', (_backend, create) => {
  let t: TestDatabase;
  const statements: Array<{ target: string | undefined; rows: string }> = [];
  const copy = (rows: AsyncIterable<string>, target: string | undefined) => {
    const statement = { target, rows: '' };
    statements.push(statement);
    async function* tap() {
      for await (const text of rows) {
        statement.rows += text;
        yield text;
      }
    }
    return target === 'film_index'
      ? t.handle.copyInto('catalogue_b.film_index', FILM_INDEX_COLUMNS, tap())
      : t.handle.copyInto('catalogue_b.title', COLUMNS, tap());
  };
  const count = async (table: 'title' | 'film_index') =>
    (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(`catalogue_b.${table}`)}`.execute(t.handle.db)).rows[0]!.n;

  beforeAll(async () => {
    t = await create();
  });
  afterAll(async () => {
    await t?.drop();
  });
  beforeEach(async () => {
    statements.length = 0;
    await sql`TRUNCATE catalogue_b.title, catalogue_b.film_index CASCADE`.execute(t.handle.db);
  });

  it('loads every row of both tables, each statement within one table and one file', async () => {
    await copyInSegmentsSplit(basicsProducer().chunks, 'film_index', copy, 600);
    expect(await count('title')).toBe(80);
    expect(await count('film_index')).toBe(80);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM catalogue_b.film_index WHERE search_text = lower(primary_title)`.execute(t.handle.db)).rows[0]!.n).toBe(80);
    for (const statement of statements) {
      const rows = statement.rows.split('\n').filter(Boolean);
      expect(rows.every((row) => row.includes('\tFilm ') === (statement.target === 'film_index'))).toBe(true);
      expect(new Set(rows.map((row) => row.slice(2, 3))).size).toBe(1);
    }
    expect(statements.filter((s) => s.target === 'film_index').length).toBeGreaterThanOrEqual(2);
  });

  it('loads both tables through a pool of one connection (the first-import one-shot has one)', async () => {
    // PGlite has one connection anyway: the other runs of this spec are that case.
    if (!t.url) return expect(t.handle.backend).toBe('pglite');
    const one = await openDatabase({ databaseUrl: t.url, maxConnections: 1, applicationName: 'copy-split-one' });
    try {
      await copyInSegmentsSplit(
        basicsProducer().chunks,
        'film_index',
        (rows, target) => (target === 'film_index' ? one.copyInto('catalogue_b.film_index', FILM_INDEX_COLUMNS, rows) : one.copyInto('catalogue_b.title', COLUMNS, rows)),
        600,
      );
    } finally {
      await one.close();
    }
    expect([await count('title'), await count('film_index')]).toEqual([80, 80]);
  });

  it('names the file and line of a refused film index row', async () => {
    const { chunks } = basicsProducer({ target: 'film_index', fileNo: 2, row: 12 });
    const failure = copyInSegmentsSplit(chunks, 'film_index', copy, 600);
    await expect(failure).rejects.toThrow(/^file-2\.tsv: line 25: null value in column "title_type" of relation "film_index" violates not-null constraint$/);
    const err = (await failure.catch((e: unknown) => e)) as CopyRefusedError;
    expect(err).toMatchObject({ file: 'file-2.tsv', line: 25, badInput: true });
  });

  it('names the file and line of a refused title while the film index loads beside it', async () => {
    const { chunks, seen } = basicsProducer({ target: 'title', fileNo: 1, row: 33 });
    const failure = copyInSegmentsSplit(chunks, 'film_index', copy, 600);
    await expect(failure).rejects.toThrow(/^file-1\.tsv: line 67: null value in column "title_type" of relation "title" violates not-null constraint$/);
    expect(seen).toMatchObject({ whileIn: 'file-1.tsv' });
    expect(await count('title')).toBeLessThan(40);
  });
});

describe('copyInSegmentsSplit', () => {
  it('takes turns on a single connection: a side statement never waits for the reading while it holds the connection', async () => {
    // A pool of one: a statement waits for the previous one to end. Were a side statement to open
    // before its rows were read, it would wait for the main series, which waits for the connection.
    let pool: Promise<void> = Promise.resolve();
    const rows: Record<string, number> = { main: 0, side: 0 };
    await copyInSegmentsSplit(
      basicsProducer().chunks,
      'film_index',
      async (statement, target) => {
        let release!: () => void;
        const previous = pool;
        pool = new Promise<void>((resolve) => (release = resolve));
        await previous;
        try {
          const series = target === 'film_index' ? 'side' : 'main';
          for await (const text of statement) rows[series] = (rows[series] ?? 0) + text.split('\n').filter(Boolean).length;
        } finally {
          release();
        }
      },
      600,
    );
    expect(rows).toEqual({ main: 80, side: 80 });
  });

  it('with connections to spare, side statements run while the main series loads', async () => {
    const events: string[] = [];
    let statement = 0;
    await copyInSegmentsSplit(
      basicsProducer().chunks,
      'film_index',
      async (rows, target) => {
        const name = target === 'film_index' ? 'side' : `main ${++statement}`;
        for await (const _ of rows) {
          events.push(`${name} row`);
          // A database's socket write: the other series may run meanwhile.
          await new Promise((resolve) => setImmediate(resolve));
        }
        events.push(`${name} end`);
      },
      600,
    );
    const lastMainEnd = events.lastIndexOf(`main ${statement} end`);
    expect(events.indexOf('side row')).toBeGreaterThan(-1);
    expect(events.indexOf('side row')).toBeLessThan(lastMainEnd);
    expect(events.filter((e) => e.endsWith(' row')).length).toBe(32);
  });

  it('passes a failure of the producer through unchanged; the side loads nothing it was not wholly given', async () => {
    async function* failing(): AsyncGenerator<SourcedChunk> {
      yield chunk(1, 1, 5, false);
      yield { text: 'tt1\tmovie\n', file: 'file-1.tsv', lines: Int32Array.of(1), endOfFile: false, target: 'film_index' };
      throw new Error('file-1.tsv: truncated gzip stream after line 11');
    }
    const statements: Array<string | undefined> = [];
    const failure = copyInSegmentsSplit(failing(), 'film_index', async (rows, target) => {
      statements.push(target);
      for await (const _ of rows) {
        // drained like a database would
      }
    });
    await expect(failure).rejects.toThrow(/^file-1\.tsv: truncated gzip stream after line 11$/);
    // Half a segment of the side, its file not ended: no statement was opened for it.
    expect(statements).not.toContain('film_index');
  });

});
