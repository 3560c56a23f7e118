import { type Env, env, parseEnv } from '@cine/common';

/** What `npm run recommend` reads from the environment: where the gateway answers. */
export function loadRecommendCliConfig(source: Env = process.env) {
  const raw = parseEnv(
    {
      GATEWAY_URL: env.url({ protocols: ['http', 'https'], default: 'http://127.0.0.1:8080' }),
      GATEWAY_TIMEOUT_MS: env.int({ default: 15_000, min: 100, max: 600_000 }),
    },
    source,
  );
  return { gatewayUrl: raw.GATEWAY_URL!.replace(/\/+$/, ''), timeoutMs: raw.GATEWAY_TIMEOUT_MS };
}
