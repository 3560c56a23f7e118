/**
 * The KPI catalogue: every KPI the product serves, by name. The same views feed the gateway's
 * `GET /api/v1/kpis/{name}`, Grafana's panels and the analysis report, so a figure is computed in
 * exactly one place (the `kpi` schema, created by the KPI migration).
 */

export type KpiColumnType = 'text' | 'integer' | 'number' | 'boolean' | 'text[]';

export interface KpiColumn {
  name: string;
  type: KpiColumnType;
  description: { fr: string; en: string };
}

export interface KpiDefinition {
  /** URL name: lower_snake_case, stable (the website and dashboards use it). */
  name: string;
  title: { fr: string; en: string };
  description: { fr: string; en: string };
  /** The view or materialized view in schema `kpi` that holds the rows. */
  view: string;
  columns: KpiColumn[];
  /** Columns the rows are ordered by (each `column` or `column desc`). */
  orderBy: string[];
}

export const KPI_CATALOGUE: readonly KpiDefinition[] = [];

export function findKpi(name: string): KpiDefinition | undefined {
  return KPI_CATALOGUE.find((kpi) => kpi.name === name);
}
