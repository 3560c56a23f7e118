import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createTestDatabase, readOnlySession, type TestDatabase } from '@cine/db/testing';
import { refreshKpis } from '@cine/db';
import postgres from 'postgres';
import { parse as parseYaml } from 'yaml';
import { expectedKpis } from '@cine/db/fixtures/kpi-expected';
import { readFixtureCatalogue } from '@cine/db/fixtures/kpi-fixtures.reader';
import { SAMPLE_IMDB_FOLDERS, SAMPLE_TMDB_FILES } from '@cine/etl-worker/testing/sample-catalogue';
import { describeWithSamples } from '@cine/etl-worker/testing/samples';
import { customOptions, DASHBOARD_DIR, expandedPanelQueries, expandSql, loadDashboards, queryOptions, variableOptions } from '../src/grafana/dashboard-queries';
import { DIMENSIONS, GENRE_NAMES, genreFr, valueFr } from '../src/report/french';
import { deadline } from '@cine/common/testing';

const PROVISIONING = resolve(DASHBOARD_DIR, '..', 'provisioning');
const READER_ROLE = 'cine_kpi_reader';

describe('Grafana provisioning', () => {
  it('provisions the PostgreSQL data source from the environment, with the fixed uid and no secret', () => {
    const dir = join(PROVISIONING, 'datasources');
    const files = readdirSync(dir);
    expect(files.length).toBeGreaterThan(0);
    const text = files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n');
    const ds = files.flatMap((f) => (parseYaml(readFileSync(join(dir, f), 'utf8')) as { datasources: any[] }).datasources);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({
      uid: 'cine-postgres',
      type: 'grafana-postgresql-datasource',
      url: '${KPI_DB_HOST}',
      user: '${KPI_DB_USER}',
      jsonData: { database: '${KPI_DB_NAME}' },
      secureJsonData: { password: '${KPI_DB_PASSWORD}' },
    });
    expect(text).not.toMatch(/password:\s*[^$\s]/);
  });

  it('loads the dashboards from files that the UI cannot change', () => {
    const dir = join(PROVISIONING, 'dashboards');
    const providers = readdirSync(dir).flatMap((f) => (parseYaml(readFileSync(join(dir, f), 'utf8')) as { providers: any[] }).providers);
    expect(providers).toHaveLength(1);
    expect(providers[0]).toMatchObject({ type: 'file', allowUiUpdates: false, options: { path: '/var/lib/grafana/dashboards' } });
  });

  it('is written for the Grafana pinned in compose (11.6: dashboard schema 41)', () => {
    const compose = parseYaml(readFileSync(resolve(DASHBOARD_DIR, '..', '..', '..', 'docker-compose.yml'), 'utf8')) as { services: Record<string, { image?: string }> };
    expect(compose.services.grafana?.image).toBe('grafana/grafana:11.6.0');
    for (const { file, dashboard } of loadDashboards()) {
      expect([file, dashboard.schemaVersion]).toEqual([file, 41]);
      for (const panel of dashboard.panels) expect([file, panel.title, panel.pluginVersion]).toEqual([file, panel.title, '11.6.0']);
    }
  });

  it('has the owner’s five dashboards, every panel on the provisioned data source, unique uids and panel ids', () => {
    const dashboards = loadDashboards();
    expect(dashboards.map((d) => d.dashboard.uid).sort()).toEqual(['cine-catalogue', 'cine-money', 'cine-notifications', 'cine-people', 'cine-ratings']);
    for (const { file, dashboard } of dashboards) {
      const ids = dashboard.panels.map((p) => p.id);
      expect([file, new Set(ids).size]).toEqual([file, ids.length]);
      for (const panel of dashboard.panels) {
        expect([file, panel.title, panel.datasource?.uid]).toEqual([file, panel.title, 'cine-postgres']);
        for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe('cine-postgres');
      }
    }
  });

  it('expands macros and variables the way Grafana does', () => {
    const range = { from: new Date('1900-01-01T00:00:00Z'), to: new Date('2000-01-01T00:00:00Z') };
    const vars = new Map([
      ['category', `'actor','actress'`],
      ['dimension', 'genre'],
    ]);
    expect(expandSql(`SELECT 1 WHERE $__timeFilter(make_date(y, 1, 1)) AND c IN ($category) AND d = '$dimension' AND e = '\${dimension}'`, vars, range)).toBe(
      `SELECT 1 WHERE make_date(y, 1, 1) BETWEEN '1900-01-01T00:00:00.000Z' AND '2000-01-01T00:00:00.000Z' AND c IN ('actor','actress') AND d = 'genre' AND e = 'genre'`,
    );
    expect(() => expandSql('SELECT $nope', vars, range)).toThrow('unknown variable $nope');
    expect(() => expandSql('SELECT $__interval', vars, range)).toThrow('not supported');
  });

  it('reads a selector’s choices the way Grafana does: the text shown, the value sent', () => {
    expect(customOptions('Pays de production : country,plain, a\\, b : ab')).toEqual([
      { text: 'Pays de production', value: 'country' },
      { text: 'plain', value: 'plain' },
      { text: 'a, b', value: 'ab' },
    ]);
    expect(queryOptions([{ __value: 'Drama', __text: 'Drame' }])).toEqual([{ text: 'Drame', value: 'Drama' }]);
    expect(queryOptions([{ genre: 'Drama', films: 3 }])).toEqual([{ text: 'Drama', value: 'Drama' }]);
  });

  it('shows every custom selector in French, as saved in the file and as its query says', () => {
    const custom = loadDashboards().flatMap(({ file, dashboard }) => dashboard.templating.list.filter((v) => v.type === 'custom').map((v) => ({ file, v })));
    expect(custom.map(({ v }) => v.name).sort()).toEqual(['category', 'dimension']);
    for (const { file, v } of custom) {
      const where = `${file} › $${v.name}`;
      const options = customOptions(v.query);
      // Each choice a French text over the code the SQL needs; Grafana's own « All » is not offered.
      for (const o of options) expect([where, o.text === o.value, /^[A-ZÀ-Ý]/.test(o.text)]).toEqual([where, false, true]);
      expect([where, v.includeAll ?? false]).toEqual([where, false]);
      expect([where, (v.options ?? []).map(({ text, value }) => ({ text, value }))]).toEqual([where, options]);
      expect([where, v.current?.text]).toEqual([where, options.find((o) => o.value === v.current?.value)?.text]);
    }
  });
});

