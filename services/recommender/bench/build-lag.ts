import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createLogger } from '@cine/common';
import type { DbHandle } from '@cine/db';
import { createEtlServices } from '@cine/etl-worker';
import { buildEmbeddings } from '../src/embedding/embedding.service';

export interface BuildLag {
  films: number;
  buildMs: number;
  /** The longest the event loop waited during the build, and its 99th percentile (ms). */
  maxDelayMs: number;
  p99DelayMs: number;
  /** A timer asked for every 10 ms: the longest gap between two of its ticks (ms). */
  maxTickGapMs: number;
  stats: Record<string, unknown>;
}

/** Imports IMDb folders and TMDB files through the real ETL (no vote floor, as the samples need). */
export async function importForBuild(handle: DbHandle, imdb: string[], tmdb: string[]): Promise<void> {
  const etl = createEtlServices(handle, { log: createLogger('etl', { level: 'warn', stderr: true }), http: { attempts: 2, retryDelayMs: 100, connectTimeoutMs: 5000 } });
  await etl.importer.run({ imdb: { sources: imdb, policy: { movieMinVotes: 0, seriesMinVotes: 0 } }, ...(tmdb.length > 0 ? { tmdb: { sources: tmdb } } : {}) });
}

/**
 * One real embedding build while the event loop is watched: what a BullMQ lock renewal, or a
 * request to `npm start`'s single process, would wait for at worst during the build.
 */
export async function measureBuildLag(handle: DbHandle): Promise<BuildLag> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  let last = performance.now();
  let maxTickGapMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxTickGapMs = Math.max(maxTickGapMs, now - last);
    last = now;
  }, 10);
  histogram.enable();
  const t0 = performance.now();
  try {
    const built = await buildEmbeddings(handle, createLogger('build', { level: 'warn', stderr: true }));
    const buildMs = performance.now() - t0;
    histogram.disable();
    const rows = await handle.db.selectFrom('recommender_version').select('stats').where('id', '=', built.version).execute();
    return {
      films: built.films,
      buildMs,
      maxDelayMs: histogram.max / 1e6,
      p99DelayMs: histogram.percentile(99) / 1e6,
      maxTickGapMs,
      stats: (rows[0]?.stats ?? {}) as Record<string, unknown>,
    };
  } finally {
    clearInterval(ticker);
    histogram.disable();
  }
}
