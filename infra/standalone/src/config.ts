import { ConfigError, type Env } from '@cine/common';
// The config files alone, not the packages' entries: the port must open before the heavy modules load.
import { loadEtlConfig } from '@cine/etl-worker/src/config';
import { loadRecommenderConfig } from '@cine/recommender/src/config';
import { loadGatewayConfig } from '../config';

/**
 * `npm start` reads what each service it hosts reads: the same variables as in compose, so a
 * setting means the same thing everywhere. RECOMMENDER_URL and HOST of the recommender are not
 * used: the recommender runs inside this process on a loopback port of its own.
 */
export function loadEmbeddedConfig(source: Env = process.env) {
  const gateway = loadGatewayConfig(source);
  const etl = loadEtlConfig(source);
  const recommender = loadRecommenderConfig(source);
  return {
    gateway,
    etl,
    recommender,
    /** Folders or base URLs, comma-separated like `npm run etl -- --imdb a,b`: later ones win. */
    imdbSources: splitList(etl.imdbSource),
    tmdbSources: etl.tmdbSource ? splitList(etl.tmdbSource) : [],
    downloadDir: `${etl.dataDir.replace(/\/+$/, '')}/downloads`,
  };
}

/**
 * Compose's one-shot `first-import`: the worker's variables (it enqueues for the worker), with
 * DATABASE_URL and REDIS_URL required since compose always has both.
 */
export function loadFirstImportConfig(source: Env = process.env) {
  const etl = loadEtlConfig(source);
  const problems = [
    ...(etl.databaseUrl ? [] : ['DATABASE_URL is required by the first import (npm start runs it by itself)']),
    ...(etl.redisUrl ? [] : ['REDIS_URL is required by the first import (npm start runs it by itself)']),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    etl,
    databaseUrl: etl.databaseUrl!,
    redisUrl: etl.redisUrl!,
    imdbSources: splitList(etl.imdbSource),
    tmdbSources: etl.tmdbSource ? splitList(etl.tmdbSource) : [],
  };
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export type EmbeddedConfig = ReturnType<typeof loadEmbeddedConfig>;
