import { FILTER_REASONS } from '../french';
import type { LedgerStep } from '../report.model';
import type { LedgerRun } from '../report.repository';

/** The cleaning, dataset by dataset, from the files of the run that loaded the catalogue: read, removed by each filter, rejected, kept. */
export function ledgerSteps(run: LedgerRun | null): LedgerStep[] {
  if (!run) return [];
  const byDataset = new Map<string, LedgerStep>();
  for (const f of run.files) {
    if (f.status !== 'loaded') continue;
    const step = byDataset.get(f.dataset) ?? { dataset: f.dataset, sources: [], read: 0, removed: [], rejected: 0, kept: 0 };
    step.sources.push(f.source.split('/').slice(-2).join('/'));
    step.read += f.rows_read;
    step.kept += f.rows_kept;
    step.rejected += f.rows_rejected;
    for (const [rule, rows] of Object.entries(f.filter_stats ?? {})) {
      const existing = step.removed.find((r) => r.rule === rule);
      if (existing) existing.rows += rows;
      else step.removed.push({ rule, label: FILTER_REASONS[rule]?.label ?? rule, rows });
    }
    byDataset.set(f.dataset, step);
  }
  return [...byDataset.values()];
}
