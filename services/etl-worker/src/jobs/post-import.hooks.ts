import type { PostImportHook } from '@cine/common';
import { createKpiRefreshHook, type DbHandle } from '@cine/db';
import { createEmbeddingHook } from '@cine/recommender';

/**
 * What follows every import in production, in order: the recommender's new embedding version
 * first (what customers wait for), then the KPI materialized views. The worker, `npm run etl`
 * and `npm start` all use this one list, so no entry point can forget a hook.
 */
export function productionPostImportHooks(handle: DbHandle): PostImportHook[] {
  return [createEmbeddingHook(handle), createKpiRefreshHook(handle)];
}
