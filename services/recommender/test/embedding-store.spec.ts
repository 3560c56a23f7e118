import { createEmbeddedTestDatabase, createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { CorruptVersionError, EmbeddingRepository } from '../src/embedding/embedding.repository';
import { createLogger } from '@cine/common';
import { buildEmbeddings } from '../src/embedding/embedding.service';
import type { EncoderData } from '../src/embedding/encoder';
import { DEFAULT_GROUP_WEIGHTS } from '../src/embedding/features';
import type { ItemMeta } from '../src/embedding/version';

const items: ItemMeta[] = [
  { tconst: 'tt0068646', title: 'The Godfather', year: 1972, runtime: 175, genres: ['Crime', 'Drama'], french: false, rating: 9.2, votes: 2_000_000 },
  { tconst: 'tt0211915', title: 'Amélie', year: 2001, runtime: null, genres: ['Comedy'], french: true, rating: null, votes: 0 },
];
const vectors = Float32Array.from([0.6, 0.8, 0, -1, Math.fround(0.1), 0]);

describe.each([
  ['PostgreSQL', () => createTestDatabase()],
  ['PGlite', () => createEmbeddedTestDatabase()],
])('embedding versions on %s', (_name, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('stores a version and reads back the same films and float32 values, newest first', async () => {
    const repo = new EmbeddingRepository(t.handle);
    const first = await repo.insert({ dims: 3, items, vectors, importRunId: null, stats: { note: 'first' } });
    const second = await repo.insert({ dims: 3, items, vectors, importRunId: 7, stats: {} });
    expect((await repo.readyHeads(5)).map((h) => h.id)).toEqual([second, first]);
    const loaded = await repo.load(first);
    expect(loaded.items).toEqual(items);
    expect(Array.from(loaded.vectors)).toEqual(Array.from(vectors));
    expect(loaded.stats).toEqual({ note: 'first' });
    // Stored without an encoder, as versions built before it were.
    expect(loaded.encoder).toBeNull();
  });

  it('stores the encoder with its version, under the checksum: changed encoder bytes are refused', async () => {
    const repo = new EmbeddingRepository(t.handle);
    const encoder: EncoderData = {
      films: 2,
      weights: DEFAULT_GROUP_WEIGHTS,
      rank: 2,
      tokens: ['genre:drama', 'decade:1970', 'director:nm0000338'],
      df: Int32Array.from([2, 2, 2]),
      projection: Float32Array.from([0.5, -0.25, 1, 0, Math.fround(0.1), 2]),
    };
    const id = await repo.insert({ dims: 3, items, vectors, encoder, importRunId: null, stats: {} });
    const loaded = await repo.load(id);
    expect(loaded.encoder).toEqual(encoder);
    await sql`UPDATE recommender_version SET encoder = set_byte(encoder, 10, get_byte(encoder, 10) # 1) WHERE id = ${id}`.execute(t.handle.db);
    await expect(repo.load(id)).rejects.toThrow(new CorruptVersionError(id, 'checksum mismatch'));
  });

  it('refuses a version whose bytes changed after it was written, naming the version', async () => {
    const repo = new EmbeddingRepository(t.handle);
    const id = await repo.insert({ dims: 3, items, vectors, importRunId: null, stats: {} });
    await sql`UPDATE recommender_version SET vectors = set_byte(vectors, 5, get_byte(vectors, 5) # 1) WHERE id = ${id}`.execute(t.handle.db);
    await expect(repo.load(id)).rejects.toThrow(new CorruptVersionError(id, 'checksum mismatch'));
    await expect(repo.load(999_999)).rejects.toThrow('embedding version 999999 is corrupt: missing');
  });

  it('prunes to the newest versions', async () => {
    const repo = new EmbeddingRepository(t.handle);
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await repo.insert({ dims: 3, items, vectors, importRunId: null, stats: {} }));
    await repo.prune(2);
    expect((await repo.readyHeads(10)).map((h) => h.id)).toEqual(ids.slice(-2).reverse());
  });

  it('stores blobs larger than one write slice whole (written in slices, seen at once)', async () => {
    const repo = new EmbeddingRepository(t.handle);
    const many: ItemMeta[] = Array.from({ length: 17_000 }, (_, i) => ({ ...items[0]!, tconst: `tt${String(i).padStart(7, '0')}`, votes: i }));
    const big = Float32Array.from({ length: many.length * 16 }, (_, i) => Math.fround(Math.sin(i)));
    const id = await repo.insert({ dims: 16, items: many, vectors: big, importRunId: null, stats: {} });
    const loaded = await repo.load(id);
    expect(loaded.vectors.byteLength).toBeGreaterThan(1 << 20);
    // Compared as bytes and as one string: jest's deep equality walks 480,000 floats one by one
    // (seconds of CPU); any difference still fails.
    const bytes = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    expect(bytes(loaded.vectors).compare(bytes(big))).toBe(0);
    expect(loaded.items.map((i) => i.votes).join(',')).toBe(many.map((i) => i.votes).join(','));
  });

  it('a build that fails in its worker thread rejects with the reason and stores nothing', async () => {
    const before = await new EmbeddingRepository(t.handle).readyHeads(100);
    await expect(buildEmbeddings(t.handle, createLogger('test', { level: 'silent' }), { dims: 999 })).rejects.toThrow(/worker thread.*dims must be an integer in 2\.\.256, got 999/s);
    expect(await new EmbeddingRepository(t.handle).readyHeads(100)).toEqual(before);
  });
});
