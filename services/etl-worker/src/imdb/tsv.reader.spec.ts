import { idAt, intAt, isNull, T, textField, TsvReader } from './tsv.reader';

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
});
