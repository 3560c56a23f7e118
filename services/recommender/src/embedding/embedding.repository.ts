import type { DbHandle } from '@cine/db';
import { jsonb } from '@cine/db';
import { sql } from 'kysely';
import { decodeEncoder, type EncoderData, encodeEncoder } from './encoder';
import { decodeItems, decodeVectors, type EmbeddingVersion, encodeItems, encodeVectors, type ItemMeta, versionChecksum } from './version';

export interface VersionHead {
  id: number;
  films: number;
  dims: number;
  createdAt: Date;
}

/** Thrown when a stored version cannot be trusted; the service keeps what it serves. */
export class CorruptVersionError extends Error {
  constructor(
    readonly versionId: number,
    reason: string,
  ) {
    super(`embedding version ${versionId} is corrupt: ${reason}`);
    this.name = 'CorruptVersionError';
  }
}

/** Bytes per blob write (see insertEncoded). */
const BLOB_SLICE = 1 << 20;

/** Embedding versions in Postgres (table recommender_version). */
export class EmbeddingRepository {
  constructor(private readonly handle: DbHandle) {}

  async insert(input: {
    dims: number;
    items: readonly ItemMeta[];
    vectors: Float32Array;
    encoder?: EncoderData | null;
    importRunId: number | null;
    stats: Record<string, unknown>;
  }): Promise<number> {
    const items = encodeItems(input.items);
    const vectors = encodeVectors(input.vectors);
    const encoder = input.encoder ? encodeEncoder(input.encoder) : null;
    return this.insertEncoded({
      dims: input.dims,
      films: input.items.length,
      items,
      vectors,
      encoder,
      checksum: versionChecksum(items, vectors, encoder),
      importRunId: input.importRunId,
      stats: input.stats,
    });
  }

  /**
   * A version whose blobs and checksum were made elsewhere (the build's worker thread). The
   * blobs go in slices appended inside one transaction: a single 13 MB parameter costs the
   * caller's thread a long synchronous encode (and, on PGlite, a long synchronous write), while
   * readers still see the version all at once, at commit.
   */
  async insertEncoded(input: {
    dims: number;
    films: number;
    items: Buffer;
    vectors: Buffer;
    encoder?: Buffer | null;
    checksum: string;
    importRunId: number | null;
    stats: Record<string, unknown>;
  }): Promise<number> {
    return this.handle.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('recommender_version')
        .values({
          status: 'ready',
          dims: input.dims,
          films: input.films,
          import_run_id: input.importRunId,
          stats: jsonb(input.stats),
          checksum: input.checksum,
          items: Buffer.alloc(0),
          vectors: Buffer.alloc(0),
          encoder: input.encoder ? Buffer.alloc(0) : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const column of ['items', 'vectors', 'encoder'] as const) {
        const blob = input[column];
        if (!blob) continue;
        for (let at = 0; at < blob.byteLength; at += BLOB_SLICE) {
          const slice = blob.subarray(at, Math.min(at + BLOB_SLICE, blob.byteLength));
          await sql`UPDATE recommender_version SET ${sql.ref(column)} = ${sql.ref(column)} || ${slice} WHERE id = ${row.id}`.execute(trx);
        }
      }
      return row.id;
    });
  }

  /** Ready versions, newest first, without their blobs. */
  async readyHeads(limit: number): Promise<VersionHead[]> {
    const rows = await this.handle.db
      .selectFrom('recommender_version')
      .select(['id', 'films', 'dims', 'created_at'])
      .where('status', '=', 'ready')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, films: r.films, dims: r.dims, createdAt: r.created_at }));
  }

  /** The whole version, checked against its checksum and its declared shape. */
  async load(id: number): Promise<EmbeddingVersion> {
    const row = await this.handle.db.selectFrom('recommender_version').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new CorruptVersionError(id, 'missing');
    if (versionChecksum(row.items, row.vectors, row.encoder) !== row.checksum) throw new CorruptVersionError(id, 'checksum mismatch');
    let items: ItemMeta[];
    try {
      items = decodeItems(row.items);
    } catch (err) {
      throw new CorruptVersionError(id, `unreadable film list (${(err as Error).message})`);
    }
    if (items.length !== row.films) throw new CorruptVersionError(id, `${items.length} films stored, ${row.films} declared`);
    if (row.vectors.byteLength !== row.films * row.dims * 4) throw new CorruptVersionError(id, `vector bytes do not match ${row.films} × ${row.dims}`);
    const vectors = decodeVectors(row.vectors);
    for (let i = 0; i < vectors.length; i++) {
      if (!Number.isFinite(vectors[i]!)) throw new CorruptVersionError(id, 'non-finite value in the vectors');
    }
    let encoder: EncoderData | null = null;
    if (row.encoder) {
      try {
        encoder = decodeEncoder(row.encoder);
      } catch (err) {
        throw new CorruptVersionError(id, `unreadable encoder (${(err as Error).message})`);
      }
    }
    return { id: row.id, dims: row.dims, items, vectors, encoder, createdAt: row.created_at, stats: row.stats };
  }

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.handle.db);
  }

  /** Keep the newest `keep` versions: each holds a whole catalogue's vectors. */
  async prune(keep: number): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      WITH gone AS (
        DELETE FROM recommender_version WHERE id NOT IN (SELECT id FROM recommender_version ORDER BY id DESC LIMIT ${keep}) RETURNING 1
      ) SELECT count(*)::int AS n FROM gone`.execute(this.handle.db);
    return rows[0]?.n ?? 0;
  }
}
