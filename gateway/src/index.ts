/** What the all-in-one `npm start` (infra/standalone) and the tests use from the gateway. */
export { buildGateway, DEFAULT_WEB_ROOT, type GatewayDeps } from './app';
export { ImportTracker } from './admin/import-tracker';
export { MetricsServer } from './http/metrics.server';
export { type GatewayConfig, loadGatewayConfig } from './config';
export { HttpRecommenderClient, type RecommenderClient } from './recommendations/recommender.repository';
