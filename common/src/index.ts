export * from './config/env';
export * from './logger';
export * from './security/redact';
export * from './security/url-credentials';
export * from './jobs';
export * from './http/observability';
export * from './contracts/recommender.contract';
export * from './contracts/api.contract';
