import type { Env } from '@cine/common';
import { loadEtlConfig, loadFirstImportConfig } from '@cine/etl-worker/config';
import { loadGatewayConfig } from '@cine/gateway/config';
import { loadNotifierConfig } from '@cine/notifier/config';
import { loadBuilderConfig, loadRecommenderConfig } from '@cine/recommender/config';

/**
 * Each compose service's own config loader (the one its main.ts calls at boot), so the compose
 * checks read the same variable names the code does. `migrate` parses its three variables inline
 * in db/src/migrate.cli.ts; compose-native.spec.ts covers it by running it.
 */
export const SERVICE_CONFIGS: Record<string, (env: Env) => unknown> = {
  'etl-worker': loadEtlConfig,
  recommender: loadRecommenderConfig,
  gateway: loadGatewayConfig,
  'first-import': loadFirstImportConfig,
  'embedding-builder': loadBuilderConfig,
  notifier: loadNotifierConfig,
};
