export * from './config/env';
export * from './logger';
export * from './jobs/job-catalogue';
