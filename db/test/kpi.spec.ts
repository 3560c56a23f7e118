import { createLogger } from '@cine/common';
import { sql } from 'kysely';
import { SAMPLE_IMDB_FOLDERS, SAMPLE_TMDB_FILES } from '@cine/etl-worker/testing/sample-catalogue';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { findKpi, KPI_CATALOGUE } from '../src/kpi/kpi.catalogue';
import { KPI_READS, KPI_REFRESH_ORDER, refreshKpis } from '../src/kpi/kpi-refresh';
import { KpiRepository } from '../src/kpi/kpi.repository';
import { createTestDatabase, type TestDatabase } from '../src/testing/test-database';
import { decadeOf, expectedKpis } from './kpi-expected';
import { readFixtureCatalogue } from './kpi-fixtures.reader';
import { deadline } from '@cine/common/testing';

type Row = Record<string, any>;

/** SQL rounds shown figures to 2 or 3 decimals; the independent figures are exact. */
function close(actual: unknown, expected: number | null, digits = 2): void {
  if (expected === null) {
    expect(actual).toBeNull();
    return;
  }
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-9);
}

describeWithSamples('KPI views on the sample catalogue, against an independent reading of the files', () => {
  let t: TestDatabase;
  let repo: KpiRepository;
  let expected: ReturnType<typeof expectedKpis>;
  const rows = async (name: string): Promise<Row[]> => repo.rows(findKpi(name)!, 100_000);

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples' });
    repo = new KpiRepository(t.handle);
    expected = expectedKpis(readFixtureCatalogue(SAMPLE_IMDB_FOLDERS, SAMPLE_TMDB_FILES));
  }, deadline(120_000));
  afterAll(async () => {
    await t?.drop();
  });

  it('are empty until the refresh-kpis job refreshes them, then hold the imported catalogue', async () => {
    expect(await rows('catalogue_by_type')).toEqual([]);
    await refreshKpis(t.handle, createLogger('test', { level: 'silent' }));
    expect((await rows('catalogue_by_type')).length).toBeGreaterThan(0);
  });

  it('refresh every materialized view of schema kpi, in an order where each comes after what it reads', async () => {
    const { rows: views } = await sql<{ name: string }>`SELECT matviewname AS name FROM pg_matviews WHERE schemaname = 'kpi'`.execute(t.handle.db);
    expect([...KPI_REFRESH_ORDER].sort()).toEqual(views.map((v) => v.name).sort());
    const { rows: deps } = await sql<{ view: string; reads: string }>`
      SELECT DISTINCT v.relname AS view, r.relname AS reads
      FROM pg_depend d
      JOIN pg_rewrite w ON w.oid = d.objid
      JOIN pg_class v ON v.oid = w.ev_class
      JOIN pg_class r ON r.oid = d.refobjid
      JOIN pg_namespace n ON n.oid = r.relnamespace
      WHERE n.nspname = 'kpi' AND r.relkind = 'm' AND v.oid <> r.oid`.execute(t.handle.db);
    expect(deps.length).toBeGreaterThan(0);
    const order: readonly string[] = KPI_REFRESH_ORDER;
    for (const dep of deps) expect(order.indexOf(dep.reads)).toBeLessThan(order.indexOf(dep.view));
    // The refresh runs views side by side: what each reads is declared, exactly as PostgreSQL knows it.
    const declared = Object.entries(KPI_READS).flatMap(([view, reads]) => reads!.map((r) => `${view} <- ${r}`));
    expect(declared.sort()).toEqual(deps.map((d) => `${d.view} <- ${d.reads}`).sort());
  });

  it.each([1, 2])('refreshes %i view(s) at a time, each after the views it reads', async (lanes) => {
    const timings = await refreshKpis(t.handle, createLogger('test', { level: 'silent' }), lanes);
    expect(timings.map((x) => x.view).sort()).toEqual([...KPI_REFRESH_ORDER].sort());
    const of = (view: string) => timings.find((x) => x.view === view)!;
    for (const [view, reads] of Object.entries(KPI_READS)) {
      for (const read of reads!) expect(of(view).started).toBeGreaterThanOrEqual(of(read).ended);
    }
    // Most overlapping at any instant: the lanes, no more (and no fewer: there is always a view ready).
    const most = Math.max(...timings.map((a) => timings.filter((b) => b.started <= a.started && a.started < b.ended).length));
    expect(most).toBe(lanes);
  });

  it('serve every catalogue column from the view, with the declared type', async () => {
    for (const kpi of KPI_CATALOGUE) {
      const data = await rows(kpi.name);
      expect(data.length).toBeGreaterThan(kpi.name === 'actors_in_both' ? -1 : 0);
      for (const row of data.slice(0, 50)) {
        expect(Object.keys(row).sort()).toEqual(kpi.columns.map((c) => c.name).sort());
        for (const column of kpi.columns) {
          const v = row[column.name];
          if (v === null) continue;
          const ok = { text: typeof v === 'string', integer: Number.isInteger(v), number: typeof v === 'number', boolean: typeof v === 'boolean', 'text[]': Array.isArray(v) }[column.type];
          if (!ok) throw new Error(`${kpi.name}.${column.name}: ${JSON.stringify(v)} is not ${column.type}`);
        }
      }
    }
  });

  it('catalogue by type, genre and decade', async () => {
    const byType = await rows('catalogue_by_type');
    expect(byType.map((r) => r.title_type).sort()).toEqual(expected.byType.map((r) => r.title_type).sort());
    for (const e of expected.byType) {
      const r = byType.find((x) => x.title_type === e.title_type)!;
      expect([r.titles, r.rated, r.votes]).toEqual([e.titles, e.rated, e.votes]);
      close(r.mean_rating, e.mean_rating);
    }
    const byGenre = await rows('catalogue_by_genre');
    expect(byGenre).toHaveLength(expected.byGenre.length);
    for (const e of expected.byGenre) {
      const r = byGenre.find((x) => `${x.kind}|${x.genre}` === e.key);
      expect(r?.titles).toBe(e.titles);
      close(r!.mean_rating, e.mean_rating);
    }
    const byDecade = await rows('catalogue_by_decade');
    expect(new Map(byDecade.map((r) => [`${r.kind}|${r.decade}`, r.titles]))).toEqual(new Map(expected.byDecade.map((e) => [e.key, e.titles])));
  });

  it('runtime per year: films, mean and median', async () => {
    const data = await rows('runtime_by_year');
    expect(data.map((r) => r.year)).toEqual(expected.runtime.map((e) => e.year).sort((a, b) => a - b));
    for (const e of expected.runtime) {
      const r = data.find((x) => x.year === e.year)!;
      expect(r.films).toBe(e.films);
      close(r.mean_runtime, e.mean_runtime);
      expect(r.median_runtime).toBe(e.median_runtime);
    }
  });

  it('most present actors and actresses, with their active period and peak decade', async () => {
    const data = await rows('top_actors');
    for (const category of ['actor', 'actress']) {
      const mine = data.filter((r) => r.category === category);
      const theirs = [...expected.careers.values()].filter((c) => c.category === category && c.films > 0).sort((a, b) => b.films - a.films);
      expect(mine.map((r) => r.films)).toEqual(theirs.slice(0, 50).map((c) => c.films));
      expect(mine.map((r) => r.rank)).toEqual(mine.map((_, i) => i + 1));
    }
    for (const r of data) {
      const { nconst, name, films, series, first_year, last_year, peak_decade, peak_decade_films } = expected.careers.get(r.nconst)!;
      expect(r).toMatchObject({ nconst, name, films, series, first_year, last_year, peak_decade, peak_decade_films });
    }
    expect(data.some((r) => r.name !== r.nconst)).toBe(true);
  });

  it('most present per decade', async () => {
    const data = await rows('top_actors_by_decade');
    const groups = new Map<string, number[]>();
    for (const [key, ids] of expected.perDecadeFilms) {
      const [decade, category] = key.split('|');
      const k = `${decade}|${category}`;
      groups.set(k, [...(groups.get(k) ?? []), ids.size]);
    }
    expect(new Set(data.map((r) => `${r.decade}|${r.category}`))).toEqual(new Set(groups.keys()));
    for (const [k, counts] of groups) {
      const mine = data.filter((r) => `${r.decade}|${r.category}` === k);
      expect(mine.map((r) => r.films)).toEqual(counts.sort((a, b) => b - a).slice(0, 10));
      for (const r of mine) {
        expect(expected.perDecadeFilms.get(`${k}|${r.nconst}`)?.size).toBe(r.films);
        expect(r.career_films).toBe(expected.careers.get(r.nconst)!.films);
      }
    }
  });

  it('actors in films, series or both, and the top of both', async () => {
    const data = await rows('actors_cinema_vs_series');
    expect(data.map((r) => r.segment)).toEqual(['films_only', 'series_only', 'both']);
    for (const r of data) expect(r.people).toBe(expected.segments.get(r.segment) ?? 0);
    const total = data.reduce((s, r) => s + r.people, 0);
    expect(total).toBe(expected.careers.size);
    const both = [...expected.careers.values()].filter((c) => c.films > 0 && c.series > 0);
    expect(await rows('actors_in_both')).toHaveLength(Math.min(50, both.length));
  });

  it("actors' age at release per decade and category", async () => {
    const data = await rows('actor_age_by_decade');
    expect(data).toHaveLength(expected.ages.length);
    for (const e of expected.ages) {
      const r = data.find((x) => `${x.decade}|${x.category}` === e.key)!;
      expect([r.appearances, r.with_age, r.median_age]).toEqual([e.appearances, e.with_age, e.median_age]);
      close(r.mean_age, e.mean_age);
    }
    expect(data.some((r) => r.with_age > 0)).toBe(true);
  });

  it('best-rated films by weighted rating, and what they share against the catalogue', async () => {
    const data = await rows('best_rated_films');
    const { C, m, wr, ranked } = expected.rating;
    expect(data.map((r) => r.tconst)).toEqual(ranked.slice(0, 250).map((f) => f.tconst));
    for (const r of data) {
      expect(r.min_votes).toBe(m);
      close(r.mean_rating, C, 3);
      close(r.weighted_rating, wr.get(r.tconst)!, 3);
      expect(r.num_votes).toBeGreaterThanOrEqual(m);
    }
    const lift = await rows('best_rated_lift');
    expect(lift).toHaveLength(expected.lift.length);
    for (const e of expected.lift) {
      const r = lift.find((x) => `${x.dimension}|${x.value}` === e.key)!;
      expect([r.top_films, r.catalogue_films]).toEqual([e.top_films, e.catalogue_films]);
      close(r.lift, e.lift, 3);
    }
    expect(new Set(lift.map((r) => r.dimension))).toEqual(new Set(['genre', 'decade', 'runtime_band', 'country', 'language']));
  });

  it('TMDB money by genre and decade, unknown amounts excluded and counted', async () => {
    for (const [name, theirs, key] of [
      ['money_by_genre', expected.moneyByGenre, 'genre'],
      ['money_by_decade', expected.moneyByDecade, 'decade'],
    ] as const) {
      const data = await rows(name);
      expect(data).toHaveLength(theirs.length);
      for (const e of theirs as Row[]) {
        const r = data.find((x) => x[key] === e[key])!;
        for (const c of ['films', 'budget_known', 'budget_unknown', 'revenue_known', 'revenue_unknown', 'roi_known', 'median_budget', 'median_revenue', 'total_budget']) {
          expect([c, r[c]]).toEqual([c, e[c]]);
        }
        close(r.mean_budget, e.mean_budget, 0);
        close(r.median_roi, e.median_roi, 3);
      }
      expect(data.some((r) => r.budget_unknown > 0)).toBe(true);
    }
  });

  it('French vs US productions per decade', async () => {
    const data = await rows('france_vs_us');
    expect(data).toHaveLength(expected.franceUs.length);
    for (const e of expected.franceUs) {
      const r = data.find((x) => `${x.decade}|${x.country}` === e.key)!;
      expect([r.films, r.median_budget]).toEqual([e.films, e.median_budget]);
      close(r.share_pct, e.share_pct);
      close(r.mean_rating, e.mean_rating);
    }
    expect(data.some((r) => r.country === 'FR' && r.films > 0)).toBe(true);
  });

  it('programming hints: decades and genres both well rated and much voted', async () => {
    const data = await rows('programming_hints');
    expect(data).toHaveLength(expected.hints.length);
    for (const e of expected.hints) {
      const r = data.find((x) => `${x.dimension}|${x.value}` === e.key)!;
      expect([r.films, r.median_votes, r.recommended]).toEqual([e.films, e.median_votes, e.recommended]);
      close(r.mean_weighted_rating, e.mean_weighted_rating, 3);
    }
    expect(data.some((r) => r.recommended)).toBe(true);
    expect(data.some((r) => !r.recommended)).toBe(true);
    // Decades are named by their first year.
    for (const r of data.filter((x) => x.dimension === 'decade')) expect(decadeOf(Number(r.value))).toBe(Number(r.value));
  });
});
