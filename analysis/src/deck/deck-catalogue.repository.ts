import { type DbHandle, migrateToLatest } from '@cine/db';
import { generateReport } from '../report/generate-report';
import type { ReportModel } from '../report/report.model';
import { ReportRepository } from '../report/report.repository';

/**
 * The catalogue the deck quotes, read through the report's own repository and generator. The
 * database is open only while it is read: an embedded one belongs to one process at a time, and
 * the sample import (a child process) needs it in between.
 */
export class DeckCatalogueRepository {
  constructor(private readonly open: () => Promise<DbHandle>) {}

  async hasCatalogue(): Promise<boolean> {
    return this.reading((handle) => new ReportRepository(handle).hasCatalogue());
  }

  /** The report's model; `refreshed` when the KPI views had never been computed on this catalogue. */
  async report(now: Date): Promise<{ model: ReportModel; refreshed: boolean }> {
    return this.reading(async (handle) => {
      const { model, refreshed } = await generateReport(handle, now);
      return { model, refreshed };
    });
  }

  private async reading<T>(read: (handle: DbHandle) => Promise<T>): Promise<T> {
    const handle = await this.open();
    try {
      // The embedded database may predate the KPI migration (as npm run report does).
      await migrateToLatest(handle.db);
      return await read(handle);
    } finally {
      await handle.close();
    }
  }
}
