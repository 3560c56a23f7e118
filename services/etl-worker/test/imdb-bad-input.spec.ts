import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { SampleCopy } from './corrupt';
import { catalogueDigest, etlFor, SAMPLE_POLICY, stagingRows } from './etl-harness';
import { describeWithSamples, IMDB } from './samples';
import { ThinSample } from './thin-sample';

/**
 * Every kind of bad input fails the run with a message naming the file (and the line when there
 * is one), records the failure in the ledger, and leaves the serving catalogue exactly as it was.
 * Each case corrupts a copy of a tenth of head-50k (every dataset, real lines): the checks are
 * about the one bad file, not about the size of the good ones around it.
 */
describeWithSamples('bad IMDb input', () => {
  let t: TestDatabase;
  let before: Record<string, string>;
  const thin = ThinSample.forSuite();
  const copies: SampleCopy[] = [];
  const sample = () => {
    const copy = new SampleCopy(thin.dir);
    copies.push(copy);
    return copy;
  };

  beforeAll(async () => {
    t = await createTestDatabase();
    await etlFor(t.handle).importer.imdb({ sources: [IMDB('famous-40')], policy: SAMPLE_POLICY });
    before = await catalogueDigest(t.handle);
    expect(before.title).toMatch(/^40:/);
  });
  afterAll(async () => {
    for (const copy of copies) copy.dispose();
    await t?.drop();
  });

  async function expectRejected(sources: string[], message: RegExp, policy: Record<string, number> = SAMPLE_POLICY) {
    await expect(etlFor(t.handle).importer.imdb({ sources, policy })).rejects.toThrow(message);
    expect(await catalogueDigest(t.handle)).toEqual(before);
    expect(await stagingRows(t.handle)).toBe(0);
    const run = await t.handle.db.selectFrom('import_run').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(message);
  }

  it('a truncated gzip file', async () => {
    const copy = sample().truncate('title.principals', 0.6);
    await expectRejected([copy.dir], new RegExp(`${escape(copy.file('title.principals'))}: truncated gzip stream after line \\d+`));
  });

  it('a file that is not gzip at all', async () => {
    const copy = sample().bytes('title.crew', () => Buffer.from('tconst\tdirectors\twriters\ntt1\t\\N\t\\N\n'));
    await expectRejected([copy.dir], new RegExp(`${escape(copy.file('title.crew'))}: not a valid gzip stream after line 0`));
  });

  it('a header that drifted (renamed column)', async () => {
    const copy = sample().lines('title.crew', (lines) => [lines[0]!.replace('directors', 'director'), ...lines.slice(1)]);
    await expectRejected([copy.dir], new RegExp(`${escape(copy.file('title.crew'))}: line 1: header does not match the IMDb format \\(missing directors; unexpected director\\)`));
  });

  it('a header that drifted (new column)', async () => {
    const copy = sample().lines('title.ratings', (lines) => [`${lines[0]}\tnumReviews`, ...lines.slice(1)]);
    await expectRejected([copy.dir], new RegExp(`${escape(copy.file('title.ratings'))}: line 1: header does not match the IMDb format \\(unexpected numReviews\\)`));
  });

  it('rows with the wrong column count above the allowed share', async () => {
    // One row in a hundred gets an extra field: 1 % is far above the 0.1 % allowed.
    let malformed = 0;
    const copy = sample().lines('title.akas', (lines) => lines.map((l, i) => (i > 0 && i % 100 === 7 && l ? (malformed++, `${l}\textra`) : l)));
    const rows = thin.rows['title.akas']!;
    expect(malformed).toBeGreaterThanOrEqual(40);
    await expectRejected(
      [copy.dir],
      new RegExp(
        `${escape(copy.file('title.akas'))}: ${malformed} of ${rows} rows malformed \\(${escape(((100 * malformed) / rows).toFixed(3))}%, above the 0\\.100% allowed\\); line 8: expected 8 fields, found 9`,
      ),
    );
  });

  it('a single short row is rejected and counted, and the run succeeds', async () => {
    const copy = sample().lines('title.basics', (lines) => lines.map((l, i) => (i === 41 ? l.split('\t').slice(0, 5).join('\t') : l)));
    const result = await etlFor(t.handle).importer.imdb({ sources: [copy.dir], policy: SAMPLE_POLICY });
    expect(result.rowsRejected).toBe(1);
    const file = await t.handle.db.selectFrom('import_file').selectAll().where('run_id', '=', result.runId).where('dataset', '=', 'title.basics').executeTakeFirstOrThrow();
    expect(file.rows_rejected).toBe(1);
    expect(file.reject_samples).toEqual([{ line: 42, reason: 'expected 9 fields, found 5' }]);
    // The same file with no tolerance fails, naming the line. Back to the small catalogue first
    // (forced: it is far under half of the one served).
    await etlFor(t.handle).importer.imdb({ sources: [IMDB('famous-40')], policy: SAMPLE_POLICY }, {}, { allowShrink: true });
    before = await catalogueDigest(t.handle);
    await expectRejected([copy.dir], new RegExp(`title\\.basics\\.tsv\\.gz: 1 of ${thin.rows['title.basics']} rows malformed.*line 42: expected 9 fields, found 5`), { ...SAMPLE_POLICY, maxRejectShare: 0 });
  });

  it('invalid UTF-8', async () => {
    const copy = sample().poisonByte('name.basics', 1234, 12, 0xff);
    await expectRejected([copy.dir], new RegExp(`${escape(copy.file('name.basics'))}: line 1234: invalid UTF-8`));
  });

  it('an empty file (zero bytes, or gzip of nothing)', async () => {
    const copy = sample();
    writeFileSync(copy.file('title.ratings'), Buffer.alloc(0));
    await expectRejected([copy.dir], new RegExp(`${escape(copy.file('title.ratings'))}: empty file \\(no header line\\)`));
    writeFileSync(copy.file('title.ratings'), gzipSync(Buffer.alloc(0)));
    await expectRejected([copy.dir], new RegExp(`${escape(copy.file('title.ratings'))}: empty file \\(no header line\\)`));
  });

  it('a folder without title.basics', async () => {
    const copy = sample().remove('title.basics');
    await expectRejected([copy.dir], new RegExp(`${escape(copy.file('title.basics'))}: title\\.basics is required and was not found`));
  });

  it('a folder that does not exist', async () => {
    await expectRejected(['/nonexistent/imdb'], /\/nonexistent\/imdb: no such folder/);
  });

  it('an unreachable URL', async () => {
    // A port nothing listens on: connection refused, retried, then a clear failure.
    const server = await listen();
    const port = (server.address() as AddressInfo).port;
    await new Promise((r) => server.close(r));
    await expectRejected([`http://127.0.0.1:${port}/imdb/`], new RegExp(`http://127\\.0\\.0\\.1:${port}/imdb/title\\.ratings\\.tsv\\.gz: unreachable after 2 attempts`));
  });

  it('a URL whose server answers 404 for title.basics', async () => {
    const server = await listen((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    try {
      const port = (server.address() as AddressInfo).port;
      await expectRejected([`http://127.0.0.1:${port}/`], new RegExp(`http://127\\.0\\.0\\.1:${port}/title\\.basics\\.tsv\\.gz: title\\.basics is required and was not found`));
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function listen(handler?: RequestListener): Promise<Server> {
  const server = handler ? createServer(handler) : createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
