import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Reads the provisioned Grafana dashboards (infra/grafana/dashboards) and turns every panel into
 * the SQL Grafana would send: template variables at their default (or "All") values, and the
 * SQL macros the panels use, expanded the way Grafana's PostgreSQL data source does. Grafana
 * cannot run here; the dashboard test and the KPI bench run these queries instead.
 */

export const DASHBOARD_DIR = resolve(__dirname, '..', '..', '..', 'infra', 'grafana', 'dashboards');

interface GrafanaTarget {
  refId: string;
  rawSql?: string;
  format?: string;
  datasource?: { type?: string; uid?: string };
}

interface GrafanaPanel {
  id: number;
  type: string;
  pluginVersion?: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  targets?: GrafanaTarget[];
  options?: { xField?: string };
  transformations?: Array<{ id: string; options?: { renameByName?: Record<string, string> } }>;
}

export interface GrafanaVariable {
  name: string;
  label?: string;
  type: string;
  query: string;
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string | null;
  current?: { text?: string | string[]; value?: string | string[] };
  options?: Array<{ text: string; value: string; selected?: boolean }>;
}

export interface GrafanaDashboard {
  uid: string;
  schemaVersion: number;
  title: string;
  time: { from: string; to: string };
  templating: { list: GrafanaVariable[] };
  panels: GrafanaPanel[];
}

export interface PanelQuery {
  dashboard: string;
  file: string;
  panelId: number;
  panel: string;
  type: string;
  refId: string;
  datasourceUid: string | undefined;
  /** The SQL as written in the dashboard. */
  rawSql: string;
  /** Columns the panel's configuration names: it shows nothing right without them. */
  needs: string[];
}

/** Runs a variable's query (as Grafana would, through the data source) and returns its rows. */
export type VariableQueryRunner = (sql: string) => Promise<ReadonlyArray<Record<string, unknown>>>;

/** A selector's choice: what the owner reads, and what the SQL gets. */
export interface VariableOption {
  text: string;
  value: string;
}

export function loadDashboards(dir = DASHBOARD_DIR): Array<{ file: string; dashboard: GrafanaDashboard }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      try {
        return { file, dashboard: JSON.parse(text) as GrafanaDashboard };
      } catch (err) {
        throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
      }
    });
}

export function panelQueries(file: string, dashboard: GrafanaDashboard): PanelQuery[] {
  return dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => {
      if (!target.rawSql) throw new Error(`${file}: panel "${panel.title}" target ${target.refId} has no rawSql`);
      const renamed = panel.transformations?.find((t) => t.id === 'organize')?.options?.renameByName ?? {};
      const needs = new Set(Object.keys(renamed));
      if (panel.options?.xField) needs.add(panel.options.xField);
      if (panel.type === 'timeseries') needs.add('time');
      return {
        dashboard: dashboard.uid,
        file,
        panelId: panel.id,
        panel: panel.title,
        type: panel.type,
        refId: target.refId,
        datasourceUid: target.datasource?.uid ?? panel.datasource?.uid,
        rawSql: target.rawSql,
        needs: [...needs],
      };
    }),
  );
}

/** Grafana's relative times: `now`, `now-6h`, `now-130y` … */
export function resolveTime(expr: string, now = new Date()): Date {
  if (expr === 'now') return now;
  const m = /^now-(\d+)([smhdwMy])$/.exec(expr);
  if (!m) throw new Error(`unsupported time expression "${expr}"`);
  const n = Number(m[1]);
  const d = new Date(now);
  switch (m[2]) {
    case 's':
      d.setUTCSeconds(d.getUTCSeconds() - n);
      break;
    case 'm':
      d.setUTCMinutes(d.getUTCMinutes() - n);
      break;
    case 'h':
      d.setUTCHours(d.getUTCHours() - n);
      break;
    case 'd':
      d.setUTCDate(d.getUTCDate() - n);
      break;
    case 'w':
      d.setUTCDate(d.getUTCDate() - 7 * n);
      break;
    case 'M':
      d.setUTCMonth(d.getUTCMonth() - n);
      break;
    default:
      d.setUTCFullYear(d.getUTCFullYear() - n);
  }
  return d;
}

const quote = (v: string) => `'${v.replaceAll("'", "''")}'`;

/**
 * A custom variable's choices as Grafana reads its query: comma-separated (`\,` is a comma), each
 * either `text : value` (the text shown, the value sent) or one word that is both.
 */
