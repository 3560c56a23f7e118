export * from './job-catalogue';
export * from './import-queue';
export * from './bullmq-import-queue';
export * from './job-worker';
export * from './in-process-import-queue';
export * from './notify-queue';
