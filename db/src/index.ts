export * from './database';
export * from './catalogue';
export * from './db.factory';
export * from './migrator';
export { PgliteSession } from './pglite.dialect';
export * from './json';
export * from './kpi/kpi.catalogue';
export * from './kpi/kpi.repository';
export * from './kpi/kpi-refresh';
