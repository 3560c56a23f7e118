import { sql } from 'kysely';
import { findKpi } from '../src/kpi/kpi.catalogue';
import { KPI_REFRESH_ORDER, refreshKpis } from '../src/kpi/kpi-refresh';
import { KpiRepository } from '../src/kpi/kpi.repository';
import { createEmbeddedTestDatabase } from '../src/testing/test-database';

describe('KPI migration on the embedded PGlite', () => {
  it('creates the views and the read-only role, and refreshes them', async () => {
    const t = await createEmbeddedTestDatabase();
    try {
      const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_matviews WHERE schemaname = 'kpi'`.execute(t.handle.db);
      expect(rows[0]!.n).toBe(KPI_REFRESH_ORDER.length);
      const role = await sql<{ ok: boolean }>`SELECT has_schema_privilege('cine_kpi_reader', 'kpi', 'USAGE') AS ok`.execute(t.handle.db);
      expect(role.rows[0]!.ok).toBe(true);
      await sql`INSERT INTO catalogue_a.title (tconst, title_type, primary_title, original_title, is_adult, start_year, runtime_minutes, genres, average_rating, num_votes)
                VALUES ('tt0000001', 'movie', 'A', 'A', false, 1994, 100, '{Drama}', 8, 10)`.execute(t.handle.db);
      await refreshKpis(t.handle);
      expect(await new KpiRepository(t.handle).rows(findKpi('runtime_by_year')!)).toEqual([{ year: 1994, films: 1, mean_runtime: 100, median_runtime: 100 }]);
      // The views are typed in Database, for code that wants Kysely's query builder.
      const best = await t.handle.db.selectFrom('kpi.best_rated_films').select(['tconst', 'rank', 'genres']).execute();
      expect(best).toEqual([{ tconst: 'tt0000001', rank: 1, genres: ['Drama'] }]);
    } finally {
      await t.drop();
    }
  });
});
