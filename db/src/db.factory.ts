import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PostgresJSDialect } from 'kysely-postgres-js';
import postgres from 'postgres';
import type { Database } from './database';
import { lockEmbeddedDirectory } from './embedded-lock';
import { PgliteDialect, PgliteSession } from './pglite.dialect';

export { DatabaseInUseError } from './embedded-lock';

export type DbBackend = 'postgres' | 'pglite';

export interface DbOptions {
  /** A PostgreSQL server; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Where the embedded PGlite keeps its files; `memory://` keeps nothing (tests). */
  dataDir?: string | undefined;
  maxConnections?: number;
  /** Names the connection on PostgreSQL, and the holder of the embedded database's lock. */
  applicationName?: string;
  /**
   * Start the embedded database from this image of another (`DbHandle.dumpEmbedded`) rather than
   * from an empty cluster: tests start from a migrated image instead of running initdb and every
   * migration again (≈ 3.7 s of CPU saved each time). Ignored on PostgreSQL.
   */
  embeddedImage?: Blob | undefined;
}

export interface DbHandle {
  readonly backend: DbBackend;
  readonly db: Kysely<Database>;
  /**
   * Bulk-load rows already encoded in PostgreSQL's COPY text format. `table` and `columns`
   * are trusted identifiers from our own code, never user input.
   */
  copyInto(table: string, columns: readonly string[], chunks: AsyncIterable<string>): Promise<void>;
  /** A session-level lock shared by every process on the database; null when already held. */
  tryLock(key: number): Promise<(() => Promise<void>) | null>;
  /** The embedded database's files as one uncompressed tar image, for `embeddedImage`; absent on PostgreSQL. */
  dumpEmbedded?(): Promise<Blob>;
  close(): Promise<void>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;
/** PGlite copies from an in-memory blob: bound each COPY so memory stays flat. */
const PGLITE_COPY_CHUNK_CHARS = 8 * 1024 * 1024;

export async function openDatabase(opts: DbOptions): Promise<DbHandle> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPglite(opts.dataDir ?? 'memory://', opts.applicationName ?? 'cine-creuse', opts.embeddedImage);
}

function copyStatement(table: string, columns: readonly string[], from: string): string {
  for (const name of [table, ...columns]) {
    if (!IDENTIFIER.test(name)) throw new Error(`unsafe identifier in COPY: ${name}`);
  }
  return `COPY ${table} (${columns.join(', ')}) FROM ${from}`;
}

function openPostgres(url: string, opts: DbOptions): DbHandle {
  const sql = postgres(url, {
    max: opts.maxConnections ?? 10,
    onnotice: () => {},
    connection: { application_name: opts.applicationName ?? 'cine-creuse' },
    types: {
      // Counts and money are int8; every value we store fits a double exactly.
      int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
      // A calendar date has no time zone: keep 'YYYY-MM-DD' rather than a shifted Date.
      dateonly: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x },
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresJSDialect({ postgres: sql }) });

  return {
    backend: 'postgres',
    db,
    async copyInto(table, columns, chunks) {
      // A connection of its own for the statement: with the pool busy, postgres.js would otherwise
      // queue the COPY behind another query on a shared connection, and two loads at once (the
      // import's title and film index series) broke on it (EPIPE, or a COPY left waiting).
      const reserved = await sql.reserve();
      try {
        const writable = await reserved.unsafe(copyStatement(table, columns, 'STDIN')).writable();
        const failed = new Promise<never>((_, reject) => writable.once('error', reject));
        failed.catch(() => {});
        try {
          for await (const chunk of chunks) {
            if (!writable.write(chunk)) await Promise.race([once(writable, 'drain'), failed]);
          }
        } catch (err) {
          // The rows' producer failed (bad input): abort the COPY (CopyFail) so the server rolls
          // it back and the connection leaves COPY mode instead of waiting forever.
          if (!writable.destroyed) {
            writable.destroy(err instanceof Error ? err : new Error(String(err)));
            await once(writable, 'close').catch(() => {});
          }
          throw err;
        }
        writable.end();
        await Promise.race([once(writable, 'finish'), failed]);
      } finally {
        reserved.release();
      }
    },
    async tryLock(key) {
      const reserved = await sql.reserve();
      const [row] = await reserved`SELECT pg_try_advisory_lock(${key}) AS locked`;
      if (!row?.locked) {
        reserved.release();
        return null;
      }
      return async () => {
        try {
          await reserved`SELECT pg_advisory_unlock(${key})`;
        } finally {
          reserved.release();
        }
      };
    },
    async close() {
      await db.destroy();
    },
  };
}

async function openPglite(dataDir: string, app: string, image: Blob | undefined): Promise<DbHandle> {
  let unlock = () => {};
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    // Before PGlite touches a file: a second process on the same directory is refused here.
    unlock = lockEmbeddedDirectory(dataDir, app);
  }
  let pglite: PGlite;
  try {
    // The contrib extensions are typed as ES modules only; their CommonJS builds load fine.
    const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
    const { unaccent } = await import('@electric-sql/pglite/contrib/unaccent');
    pglite = await PGlite.create({
      dataDir,
      ...(image ? { loadDataDir: image } : {}),
      extensions: { pg_trgm, unaccent },
      parsers: { 20: (x: string) => Number(x), 1082: (x: string) => x },
    });
  } catch (err) {
    unlock();
    throw err;
  }
  const session = new PgliteSession(pglite);
  const db = new Kysely<Database>({ dialect: new PgliteDialect(session) });
  const held = new Set<number>();

  async function flush(statement: string, parts: string[]): Promise<void> {
    if (parts.length === 0) return;
    const blob = new Blob(parts);
    await session.exclusive((p) => p.query(statement, [], { blob }));
  }

  return {
    backend: 'pglite',
    db,
    async copyInto(table, columns, chunks) {
      const statement = copyStatement(table, columns, `'/dev/blob'`);
      let parts: string[] = [];
      let size = 0;
      for await (const chunk of chunks) {
        parts.push(chunk);
        size += chunk.length;
        if (size >= PGLITE_COPY_CHUNK_CHARS) {
          await flush(statement, parts);
          parts = [];
          size = 0;
        }
      }
      await flush(statement, parts);
    },
    async dumpEmbedded() {
      return session.exclusive((p) => p.dumpDataDir('none'));
    },
    // One process owns an embedded database (the directory's lock), so an in-process lock is the whole story.
    async tryLock(key) {
      if (held.has(key)) return null;
      held.add(key);
      return async () => {
        held.delete(key);
      };
    },
    async close() {
      try {
        await db.destroy();
        await pglite.close();
      } finally {
        unlock();
      }
    },
  };
}
