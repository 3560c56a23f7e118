import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { etlFor, SAMPLE_POLICY } from './etl-harness';
import { describeWithSamples, IMDB } from './samples';

describeWithSamples('catalogue swap', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  async function snapshot(): Promise<string> {
    // One statement, one snapshot: what a page or a KPI query sees.
    const { rows } = await sql<{ s: string }>`
      SELECT concat_ws('/', (SELECT count(*) FROM title), (SELECT count(*) FROM title_aka), (SELECT count(*) FROM credit),
                            (SELECT count(*) FROM person), (SELECT count(*) FROM crew)) AS s`.execute(t.handle.db);
    return rows[0]!.s;
  }

  it('lets a reader during an import see the old catalogue or the new one, never a mix', async () => {
    const etl = etlFor(t.handle);
    await etl.importer.imdb({ sources: [IMDB('famous-40')], policy: SAMPLE_POLICY });
    const old = await snapshot();

    const seen = new Map<string, number>();
    let importing = true;
    const reader = (async () => {
      while (importing) {
        const s = await snapshot();
        seen.set(s, (seen.get(s) ?? 0) + 1);
      }
    })();
    await etl.importer.imdb({ sources: [IMDB('head-50k')], policy: SAMPLE_POLICY });
    importing = false;
    await reader;
    const fresh = await snapshot();

    expect(fresh).not.toBe(old);
    expect([...seen.keys()].every((s) => s === old || s === fresh)).toBe(true);
    // The reader really ran during the import, and saw the old catalogue while it ran.
    expect(seen.get(old) ?? 0).toBeGreaterThan(5);
  });
});
