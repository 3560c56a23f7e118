import { Readable } from 'node:stream';
import { CsvParser, CsvRow, firstInvalidUtf8, MAX_RECORD_CHARS, readCsvRows, TmdbInputError } from './csv.reader';

/** Feeds `data` as Buffers of `chunkSize` bytes, which splits multi-byte characters and CRLFs. */
async function* chunks(data: string | Buffer, chunkSize: number): AsyncGenerator<Buffer> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
}

async function readAll(data: string | Buffer, chunkSize = 65536): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of readCsvRows(chunks(data, chunkSize), 'test.csv')) rows.push(row);
  return rows;
}

/** Rows read before the error, and the error itself. */
async function readUntilError(data: string | Buffer, chunkSize = 65536): Promise<{ rows: CsvRow[]; error: unknown }> {
  const rows: CsvRow[] = [];
  try {
    for await (const row of readCsvRows(chunks(data, chunkSize), 'test.csv')) rows.push(row);
  } catch (error) {
    return { rows, error };
  }
  return { rows, error: undefined };
}

const fieldsOf = (rows: CsvRow[]) => rows.map((r) => r.fields);
const linesOf = (rows: CsvRow[]) => rows.map((r) => r.line);

describe('readCsvRows', () => {
  it('splits plain and quoted fields, unescaping doubled quotes', async () => {
    const rows = await readAll('a,b,c\n1,"two, with comma","say ""hi"""\n,,\n');
    expect(fieldsOf(rows)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'two, with comma', 'say "hi"'],
      ['', '', ''],
    ]);
    expect(rows.every((r) => r.malformed === null)).toBe(true);
  });

  it('keeps embedded newlines and reports the physical line where each record starts', async () => {
    const text = 'h1,h2\n"multi\nline\nvalue",x\nnext,row\n"",after-empty-quoted\n';
    const rows = await readAll(text);
    expect(fieldsOf(rows)).toEqual([
      ['h1', 'h2'],
      ['multi\nline\nvalue', 'x'],
      ['next', 'row'],
      ['', 'after-empty-quoted'],
    ]);
    expect(linesOf(rows)).toEqual([1, 2, 5, 6]);
  });

  it('gives the same rows and lines whatever the chunking, down to 1-byte chunks', async () => {
    // Every awkward boundary: '""' escapes, quoted newlines, CRLF, 2/3/4-byte UTF-8, BOM.
    const text =
      '\uFEFFid,title,note\r\n' +
      '1,"L\'Amour à vingt ans","Zespół Filmowy ""Kamera"""\r\n' +
      '2,"two\r\nlines ""quoted""\nthree",😀 emoji\r\n' +
      '3,"",""""\r\n' +
      '4,end,"x"';
    const expected = await readAll(text);
    expect(fieldsOf(expected)).toEqual([
      ['id', 'title', 'note'],
      ['1', "L'Amour à vingt ans", 'Zespół Filmowy "Kamera"'],
      ['2', 'two\r\nlines "quoted"\nthree', '😀 emoji'],
      ['3', '', '"'],
      ['4', 'end', 'x'],
    ]);
    expect(linesOf(expected)).toEqual([1, 2, 3, 6, 7]);
    for (let size = 1; size <= 9; size++) {
      expect(await readAll(text, size)).toEqual(expected);
    }
  });

  it('accepts string chunks (e.g. a stream with setEncoding)', async () => {
    const rows: CsvRow[] = [];
    for await (const row of readCsvRows(Readable.from(['a,"b\n', 'c",d\n', 'e,f']), 'test.csv')) rows.push(row);
    expect(fieldsOf(rows)).toEqual([
      ['a', 'b\nc', 'd'],
      ['e', 'f'],
    ]);
    expect(linesOf(rows)).toEqual([1, 3]);
  });

  it('treats CRLF like LF without leaking CR into the last field', async () => {
    const rows = await readAll('a,b\r\n1,2\r\n"q",3\r\n');
    expect(fieldsOf(rows)).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['q', '3'],
    ]);
    expect(linesOf(rows)).toEqual([1, 2, 3]);
  });

  it('keeps a lone CR as data rather than a line break', async () => {
    for (const size of [1, 2, 100]) {
      const rows = await readAll('a\rb,c\nd,e\r', size);
      expect(fieldsOf(rows)).toEqual([
        ['a\rb', 'c'],
        ['d', 'e\r'],
      ]);
    }
  });

  it('strips a UTF-8 BOM only at the start of the file', async () => {
    const rows = await readAll('\uFEFFa,b\n\uFEFFx,y\n', 1);
    expect(fieldsOf(rows)).toEqual([
      ['a', 'b'],
      ['\uFEFFx', 'y'],
    ]);
  });

  it('skips blank lines, handles a missing final newline and a trailing empty field', async () => {
    const rows = await readAll('a,b\n\n1,\n\r\n2,x');
    expect(fieldsOf(rows)).toEqual([
      ['a', 'b'],
      ['1', ''],
      ['2', 'x'],
    ]);
    expect(linesOf(rows)).toEqual([1, 3, 5]);
    expect(fieldsOf(await readAll('a,b,'))).toEqual([['a', 'b', '']]);
  });

  it('yields nothing for an empty input', async () => {
    expect(await readAll('')).toEqual([]);
    expect(await readAll('\uFEFF')).toEqual([]);
  });

  it('throws on an unterminated quote, naming the file and the line where the field started', async () => {
    for (const size of [1, 65536]) {
      const { rows, error } = await readUntilError('a,b\n1,2\n3,"never closed\nmore\nlines\n', size);
      expect(error).toBeInstanceOf(TmdbInputError);
      const e = error as TmdbInputError;
      expect(e.message).toMatch(/^test\.csv:3: unterminated quoted field/);
      expect(e.line).toBe(3);
      expect(e.file).toBe('test.csv');
      expect(fieldsOf(rows)).toEqual([
        ['a', 'b'],
        ['1', '2'],
      ]);
    }
  });

  it('throws on invalid UTF-8 with the line of the bad byte, after yielding the rows before it', async () => {
    const data = Buffer.concat([Buffer.from('a,b\n"x\ny",é\nok,'), Buffer.from([0xff]), Buffer.from('bad\nlater,row\n')]);
    for (const size of [1, 2, 3, 65536]) {
      const { rows, error } = await readUntilError(data, size);
      expect(error).toBeInstanceOf(TmdbInputError);
      expect((error as Error).message).toBe('test.csv:4: invalid UTF-8 byte 0xff (the file must be UTF-8 encoded)');
      expect(fieldsOf(rows)).toEqual([
        ['a', 'b'],
        ['x\ny', 'é'],
      ]);
    }
  });

  it('rejects a multi-byte sequence cut off at end of file', async () => {
    const data = Buffer.concat([Buffer.from('a,b\nc,'), Buffer.from('é').subarray(0, 1)]);
    for (const size of [1, 65536]) {
      const { error } = await readUntilError(data, size);
      expect(error).toBeInstanceOf(TmdbInputError);
      expect((error as Error).message).toMatch(/^test\.csv:2: invalid UTF-8/);
    }
  });

  it('flags (but does not throw on) stray quotes and text after a closing quote, then resynchronises', async () => {
    const rows = await readAll('a,b\n5" screen,x\n"closed"tail,y\n"ok"\r\nlast,row\n');
    expect(linesOf(rows)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[1]!.malformed).toMatch(/stray '"' inside unquoted field 1 at line 2/);
    expect(rows[1]!.fields).toEqual(['5" screen', 'x']);
    expect(rows[2]!.malformed).toMatch(/after closing quote in field 1 at line 3/);
    expect(rows[2]!.fields).toEqual(['closedtail', 'y']);
    expect(rows[3]!.malformed).toBeNull();
    expect(rows[3]!.fields).toEqual(['ok']);
    expect(rows[4]!.malformed).toBeNull();
  });

  describe('a record longer than the limit', () => {
    const TOO_LONG = `record longer than ${MAX_RECORD_CHARS} characters`;

    /** `head`, 30 MB of one field in 64 KB pieces, then `tail`; the most the parser held of a record. */
    function parseLong(head: string, tail: string, size = 30 << 20) {
      const parser = new CsvParser('test.csv');
      const out: CsvRow[] = [];
      let mostHeld = 0;
      const block = 'x'.repeat(1 << 16);
      parser.push(head, out);
      for (let sent = 0; sent < size; sent += block.length) {
        parser.push(block, out);
        mostHeld = Math.max(mostHeld, parser.heldChars);
      }
      parser.push(tail, out);
      return { parser, out, mostHeld };
    }

    it('is a malformed row with the line where it starts, holding no more than the limit (30 MB quoted field)', () => {
      const { parser, out, mostHeld } = parseLong('a,b\n1,2\n3,"', 'x\nstill the same field",z\n4,5\n');
      parser.end(out);
      expect(out).toEqual([
        { line: 1, fields: ['a', 'b'], malformed: null },
        { line: 2, fields: ['1', '2'], malformed: null },
        { line: 3, fields: [], malformed: TOO_LONG },
        { line: 5, fields: ['4', '5'], malformed: null },
      ]);
      expect(mostHeld).toBeGreaterThan(0);
      expect(mostHeld).toBeLessThanOrEqual(MAX_RECORD_CHARS);
    });

    it('is a malformed row when unquoted, or at the end of the file', () => {
      const unquoted = parseLong('a,b\n', ',end\nnext,row');
      unquoted.parser.end(unquoted.out);
      expect(unquoted.out.map((r) => [r.line, r.malformed])).toEqual([
        [1, null],
        [2, TOO_LONG],
        [3, null],
      ]);
      expect(unquoted.mostHeld).toBeLessThanOrEqual(MAX_RECORD_CHARS);
      const last = parseLong('a,b\nc,', '');
      last.parser.end(last.out);
      expect(last.out.map((r) => [r.line, r.malformed])).toEqual([
        [1, null],
        [2, TOO_LONG],
      ]);
    });

    it('still fails the file when its quote never closes, in bounded memory', () => {
      const { parser, out, mostHeld } = parseLong('a,b\n1,"', '\nand so on\n');
      expect(() => parser.end(out)).toThrow(/^test\.csv:2: unterminated quoted field/);
      expect(mostHeld).toBeLessThanOrEqual(MAX_RECORD_CHARS);
    });

    it('is read from a stream as a malformed row, the rows around it intact', async () => {
      const data = `a,b\n1,"${'é'.repeat(MAX_RECORD_CHARS)}"\n2,3\n`;
      const rows = await readAll(data);
      expect(rows.map((r) => [r.line, r.malformed, r.fields.length])).toEqual([
        [1, null, 2],
        [2, TOO_LONG, 0],
        [3, null, 2],
      ]);
      // At the limit exactly, the record is whole.
      const fits = await readAll(`a\n"${'é'.repeat(MAX_RECORD_CHARS)}"\n`, 4096);
      expect(fits[1]).toEqual({ line: 2, fields: ['é'.repeat(MAX_RECORD_CHARS)], malformed: null });
    });
  });
});

describe('firstInvalidUtf8', () => {
  it('accepts well-formed text, including 4-byte characters', () => {
    expect(firstInvalidUtf8(Buffer.from('plain é € 😀'))).toBe(-1);
  });

  it.each([
    ['lone continuation byte', [0x61, 0x80], 1],
    ['overlong encoding of "/"', [0x61, 0x62, 0xc0, 0xaf], 2],
    ['UTF-16 surrogate', [0xed, 0xa0, 0x80], 0],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['truncated sequence', [0x61, 0xe2, 0x82], 1],
    ['invalid lead byte', [0x61, 0x62, 0x63, 0xff], 3],
  ])('finds %s', (_name, bytes, at) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(at);
  });
});
