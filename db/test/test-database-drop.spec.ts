import { createTestDatabase, dropDatabase, dropLeftoverTestDatabases, TEST_ADMIN_URL } from '../src/testing/test-database';
import postgres from 'postgres';

const exists = async (admin: postgres.Sql, name: string) => (await admin`SELECT 1 FROM pg_database WHERE datname = ${name}`).length > 0;

/**
 * A DROP DATABASE waits, server-wide, for every backend: one held by its client (a COPY FROM STDIN
 * with no rows coming) holds every drop. A suite's drop then gives up in time, and the run's
 * teardown drops what was left.
 */
describe('test databases: a drop held by another session', () => {
  it('gives up after its wait, keeps the database, and the teardown sweep drops it once the server is free', async () => {
    const admin = postgres(TEST_ADMIN_URL, { max: 1, onnotice: () => {} });
    const holder = await createTestDatabase({ migrate: false });
    const victim = await createTestDatabase({ migrate: false });
    const victimName = new URL(victim.url!).pathname.slice(1);
    const holderName = new URL(holder.url!).pathname.slice(1);
    const sql = postgres(holder.url!, { max: 1, onnotice: () => {} });
    try {
      await sql`CREATE TABLE held (x int)`;
      await victim.handle.close();
      const reserved = await sql.reserve();
      const copy = await reserved.unsafe('COPY held FROM STDIN').writable();
      copy.write('1\n');
      try {
        // The COPY waits for rows that do not come: the drop cannot finish, and returns anyway.
        await dropDatabase(victimName, { waitMs: 1000 });
        expect(await exists(admin, victimName)).toBe(true);
      } finally {
        copy.end();
        await new Promise((resolve) => copy.once('finish', resolve));
        reserved.release();
      }
      expect((await sql`SELECT count(*)::int AS n FROM held`)[0]!.n).toBe(1);
      await sql.end();
      await holder.handle.close();
      // Both were made by this process: the sweep takes them (and nothing a live process owns).
      const dropped = await dropLeftoverTestDatabases();
      expect(dropped).toEqual(expect.arrayContaining([victimName, holderName]));
      expect([await exists(admin, victimName), await exists(admin, holderName)]).toEqual([false, false]);
    } finally {
      await sql.end().catch(() => {});
      await holder.drop().catch(() => {});
      await victim.drop().catch(() => {});
      await admin.end();
    }
  });
});