describeWithSamples('every dashboard panel, run as the read-only role on the sample catalogue', () => {
  let t: TestDatabase;
  let reader: postgres.Sql;
  let emptyKpis: Set<string>;

  beforeAll(async () => {
    t = await createTestDatabase({ from: 'samples' });
    await refreshKpis(t.handle);
    // The notifier's totals, as it writes them (a day, an email kind or a way of leaving, a count): the weekly panels have rows to draw.
    const today = new Date().toISOString().slice(0, 10);
    await t.handle.db
      .insertInto('notification_tally')
      .values([
        { day: today, kind: 'digest', outcome: 'sent', n: 12 },
        { day: today, kind: 'alert', outcome: 'sent', n: 3 },
        { day: today, kind: 'departure', outcome: 'erase', n: 1 },
      ])
      .execute();
    reader = await readOnlySession(t.url!);
    const expected = expectedKpis(readFixtureCatalogue(SAMPLE_IMDB_FOLDERS, SAMPLE_TMDB_FILES));
    // The samples credit no actor in a series: the independent reading says this KPI is empty.
    emptyKpis = new Set((expected.segments.get('both') ?? 0) === 0 ? ['kpi.actors_in_both'] : []);
  }, deadline(120_000));
  afterAll(async () => {
    await reader?.end();
    await t?.drop();
  });

  it('runs as a role that reads the kpi schema and nothing else', async () => {
    expect((await reader`SELECT current_user AS u`)[0]!.u).toBe(READER_ROLE);
    await expect(reader`SELECT count(*) FROM public.title`).rejects.toThrow(/permission denied/);
    await expect(reader`SELECT count(*) FROM public.import_run`).rejects.toThrow(/permission denied/);
    // The notifier's counts, never an address: the view and the daily totals, none of the tables holding an address or a hash.
    expect((await reader`SELECT confirmed FROM public.notification_stats`)[0]!.confirmed).toBe(0);
    expect((await reader`SELECT sum(n)::int AS n FROM public.notification_tally WHERE outcome = 'sent'`)[0]!.n).toBe(15);
    for (const table of ['subscriber', 'consent_record', 'subscriber_token', 'notification', 'suppression']) {
      await expect(reader.unsafe(`SELECT count(*) FROM public.${table}`)).rejects.toThrow(/permission denied/);
    }
    await expect(reader`DELETE FROM kpi.top_actors`).rejects.toThrow(/permission denied|cannot change materialized view/);
    await expect(reader`REFRESH MATERIALIZED VIEW kpi.top_actors`).rejects.toThrow(/must be owner/);
  });

  it('returns rows and every column each panel needs', async () => {
    const queries = await expandedPanelQueries((q) => reader.unsafe(q));
    expect(queries.length).toBeGreaterThanOrEqual(16);
    for (const q of queries) {
      const where = `${q.file} › ${q.panel}`;
      const result = await reader.unsafe(q.sql).catch((err: Error) => {
        throw new Error(`${where}: ${err.message}\n${q.sql}`);
      });
      const columns = result.columns.map((c) => c.name);
      for (const need of q.needs) expect([where, columns.includes(need) ? need : `missing ${need} in ${columns.join(', ')}`]).toEqual([where, need]);
      const mayBeEmpty = [...emptyKpis].some((kpi) => q.sql.includes(kpi));
      if (!mayBeEmpty) expect([where, result.length > 0]).toEqual([where, true]);
      if (q.type === 'timeseries') expect(result.every((r) => r.time instanceof Date)).toBe(true);
      if (q.type === 'barchart' && !mayBeEmpty) {
        const xField = q.needs.find((n) => result.every((r) => typeof r[n] === 'string'));
        const values = columns.filter((c) => c !== xField && result.some((r) => typeof r[c] === 'number'));
        expect([where, xField !== undefined, values.length > 0]).toEqual([where, true, true]);
      }
    }
  });

  it('offers the genres in French and sends IMDb’s names', async () => {
    const money = loadDashboards().find((d) => d.dashboard.uid === 'cine-money')!.dashboard;
    const genre = money.templating.list.find((v) => v.name === 'genre')!;
    const options = await variableOptions(money, genre, (q) => reader.unsafe(q));
    expect(options.length).toBeGreaterThan(3);
    // The report's own French names (analysis/src/report/french.ts), read independently of the dashboard.
    for (const o of options) expect(o).toEqual({ value: o.value, text: genreFr(o.value) });
    expect(options.some((o) => o.text !== o.value)).toBe(true);
  });

  it('names every genre in the charts as the report does (kpi.genre_fr, run as the read-only role); an unknown name stays as it is', async () => {
    const pairs = Object.entries(GENRE_NAMES);
    const rows = await reader.unsafe<{ imdb: string; fr: string }[]>(
      `SELECT imdb, kpi.genre_fr(imdb) AS fr FROM unnest($1::text[]) AS imdb`,
      [[...pairs.map(([imdb]) => imdb), 'Not-A-Genre']],
    );
    expect(rows.map((r) => [r.imdb, r.fr])).toEqual([...pairs, ['Not-A-Genre', 'Not-A-Genre']]);
    // The catalogue dashboard's genre chart, its own SQL: French names, none of IMDb's that the report translates.
    const catalogue = loadDashboards().find((d) => d.dashboard.uid === 'cine-catalogue')!.dashboard;
    const sqlOf = catalogue.panels.flatMap((p) => p.targets ?? []).map((t) => t.rawSql ?? '').find((q) => q.includes('kpi.catalogue_by_genre'))!;
    const shown = (await reader.unsafe<{ genre: string }[]>(sqlOf)).map((r) => r.genre);
    expect(shown.length).toBeGreaterThan(3);
    const translated = Object.keys(GENRE_NAMES).filter((k) => GENRE_NAMES[k] !== k);
    expect(shown.filter((g) => translated.includes(g))).toEqual([]);
    expect(shown).toContain('Drame');
  });

  it('names every lift and hint value as the report does (kpi.value_fr, kpi.dimension_fr, run as the read-only role), not by its code', async () => {
    const held = await reader.unsafe<{ dimension: string; value: string }[]>(
      `SELECT dimension, value FROM kpi.best_rated_lift UNION SELECT dimension, value FROM kpi.programming_hints`,
    );
    for (const dimension of Object.keys(DIMENSIONS)) expect([dimension, held.some((h) => h.dimension === dimension)]).toEqual([dimension, true]);
    // Values the samples may not hold: either side of the decades the report shortens, a code no list knows.
    const extra = [
      ['decade', '1920'], ['decade', '1990'], ['decade', '2010'], ['runtime_band', '150_plus'], ['country', 'SU'], ['country', 'ZZ'],
      ['language', 'cn'], ['language', 'zz'], ['genre', 'Horror'], ['other', 'x'],
    ].map(([dimension, value]) => ({ dimension: dimension!, value: value! }));
    const pairs = [...held, ...extra];
    const rows = await reader.unsafe<{ fr: string }[]>(
      `SELECT kpi.value_fr(d, v) AS fr FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(d, v, n) ORDER BY n`,
      [pairs.map((p) => p.dimension), pairs.map((p) => p.value)],
    );
    expect(rows.map((r, i) => [pairs[i]!.dimension, pairs[i]!.value, r.fr])).toEqual(pairs.map((p) => [p.dimension, p.value, valueFr(p.dimension, p.value)]));
    const names = await reader.unsafe<{ d: string; fr: string }[]>(`SELECT d, kpi.dimension_fr(d) AS fr FROM unnest($1::text[]) AS d`, [[...Object.keys(DIMENSIONS), 'other']]);
    expect(names.map((r) => [r.d, r.fr])).toEqual([...Object.entries(DIMENSIONS), ['other', 'other']]);
    // The lift chart's own SQL, for the countries: names, not ISO codes.
    const ratings = loadDashboards().find((d) => d.dashboard.uid === 'cine-ratings')!.dashboard;
    const liftSql = ratings.panels.flatMap((p) => p.targets ?? []).map((t) => t.rawSql ?? '').find((q) => q.includes('kpi.best_rated_lift'))!;
    const countries = (await reader.unsafe<{ value: string }[]>(liftSql.replace('$dimension', 'country'))).map((r) => r.value);
    expect(countries.length).toBeGreaterThan(0);
    expect(countries.filter((c) => /^[A-Z]{2}$/.test(c) && valueFr('country', c) !== c)).toEqual([]);
    expect(countries.some((c) => c === 'France' || c === 'États-Unis')).toBe(true);
  });
});
