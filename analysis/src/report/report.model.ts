import type { LedgerRun } from './report.repository';

/**
 * The analysis report's content: for every KPI a chart and a written conclusion, the cleaning
 * choices with the ledger's counts, and the programming recommendations (report.service.ts
 * builds it, report.html.ts renders it).
 */

export interface KpiSection {
  kpi: string;
  title: string;
  description: string;
  svg: string;
  /** Plain-text paragraphs; escaped when rendered. */
  conclusion: string[];
}

export interface LedgerStep {
  dataset: string;
  sources: string[];
  read: number;
  removed: Array<{ rule: string; label: string; rows: number }>;
  rejected: number;
  kept: number;
}

export interface ReportModel {
  generatedAt: Date;
  catalogue: { films: number; series: number };
  policy: Record<string, unknown> | null;
  ledger: { imdb: LedgerStep[]; tmdb: LedgerStep[]; imdbRun: LedgerRun['run'] | null; tmdbRun: LedgerRun['run'] | null };
  sections: KpiSection[];
  recommendations: string[];
}
