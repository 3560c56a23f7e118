import type { DbHandle } from '@cine/db';
import { renderReportHtml } from './report.html';
import { ReportRepository } from './report.repository';
import type { ReportModel } from './report.model';
import { ReportService } from './report.service';

/** The whole report from an open database: model, then HTML. */
export async function generateReport(handle: DbHandle, now = new Date()): Promise<{ html: string; model: ReportModel; refreshed: boolean }> {
  const repo = new ReportRepository(handle);
  // A catalogue loaded without the post-import hook (an old install, a manual load): compute the KPIs first.
  const refreshed = await repo.kpisStale();
  if (refreshed) await repo.refresh();
  const model = await new ReportService(repo).build(now);
  return { html: renderReportHtml(model), model, refreshed };
}
