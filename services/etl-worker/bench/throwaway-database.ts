import { randomBytes } from 'node:crypto';
import { openDatabase } from '@cine/db';
import { sql } from 'kysely';

/** A database created for one benchmark run and dropped after it, on the server of `adminUrl`. */
export interface ThrowawayDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

async function admin(adminUrl: string, statement: string): Promise<void> {
  const handle = await openDatabase({ databaseUrl: adminUrl, maxConnections: 1, applicationName: 'etl-bench' });
  try {
    await sql.raw(statement).execute(handle.db);
  } finally {
    await handle.close();
  }
}

export async function createThrowawayDatabase(adminUrl: string, prefix = 'cine_bench'): Promise<ThrowawayDatabase> {
  // Generated here from [a-z0-9_] only, so it is safe to splice into DDL.
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    async drop() {
      if (dropped) return;
      dropped = true;
      // FORCE: an interrupted import may still hold connections.
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
