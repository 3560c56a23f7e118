import type { Env } from '@cine/common';
import { loadEtlConfig } from '@cine/etl-worker';
import { loadGatewayConfig } from '../../gateway/src/config';
import { loadFirstImportConfig } from '../../gateway/src/embedded/config';
import { loadRecommenderConfig } from '../../services/recommender/src/config';

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
};
