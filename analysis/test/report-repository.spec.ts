import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { ReportRepository } from '../src/report/report.repository';

describe('ReportRepository.hasCatalogue (npm run report refuses an empty database)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  it('is false on a migrated database with no title, true once one is loaded', async () => {
    const repo = new ReportRepository(t.handle);
    expect(await repo.hasCatalogue()).toBe(false);
    await sql`INSERT INTO title (tconst, title_type, primary_title, original_title, is_adult) VALUES ('tt0000001', 'short', 'Carmencita', 'Carmencita', false)`.execute(t.handle.db);
    expect(await repo.hasCatalogue()).toBe(true);
  });
});
