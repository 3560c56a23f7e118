import type { Logger } from '@cine/common';
import { sql } from 'kysely';
import type { DbHandle } from '../db.factory';

/**
 * Every materialized view of schema `kpi`, in the order they must be refreshed: the building
 * blocks (`actor_career`, `film_rating`) before the KPIs that read them. A test checks this list
 * against the views the migrations actually created.
 */
export const KPI_REFRESH_ORDER = [
  'catalogue_by_type',
  'catalogue_by_genre',
  'catalogue_by_decade',
  'runtime_by_year',
  'actor_career',
  'top_actors',
  'top_actors_by_decade',
  'actors_cinema_vs_series',
  'actors_in_both',
  'actor_age_by_decade',
  'film_rating',
  'best_rated_films',
  'best_rated_lift',
  'money_by_genre',
  'money_by_decade',
  'france_vs_us',
  'programming_hints',
] as const;

/** Recomputes every KPI from the catalogue now serving. */
export async function refreshKpis(handle: DbHandle, log?: Logger): Promise<{ view: string; ms: number }[]> {
  const timings: { view: string; ms: number }[] = [];
  for (const view of KPI_REFRESH_ORDER) {
    const started = performance.now();
    // Every KPI view has a unique index (see the migration), so readers — Grafana, the API —
    // keep reading the previous figures while the new ones are computed.
    await sql`REFRESH MATERIALIZED VIEW CONCURRENTLY ${sql.table(`kpi.${view}`)}`.execute(handle.db);
    const ms = Math.round(performance.now() - started);
    timings.push({ view, ms });
    log?.debug({ view, ms }, 'kpi view refreshed');
  }
  return timings;
}