export function customOptions(query: string): VariableOption[] {
  return (query.match(/(?:\\,|[^,])+/g) ?? []).map((item) => {
    const text = item.replace(/\\,/g, ',');
    const pair = /^\s*(.+)\s:\s(.+)$/.exec(text);
    return pair ? { text: pair[1]!.trim(), value: pair[2]!.trim() } : { text: text.trim(), value: text.trim() };
  });
}

/**
 * A query variable's choices from its rows: the `__text` (shown) and `__value` (sent) columns when
 * the query names them, as Grafana's SQL data sources read them; otherwise the first column is both.
 */
export function queryOptions(rows: ReadonlyArray<Record<string, unknown>>): VariableOption[] {
  return rows.map((row) => {
    if ('__value' in row && '__text' in row) return { text: String(row.__text), value: String(row.__value) };
    const only = String(Object.values(row)[0]);
    return { text: only, value: only };
  });
}

/** A variable's choices; a query variable's query is run through `run`. */
export async function variableOptions(dashboard: GrafanaDashboard, v: GrafanaVariable, run: VariableQueryRunner): Promise<VariableOption[]> {
  if (v.type === 'custom') return customOptions(v.query);
  if (v.type === 'query') return queryOptions(await run(v.query));
  throw new Error(`${dashboard.uid}: variable $${v.name} of type ${v.type} is not supported here`);
}

/**
 * Each variable's value as Grafana interpolates it into SQL: a multi-value or "All" variable
 * becomes a comma-separated list of quoted values; a single value is inserted as it is.
 */
export async function variableValues(dashboard: GrafanaDashboard, run: VariableQueryRunner): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const v of dashboard.templating.list) {
    const options = (await variableOptions(dashboard, v, run)).map((o) => o.value);
    const current = v.current?.value ?? (v.includeAll ? '$__all' : options[0]);
    const selected = ([] as string[]).concat(current ?? []);
    const chosen = selected.includes('$__all') ? (v.allValue ? null : options) : selected;
    if (chosen === null) {
      values.set(v.name, v.allValue!);
    } else if (v.multi || v.includeAll) {
      // An empty "All" would make `IN ()`, a syntax error; Grafana leaves the same hole.
      values.set(v.name, chosen.map(quote).join(','));
    } else {
      values.set(v.name, chosen[0] ?? '');
    }
  }
  return values;
}

/** The SQL Grafana sends for a panel: macros then variables, as its PostgreSQL data source does. */
export function expandSql(rawSql: string, variables: Map<string, string>, range: { from: Date; to: Date }): string {
  const iso = (d: Date) => `'${d.toISOString()}'`;
  let sql = rawSql
    .replace(/\$__timeFilter\(((?:[^()]|\([^()]*\))*)\)/g, (_, col: string) => `${col.trim()} BETWEEN ${iso(range.from)} AND ${iso(range.to)}`)
    .replace(/\$__timeFrom\(\)/g, iso(range.from))
    .replace(/\$__timeTo\(\)/g, iso(range.to))
    .replace(/\$__unixEpochFrom\(\)/g, String(Math.floor(range.from.getTime() / 1000)))
    .replace(/\$__unixEpochTo\(\)/g, String(Math.floor(range.to.getTime() / 1000)));
  const unknownMacro = /\$__\w+/.exec(sql);
  if (unknownMacro) throw new Error(`macro ${unknownMacro[0]} is not supported here`);
  sql = sql.replace(/\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)\]\]|\$(\w+)/g, (whole, braced: string, _format: string, bracketed: string, bare: string) => {
    const name = braced ?? bracketed ?? bare;
    const value = variables.get(name);
    if (value === undefined) throw new Error(`unknown variable ${whole}`);
    return value;
  });
  return sql;
}

export function dashboardRange(dashboard: GrafanaDashboard, now = new Date()): { from: Date; to: Date } {
  return { from: resolveTime(dashboard.time.from, now), to: resolveTime(dashboard.time.to, now) };
}

/** Every panel query of every dashboard, expanded and ready to run. */
export async function expandedPanelQueries(run: VariableQueryRunner, dir = DASHBOARD_DIR): Promise<Array<PanelQuery & { sql: string }>> {
  const out: Array<PanelQuery & { sql: string }> = [];
  for (const { file, dashboard } of loadDashboards(dir)) {
    const variables = await variableValues(dashboard, (q) => run(expandSql(q, new Map(), dashboardRange(dashboard))));
    const range = dashboardRange(dashboard);
    for (const q of panelQueries(file, dashboard)) out.push({ ...q, sql: expandSql(q.rawSql, variables, range) });
  }
  return out;
}
