import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '@cine/common';
import { DatabaseInUseError, migrateToLatest, openDatabase } from '@cine/db';
import { createLogger, loadReportConfig } from './config';
import { generateReport } from './report/generate-report';
import { ReportRepository } from './report/report.repository';

const USAGE = `usage: npm run report -- [--out DIR]

Writes the analysis report (one HTML file, charts inline) from the catalogue loaded in
DATABASE_URL, or in the embedded database under DATA_DIR when DATABASE_URL is unset.

  --out DIR   where to write index.html (default: DATA_DIR/report)`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } }, strict: true }).values;
  } catch (err) {
    process.stderr.write(`report: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadReportConfig();
  const log = createLogger('report', { level: config.logLevel, stderr: true });
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, applicationName: 'report' });
  try {
    // The embedded database may predate the KPI migration.
    await migrateToLatest(handle.db);
    if (!(await new ReportRepository(handle).hasCatalogue())) {
      process.stderr.write(`report: no catalogue loaded in ${config.databaseUrl ? 'DATABASE_URL' : config.pgliteDir}; import one first (npm run etl)\n`);
      return 1;
    }
    const outDir = resolve(args.out ?? config.defaultOutDir);
    await mkdir(outDir, { recursive: true });
    const { html, model, refreshed } = await generateReport(handle);
    if (refreshed) log.info('KPI views were never refreshed on this catalogue: refreshed them first');
    const file = join(outDir, 'index.html');
    await writeFile(file, html);
    log.info({ file, sections: model.sections.length, films: model.catalogue.films }, 'report written');
    process.stdout.write(`${file}\n`);
    return 0;
  } finally {
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A bad setting or a database held by `npm start` is the user's to fix: the message, no stack.
    const expected = err instanceof ConfigError || err instanceof DatabaseInUseError;
    process.stderr.write(`report: ${expected ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
