import { sql } from 'kysely';
import type { DbHandle } from '../db.factory';
import type { KpiDefinition } from './kpi.catalogue';

/** Reads a KPI's rows from its view. Names come from the catalogue, never from a request. */
export class KpiRepository {
  constructor(private readonly handle: DbHandle) {}

  async rows(kpi: KpiDefinition, limit = 1000): Promise<Record<string, unknown>[]> {
    const columns = sql.join(kpi.columns.map((c) => sql.id(c.name)));
    const order = kpi.orderBy.length
      ? sql`order by ${sql.join(
          kpi.orderBy.map((o) => {
            const [column, dir] = o.split(/\s+/);
            return dir?.toLowerCase() === 'desc' ? sql`${sql.id(column!)} desc` : sql`${sql.id(column!)}`;
          }),
        )}`
      : sql``;
    const result = await sql<Record<string, unknown>>`select ${columns} from ${sql.id('kpi', kpi.view)} ${order} limit ${limit}`.execute(
      this.handle.db,
    );
    return result.rows;
  }
}
