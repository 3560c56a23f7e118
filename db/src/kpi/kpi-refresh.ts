import type { Logger } from '@cine/common';
import { sql } from 'kysely';
import type { DbHandle } from '../db.factory';

/**
 * Every materialized view of schema `kpi`, in the order they are started: the building blocks
 * (`actor_career`, `film_rating`) before the KPIs that read them, and the longest chain first
 * (`actor_career` is half of the whole refresh at scale 1). A test checks this list against the
 * views the migrations actually created.
 */
export const KPI_REFRESH_ORDER = [
  'actor_career',
  'film_rating',
  'catalogue_by_type',
  'catalogue_by_genre',
  'catalogue_by_decade',
  'runtime_by_year',
  'actor_age_by_decade',
  'best_rated_lift',
  'top_actors_by_decade',
  'top_actors',
  'actors_cinema_vs_series',
  'actors_in_both',
  'best_rated_films',
  'money_by_genre',
  'money_by_decade',
  'france_vs_us',
  'programming_hints',
] as const;

export type KpiView = (typeof KPI_REFRESH_ORDER)[number];

/** The KPI views each view reads (a test checks it against PostgreSQL's own dependencies). */
export const KPI_READS: Partial<Record<KpiView, readonly KpiView[]>> = {
  top_actors: ['actor_career'],
  top_actors_by_decade: ['actor_career'],
  actors_cinema_vs_series: ['actor_career'],
  actors_in_both: ['actor_career'],
  best_rated_films: ['film_rating'],
  best_rated_lift: ['film_rating'],
  programming_hints: ['film_rating'],
};

export interface KpiRefreshTiming {
  view: string;
  ms: number;
  /** performance.now() at the start and end of the view's refresh. */
  started: number;
  ended: number;
}

/**
 * Recomputes every KPI from the catalogue now serving, `lanes` views at a time (each on its own
 * pooled connection), a view only once those it reads are done. Two lanes on PostgreSQL: the
 * refresh is one backend's work per view, and at scale 1 `actor_career` alone took 4.6 s of the
 * 10.3 s the views took one after another; PGlite has one connection, so one lane.
 */
export async function refreshKpis(handle: DbHandle, log?: Logger, lanes = handle.backend === 'postgres' ? 2 : 1): Promise<KpiRefreshTiming[]> {
  const timings: KpiRefreshTiming[] = [];
  const waiting: KpiView[] = [...KPI_REFRESH_ORDER];
  const done = new Set<KpiView>();
  const running = new Map<KpiView, Promise<void>>();
  const ready = (view: KpiView) => (KPI_READS[view] ?? []).every((read) => done.has(read));

  const refresh = async (view: KpiView) => {
    const started = performance.now();
    // Every KPI view has a unique index (see the migration), so readers — Grafana, the API —
    // keep reading the previous figures while the new ones are computed.
    await sql`REFRESH MATERIALIZED VIEW CONCURRENTLY ${sql.table(`kpi.${view}`)}`.execute(handle.db);
    const ended = performance.now();
    const ms = Math.round(ended - started);
    timings.push({ view, ms, started, ended });
    done.add(view);
    log?.debug({ view, ms }, 'kpi view refreshed');
  };

  while (waiting.length > 0 || running.size > 0) {
    while (running.size < Math.max(1, lanes)) {
      const next = waiting.findIndex(ready);
      if (next < 0) break;
      const [view] = waiting.splice(next, 1) as [KpiView];
      running.set(
        view,
        refresh(view).finally(() => running.delete(view)),
      );
    }
    if (running.size === 0) throw new Error(`KPI views waiting on views never refreshed: ${waiting.join(', ')}`);
    // The first failure stops the refresh (the others running finish first: no half-open connection).
    await Promise.race(running.values()).catch(async (err: unknown) => {
      await Promise.allSettled(running.values());
      throw err;
    });
  }
  return timings;
}
