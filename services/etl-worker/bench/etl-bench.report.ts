/** The ETL benchmark's result table. Pure formatting, so the wording lives in one place. */

export interface EtlBenchFigures {
  scale: number;
  seed: number;
  filesDir: string;
  filesReused: boolean;
  inputRows: number;
  gzBytes: number;
  rawBytes: number;
  zcatMs: number;
  /** Wall clock of the import child, measured here from spawn to exit (startup included). */
  importMs: number;
  importSelfReportedMs: number | null;
  rowsRead: number;
  rowsKept: number;
  /** Peak RSS measured by GNU time around the child; null where unavailable. */
  rssOutsideKb: number | null;
  rssSelfReportedKb: number | null;
}

/** Targets for scale 1 (the real dump). */
export const ETL_TARGETS = {
  maxRatio: 2.0,
  maxRssKb: 1024 * 1024,
  minRowsPerSecond: 1_500_000,
} as const;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const count = (n: number): string => Math.round(n).toLocaleString('en-US');
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const verdict = (ok: boolean): string => (ok ? 'yes' : 'NO');

export function formatEtlBench(f: EtlBenchFigures): string[] {
  const ratio = f.importMs / f.zcatMs;
  const rowsPerSecond = f.rowsRead / (f.importMs / 1000);
  // The larger figure wins: the outside one also sees memory the process never asked Node about.
  const rssKb = Math.max(f.rssOutsideKb ?? 0, f.rssSelfReportedKb ?? 0);
  const rssSource = f.rssOutsideKb === null ? 'self-reported; /usr/bin/time unavailable' : `outside ${count(f.rssOutsideKb)} KB, self-reported ${f.rssSelfReportedKb === null ? 'n/a' : `${count(f.rssSelfReportedKb)} KB`}`;

  const rows: [string, string, string, string][] = [
    ['zcat of the 7 files (floor)', seconds(f.zcatMs), '', ''],
    ['import wall', seconds(f.importMs), '', ''],
    ['rows read', count(f.rowsRead), '', ''],
    ['rows kept', count(f.rowsKept), '', ''],
    ['rows/s (read / import wall)', `${(rowsPerSecond / 1e6).toFixed(2)} M/s`, `>= ${(ETL_TARGETS.minRowsPerSecond / 1e6).toFixed(1)} M/s`, verdict(rowsPerSecond >= ETL_TARGETS.minRowsPerSecond)],
    ['peak RSS of the import', `${(rssKb / 1024).toFixed(0)} MB`, `<= ${ETL_TARGETS.maxRssKb / 1024} MB`, verdict(rssKb > 0 && rssKb <= ETL_TARGETS.maxRssKb)],
    ['etl/zcat', ratio.toFixed(2), `<= ${ETL_TARGETS.maxRatio.toFixed(2)}`, verdict(ratio <= ETL_TARGETS.maxRatio)],
  ];
  const lines = [
    `ETL benchmark: scale ${f.scale}, seed ${f.seed}`,
    `input: ${f.filesDir} (${f.filesReused ? 'reused' : 'generated this run'}), ${count(f.inputRows)} rows, ${mb(f.gzBytes)} gzipped, ${mb(f.rawBytes)} raw`,
    '',
    `${'figure'.padEnd(30)}${'measured'.padStart(14)}   ${'target (scale 1)'.padEnd(18)}met`,
    ...rows.map(([name, value, target, met]) => `${name.padEnd(30)}${value.padStart(14)}   ${target.padEnd(18)}${met}`),
    '',
    `peak RSS: ${rssSource}; import wall as reported by the ETL itself: ${f.importSelfReportedMs === null ? 'n/a' : seconds(f.importSelfReportedMs)}`,
  ];
  if (f.rowsRead !== f.inputRows) lines.push(`note: the ETL read ${count(f.rowsRead)} rows of the ${count(f.inputRows)} generated`);
  if (f.scale !== 1) lines.push(`note: targets are set for scale 1; at scale ${f.scale} they are indicative (fixed start-up costs weigh more).`);
  lines.push(`etl/zcat = ${ratio.toFixed(2)}`);
  return lines;
}
