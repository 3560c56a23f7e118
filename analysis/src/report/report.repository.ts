import { type DbHandle, findKpi, type ImportFile, type ImportRun, KpiRepository, refreshKpis } from '@cine/db';
import { sql } from 'kysely';

export type Row = Record<string, any>;

export interface LedgerRun {
  run: ImportRun;
  files: ImportFile[];
}

/** Everything the report reads from the database: KPI rows, the import ledger. */
export class ReportRepository {
  private readonly kpis: KpiRepository;

  constructor(private readonly handle: DbHandle) {
    this.kpis = new KpiRepository(handle);
  }

  async kpi(name: string): Promise<Row[]> {
    const kpi = findKpi(name);
    if (!kpi) throw new Error(`unknown KPI "${name}"`);
    return this.kpis.rows(kpi, 100_000);
  }

  /** The latest successful run of each kind, with its files: the catalogue now serving came from it. */
  async latestRuns(): Promise<{ imdb: LedgerRun | null; tmdb: LedgerRun | null }> {
    const out: { imdb: LedgerRun | null; tmdb: LedgerRun | null } = { imdb: null, tmdb: null };
    for (const kind of ['imdb', 'tmdb'] as const) {
      const run = await this.handle.db
        .selectFrom('import_run')
        .selectAll()
        .where('kind', '=', kind)
        .where('status', '=', 'succeeded')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!run) continue;
      const files = await this.handle.db.selectFrom('import_file').selectAll().where('run_id', '=', run.id).orderBy('id').execute();
      out[kind] = { run, files };
    }
    return out;
  }

  /** Whether any title is loaded: without a catalogue there is nothing to report. */
  async hasCatalogue(): Promise<boolean> {
    const { rows } = await sql<{ titles: boolean }>`SELECT EXISTS (SELECT 1 FROM public.title) AS titles`.execute(this.handle.db);
    return Boolean(rows[0]?.titles);
  }

  /** True when a catalogue is loaded but the KPI views were never refreshed (no post-import hook ran). */
  async kpisStale(): Promise<boolean> {
    const { rows } = await sql<{ titles: boolean; kpis: boolean }>`
      SELECT EXISTS (SELECT 1 FROM public.title) AS titles, EXISTS (SELECT 1 FROM kpi.catalogue_by_type) AS kpis`.execute(this.handle.db);
    return Boolean(rows[0]?.titles) && !rows[0]?.kpis;
  }

  async refresh(): Promise<void> {
    await refreshKpis(this.handle);
  }
}
