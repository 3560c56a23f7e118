import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KPI_CATALOGUE, refreshKpis } from '@cine/db';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { readFixtureCatalogue } from '@cine/db/fixtures/kpi-fixtures.reader';
import { SAMPLE_IMDB_FOLDERS, SAMPLE_TMDB_FILES } from '@cine/etl-worker/testing/sample-catalogue';
import { describeWithSamples, IMDB } from '@cine/etl-worker/testing/samples';
import { readRaw } from '@cine/etl-worker/testing/raw-imdb';
import { generateReport } from '../src/report/generate-report';
import { deadline, runToEnd } from '@cine/common/testing';

const REPO = resolve(__dirname, '..', '..');
const frInt = (n: number) => new Intl.NumberFormat('fr-FR').format(n);

describeWithSamples('the analysis report on the sample catalogue', () => {
  let t: TestDatabase;
  let html: string;
  let out: string;

  beforeAll(async () => {
    // The samples as imported, without the post-import steps: the report must notice the KPIs
    // were never computed.
    t = await createTestDatabase({ from: 'samples' });
    out = await mkdtemp(join(tmpdir(), 'cine-report-'));
  }, deadline(120_000));
  afterAll(async () => {
    await t?.drop();
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('is written by npm run report to the path it prints', async () => {
    const { code, stdout, stderr } = await runToEnd(process.execPath, ['--import', 'tsx', 'analysis/src/report.cli.ts', '--out', out], {
      cwd: REPO,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: t.url!, LOG_LEVEL: 'silent' },
      timeoutMs: 60_000,
    });
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.trim()).toBe(join(out, 'index.html'));
    html = await readFile(join(out, 'index.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/);
  }, deadline(60_000));

  it('has every KPI with its chart drawn as SVG and a written conclusion', () => {
    for (const kpi of KPI_CATALOGUE) {
      const start = html.indexOf(`<section class="kpi" id="${kpi.name}"`);
      expect([kpi.name, start >= 0]).toEqual([kpi.name, true]);
      const section = html.slice(start, html.indexOf('</section>', start));
      expect([kpi.name, /<figure><svg[^>]*viewBox/.test(section), /<\/svg><\/figure>/.test(section)]).toEqual([kpi.name, true, true]);
      expect(section).toContain('Ce qu’on en retient');
      expect(section.slice(section.indexOf('Ce qu’on en retient')).match(/<p>[^<]{20,}<\/p>/)).not.toBeNull();
    }
    // Every chart that has data draws marks (bars, lines, points), not only axes.
    expect((html.match(/<path[^>]*class="mark/g) ?? []).length + (html.match(/role="graphics-symbol"/g) ?? []).length).toBeGreaterThan(100);
  });

  it('reports the cleaning with the ledger’s row counts, before and after the filters', () => {
    const basicsRead = SAMPLE_IMDB_FOLDERS.reduce((n, f) => n + (readRaw(IMDB(f), 'title.basics')?.length ?? 0), 0);
    const fixture = readFixtureCatalogue(SAMPLE_IMDB_FOLDERS, SAMPLE_TMDB_FILES);
    const films = [...fixture.titles.values()].filter((x) => x.kind === 'film').length;
    expect(html).toContain(`${frInt(basicsRead)} lignes de title.basics lues`);
    expect(html).toContain(`${frInt(fixture.titles.size)} titres gardés`);
    expect(html).toContain(`Le catalogue compte ${frInt(films)} films`);
    for (const label of ['Type de titre', 'Titre pour adultes', 'Durée hors 40–360 min']) expect(html).toContain(label);
    expect(html).toMatch(/Durée hors 40–360 min : −\d/);
  });

  it('ends with programming recommendations drawn from the data', () => {
    const reco = html.slice(html.indexOf('id="recommandations"'));
    expect(reco).toMatch(/Un cycle « années [0-9]+ »/);
    expect((reco.match(/<li>/g) ?? []).length).toBeGreaterThanOrEqual(3);
  });

  it('escapes what comes from the data', async () => {
    const { rows } = await sql<{ tconst: string }>`SELECT tconst FROM kpi.best_rated_films WHERE rank = 1`.execute(t.handle.db);
    await sql`UPDATE title SET french_title = '<script>alert(1)</script> & co' WHERE tconst = ${rows[0]!.tconst}`.execute(t.handle.db);
    await refreshKpis(t.handle);
    const { html: again } = await generateReport(t.handle);
    expect(again).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(again).not.toMatch(/<script/i);
  });
});
