import type { Env } from '@cine/common';
// The config modules alone, not the packages' entries: the port must open before the heavy modules load.
import { loadEtlConfig, splitSourceList } from '@cine/etl-worker/config';
import { loadGatewayConfig } from '@cine/gateway/config';
import { loadNotifierConfig } from '@cine/notifier/config';
import { loadRecommenderConfig } from '@cine/recommender/config';

/**
 * `npm start` reads what each service it hosts reads: the same variables as in compose, so a
 * setting means the same thing everywhere. RECOMMENDER_URL and HOST of the recommender are not
 * used: the recommender runs inside this process on a loopback port of its own; nor NOTIFIER_PORT
 * and NOTIFIER_URL: the notifier too, and the gateway is given its URL. Without SMTP_URL the
 * emails are written to DATA_DIR/outbox as .eml files.
 */
export function loadStandaloneConfig(source: Env = process.env) {
  const gateway = loadGatewayConfig(source);
  const etl = loadEtlConfig(source);
  const recommender = loadRecommenderConfig(source);
  const loaded = loadNotifierConfig(source);
  // The links in the emails lead to this very process unless the cinema says where it is served.
  const notifier = source.PUBLIC_BASE_URL ? loaded : { ...loaded, publicBaseUrl: (gateway.publicUrl ?? `http://localhost:${gateway.port}`).replace(/\/+$/, '') };
  return {
    gateway,
    etl,
    recommender,
    notifier,
    /** Folders or base URLs, comma-separated like `npm run etl -- --imdb a,b`: later ones win. */
    imdbSources: splitSourceList(etl.imdbSource),
    tmdbSources: etl.tmdbSource ? splitSourceList(etl.tmdbSource) : [],
    downloadDir: `${etl.dataDir.replace(/\/+$/, '')}/downloads`,
  };
}

export type StandaloneConfig = ReturnType<typeof loadStandaloneConfig>;
