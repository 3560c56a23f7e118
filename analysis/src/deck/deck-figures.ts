import { dec, FILTER_REASONS, int } from '../report/french';
import type { LedgerStep, ReportModel } from '../report/report.model';

/**
 * What a deck may quote from the report, by name. The deck's text never types a figure of the
 * catalogue in: it writes `{{ key }}` and the rendering takes the value from the report model of
 * the very catalogue it reads, formatted as the report formats it.
 *
 * | key | value |
 * |---|---|
 * | `catalogue.films`, `catalogue.series`, `catalogue.titles` | the catalogue's size |
 * | `report.date` | the day the figures were read |
 * | `policy.min_votes`, `policy.min_runtime`, `policy.max_runtime` | the import's rules |
 * | `ledger.<file>.read` · `.kept` · `.rejected` · `.removed` · `.kept_pct` · `.removed.<rule>` | the import ledger, `<file>` with `_` for `.` (`title_basics`, `tmdb`); a rule that removed nothing is 0 |
 * | `kpi.<kpi>.title` · `.description` · `.conclusion.<n>` | a KPI section's words and its n-th conclusion sentence (from 1) |
 * | `recommendations.<n>` | the report's n-th programming recommendation (from 1) |
 *
 * A list item holding only `{{ <key>.<a>-<b> }}` (`- {{ recommendations.1-4 }}`) is repeated for each
 * of the keys `<key>.a` … `<key>.b` the report has (deck-markdown.ts).
 *
 * Charts: `![caption](report:<kpi>)` is that KPI's chart, the report's SVG as it is.
 */
export interface ReportFigures {
  text: ReadonlyMap<string, string>;
  charts: ReadonlyMap<string, { title: string; svg: string }>;
}

/** `title.basics` → `title_basics`: a key's parts are separated by dots. */
export const ledgerKey = (dataset: string): string => dataset.replace(/\./g, '_');

export function reportFigures(model: ReportModel): ReportFigures {
  const text = new Map<string, string>();
  const put = (key: string, value: string) => text.set(key, value);

  put('catalogue.films', int(model.catalogue.films));
  put('catalogue.series', int(model.catalogue.series));
  put('catalogue.titles', int(model.catalogue.films + model.catalogue.series));
  put('report.date', model.generatedAt.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }));

  const policy = model.policy as { movieMinVotes?: number; minRuntime?: number; maxRuntime?: number } | null;
  if (policy?.movieMinVotes !== undefined) put('policy.min_votes', int(policy.movieMinVotes));
  if (policy?.minRuntime !== undefined) put('policy.min_runtime', int(policy.minRuntime));
  if (policy?.maxRuntime !== undefined) put('policy.max_runtime', int(policy.maxRuntime));

  for (const step of [...model.ledger.imdb, ...model.ledger.tmdb]) ledgerFigures(step, put);

  const charts = new Map<string, { title: string; svg: string }>();
  for (const s of model.sections) {
    put(`kpi.${s.kpi}.title`, s.title);
    put(`kpi.${s.kpi}.description`, s.description);
    s.conclusion.forEach((sentence, i) => put(`kpi.${s.kpi}.conclusion.${i + 1}`, sentence));
    charts.set(s.kpi, { title: s.title, svg: s.svg });
  }
  model.recommendations.forEach((r, i) => put(`recommendations.${i + 1}`, r));
  return { text, charts };
}

function ledgerFigures(step: LedgerStep, put: (key: string, value: string) => void): void {
  const base = `ledger.${ledgerKey(step.dataset)}`;
  put(`${base}.read`, int(step.read));
  put(`${base}.kept`, int(step.kept));
  put(`${base}.rejected`, int(step.rejected));
  put(`${base}.kept_pct`, step.read > 0 ? `${dec((100 * step.kept) / step.read)} %` : '—');
  // The keep rules (programmed, recent) count titles they saved, not rows removed.
  put(`${base}.removed`, int(step.read - step.kept - step.rejected));
  // The ledger leaves out a rule that removed nothing: every rule it knows is there, 0 when silent.
  for (const rule of Object.keys(FILTER_REASONS)) put(`${base}.removed.${rule}`, int(0));
  for (const r of step.removed) put(`${base}.removed.${r.rule}`, int(r.rows));
}

/** The known keys nearest to an unknown one (fewest edits among those of its kind), for the error message. */
export function nearestKeys(figures: ReportFigures, key: string, max = 5): string[] {
  const kind = `${key.split('.')[0]}.`;
  const known = [...figures.text.keys()];
  const sameKind = known.filter((k) => k.startsWith(kind));
  if (sameKind.length === 0) return [...new Set(known.map((k) => `${k.split('.')[0]}.…`))];
  return sameKind
    .map((k) => ({ k, d: editDistance(k, key) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, max)
    .map((x) => x.k);
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
