import type { KpiData, KpiSummary } from '@cine/common';
import { findKpi, KPI_CATALOGUE, type KpiDefinition, type KpiRepository } from '@cine/db';
import { notFound } from '../http/http-errors';

/** The KPI catalogue of @cine/db, served as is: the same views feed Grafana and the report. */
export class KpiService {
  constructor(private readonly kpis: KpiRepository) {}

  list(): KpiSummary[] {
    return KPI_CATALOGUE.map(summary);
  }

  async data(name: string): Promise<KpiData> {
    const kpi = findKpi(name);
    if (!kpi) throw notFound(`no KPI named "${name}"; GET /api/v1/kpis lists them`);
    return { ...summary(kpi), rows: await this.kpis.rows(kpi) };
  }
}

function summary(kpi: KpiDefinition): KpiSummary {
  return { name: kpi.name, title: kpi.title, description: kpi.description, columns: kpi.columns };
}
