import { idAt, intAt, isNull, MAX_LINE_BYTES, T, textField, TsvReader } from './tsv.reader';

const HEADER = ['tconst', 'averageRating', 'numVotes'] as const;

async function* chunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function readAll(content: string | Buffer, size = 1 << 16) {
  const reader = new TsvReader('title.ratings.tsv.gz', HEADER);
  const rows: Array<{ line: number; fields: string[] }> = [];
  for await (const piece of reader.pieces(chunks(Buffer.isBuffer(content) ? content : Buffer.from(content), size))) {
    reader.scan(piece, (t, f, line) => rows.push({ line, fields: [0, 1, 2].map((i) => textField(t, f, i)) }));
  }
  return { rows, stats: reader.stats };
}

describe('TsvReader', () => {
  const body = 'tconst\taverageRating\tnumVotes\ntt0000001\t5.7\t2169\ntt0000002\t\\N\t"12"\ntt0000003\tAmélie\t7\n';

  it.each([1, 2, 3, 7, 1 << 16])('reads the same rows whatever the chunk size (%i bytes)', async (size) => {
    const { rows } = await readAll(body, size);
    expect(rows).toEqual([
      { line: 2, fields: ['tt0000001', '5.7', '2169'] },
      { line: 3, fields: ['tt0000002', '\\N', '"12"'] },
      { line: 4, fields: ['tt0000003', 'Amélie', '7'] },
    ]);
  });

  it('reads a last line without a final newline, and strips a stray CR', async () => {
    const { rows } = await readAll('tconst\taverageRating\tnumVotes\r\ntt1\t1\t2\r\ntt2\t3\t4');
    expect(rows.map((r) => r.fields)).toEqual([
      ['tt1', '1', '2'],
      ['tt2', '3', '4'],
    ]);
  });

  it('rejects rows with the wrong number of fields and says which lines', async () => {
    const { rows, stats } = await readAll('tconst\taverageRating\tnumVotes\ntt1\t1\t2\ntt2\t3\ntt3\t1\t2\t9\ntt4\t5\t6\n');
    expect(rows.map((r) => r.line)).toEqual([2, 5]);
    expect(stats.rowsRejected).toBe(2);
    expect(stats.rejectSamples).toEqual([
      { line: 3, reason: 'expected 3 fields, found 2' },
      { line: 4, reason: 'expected 3 fields, found 4' },
    ]);
  });

  it('refuses a header that drifted, naming the file, line 1 and the difference', async () => {
    await expect(readAll('tconst\trating\tnumVotes\ntt1\t1\t2\n')).rejects.toThrow(
      /title\.ratings\.tsv\.gz: line 1: header does not match the IMDb format \(missing averageRating; unexpected rating\)/,
    );
    await expect(readAll('numVotes\ttconst\taverageRating\n')).rejects.toThrow(/columns in another order/);
  });

  it('names the line holding invalid UTF-8, even across chunks', async () => {
    const bytes = Buffer.concat([Buffer.from('tconst\taverageRating\tnumVotes\ntt1\t1\t2\ntt2\t'), Buffer.from([0xc3, 0x28]), Buffer.from('\t3\ntt3\t1\t1\n')]);
    for (const size of [1, 5, 1 << 16]) {
      await expect(readAll(bytes, size)).rejects.toThrow(/title\.ratings\.tsv\.gz: line 3: invalid UTF-8/);
    }
  });

  it('accepts a multi-byte character split across chunks', async () => {
    const { rows } = await readAll('tconst\taverageRating\tnumVotes\ntt1\t日本語\t2\n', 1);
    expect(rows[0]?.fields[1]).toBe('日本語');
  });

  it('skips a UTF-8 byte-order mark before the header', async () => {
    const { rows } = await readAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('tconst\taverageRating\tnumVotes\ntt1\tÉté\t2\n')]), 2);
    expect(rows[0]?.fields).toEqual(['tt1', 'Été', '2']);
  });

  it('fails on an empty file', async () => {
    await expect(readAll('')).rejects.toThrow(/title\.ratings\.tsv\.gz: empty file \(no header line\)/);
  });

  it('parses ids, integers and nulls without allocating', async () => {
    const reader = new TsvReader('x', HEADER);
    const seen: Array<[number, number | null, boolean]> = [];
    for await (const piece of reader.pieces(chunks(Buffer.from('tconst\taverageRating\tnumVotes\ntt0012345\t\\N\t42\nnm12\t1\tx\n'), 64))) {
      reader.scan(piece, (t, f) => seen.push([idAt(t, f, 0, T, T), intAt(t, f, 2), isNull(t, f, 1)]));
    }
    expect(seen[0]).toEqual([12345, 42, true]);
    expect(seen[1]?.[0]).toBe(-1);
    expect(Number.isNaN(seen[1]?.[1])).toBe(true);
  });

  describe('a line longer than the limit', () => {
    const TOO_LONG = `line longer than ${MAX_LINE_BYTES} bytes`;

    /**
     * Streams `head`, then `size` bytes of one line in 64 KB blocks, then `tail`, noting the
     * most the reader ever holds of a partial line each time it asks for more input.
     */
    async function readLongLine(head: string, size: number, tail: string) {
      const reader = new TsvReader('title.ratings.tsv.gz', HEADER);
      let mostHeld = 0;
      const block = Buffer.alloc(1 << 16, 'x');
      async function* input(): AsyncGenerator<Buffer> {
        yield Buffer.from(head);
        for (let sent = 0; sent < size; sent += block.length) {
          mostHeld = Math.max(mostHeld, reader.partialLineBytes);
          yield block.subarray(0, Math.min(block.length, size - sent));
        }
        mostHeld = Math.max(mostHeld, reader.partialLineBytes);
        yield Buffer.from(tail);
      }
      const lines: number[] = [];
      for await (const piece of reader.pieces(input())) reader.scan(piece, (_t, _f, line) => lines.push(line));
      return { lines, stats: reader.stats, mostHeld };
    }

    it('is rejected with its line number, holding no more than the limit of it (30 MB, no newline for 30 MB)', async () => {
      const { lines, stats, mostHeld } = await readLongLine('tconst\taverageRating\tnumVotes\ntt1\t1\t2\ntt2\t', 30 << 20, '\t3\ntt3\t4\t5\n');
      expect(lines).toEqual([2, 4]);
      expect(stats).toEqual({ rowsRead: 3, rowsRejected: 1, rejectSamples: [{ line: 3, reason: TOO_LONG }] });
      // Linear in the input: what is kept of the line is bounded, so it is never copied again and again.
      expect(mostHeld).toBeGreaterThan(0);
      expect(mostHeld).toBeLessThanOrEqual(MAX_LINE_BYTES);
    });

    it('is rejected at the end of the file too (no final newline)', async () => {
      const { lines, stats, mostHeld } = await readLongLine('tconst\taverageRating\tnumVotes\ntt1\t1\t2\n', MAX_LINE_BYTES + 1, '');
      expect(lines).toEqual([2]);
      expect(stats.rejectSamples).toEqual([{ line: 3, reason: TOO_LONG }]);
      expect(mostHeld).toBeLessThanOrEqual(MAX_LINE_BYTES);
    });

    it('is rejected when a single chunk holds it whole', async () => {
      const body = Buffer.from(`tconst\taverageRating\tnumVotes\ntt1\t${'9'.repeat(MAX_LINE_BYTES)}\t2\ntt2\t1\t2\n`);
      const { rows, stats } = await readAll(body, body.length);
      expect(rows.map((r) => r.line)).toEqual([3]);
      expect(stats.rejectSamples).toEqual([{ line: 2, reason: TOO_LONG }]);
    });

    it('is accepted at exactly the limit, across chunks', async () => {
      const field = 'é'.repeat((MAX_LINE_BYTES - 'tt1\t\t2'.length) / 2);
      const { rows, stats } = await readAll(`tconst\taverageRating\tnumVotes\ntt1\t${field}\t2\ntt2\t1\t2\n`, 1 << 16);
      expect(stats.rowsRejected).toBe(0);
      expect(rows.map((r) => r.fields[1]?.length)).toEqual([field.length, 1]);
    });

    it('fails the file when it is the header', async () => {
      await expect(readLongLine('tconst\t', 2 << 20, '\n')).rejects.toThrow(`title.ratings.tsv.gz: line 1: header longer than ${MAX_LINE_BYTES} bytes`);
    });
  });
});
