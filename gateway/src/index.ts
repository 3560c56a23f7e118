/** What `npm start` (gateway/src/embedded) and the tests use from the gateway. */
export { buildGateway, DEFAULT_WEB_ROOT, type GatewayDeps } from './app';
export { GuardedBullmqQueue, openBullmqQueue } from './admin/bullmq-queue.repository';
export { ImportTracker } from './admin/import-tracker';
export { type GatewayConfig, loadGatewayConfig } from './config';
export { HttpRecommenderClient, type RecommenderClient } from './recommendations/recommender.repository';
