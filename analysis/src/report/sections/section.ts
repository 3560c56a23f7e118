import type { ChartSpec } from '../charts';
import type { Row } from '../report.repository';

/** What every section reads: the catalogue's size and each KPI's rows, by name. */
export interface SectionContext {
  films: number;
  series: number;
  get(name: string): Row[];
}

/** One KPI's section: its chart and its conclusion, computed from the rows (never a number typed in). */
export type SectionBuilder = (ctx: SectionContext) => { kpi: string; spec: ChartSpec; conclusion: string[] };

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
export const sum = (rows: Row[], f: string) => rows.reduce((s, r) => s + (Number(r[f]) || 0), 0);
export const byDesc = (f: string) => (a: Row, b: Row) => num(b[f]) - num(a[f]);
/** Enough rows for a figure to mean something on this catalogue: 5, or 0.5 % of the films. */
export const minGroup = (films: number) => Math.max(5, Math.round(films * 0.005));
