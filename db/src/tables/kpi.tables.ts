/**
 * The KPI views (schema `kpi`) as Kysely sees them. Filled in with the KPI migration
 * `20261125100100_kpi`; gathered into `Database` in `database.ts`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface KpiTables {}
