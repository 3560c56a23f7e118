import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { BullmqImportQueue, ConfigError, connectedProducer, createLogger, type FilterPolicyOverrides, type ImportRequest, JobName, redactText } from '@cine/common';
import { migrateToLatest, openDatabase } from '@cine/db';
import { formatCount, ProgressPrinter } from './cli/progress';
import { loadEtlConfig } from './config';
import { createEtlServices } from './etl.services';
import { DEFAULT_POLICY, RULE_REASONS } from './imdb/filter-policy';
import { ImportInterruptedError } from './catalogue/import-run';

const USAGE = `Usage: npm run etl -- [--imdb DIR|URL[,DIR|URL…]] [--tmdb FILE|URL[,…]] [options]

Imports the IMDb datasets (and TMDB CSVs) into the catalogue: both are staged, checked, then
replace the old catalogue together in one transaction, or not at all. A new catalogue under half
of the one served is refused (a truncated download must not empty it) unless --force is given. Without --imdb, IMDB_SOURCE is used (default: the official
IMDb datasets); several sources are merged, the later one winning for an id present twice.

Options:
  --imdb LIST             folders or base URLs holding title.basics.tsv.gz and friends
  --tmdb LIST             TMDB CSV files or URLs (tmdb_full or Kaggle movies_metadata format)
  --skip-imdb             import only the TMDB files
  --queue                 enqueue on BullMQ (REDIS_URL) and follow the job instead of running here
  --force                 accept a catalogue under half of the one served; with --queue, also run
                          again an import that was already requested
  --min-votes N           minimum IMDb votes for films and series (default ${DEFAULT_POLICY.movieMinVotes})
  --movie-min-votes N     for films only
  --series-min-votes N    for series only
  --min-runtime N         shortest film kept, minutes (default ${DEFAULT_POLICY.minRuntime})
  --max-runtime N         longest film kept, minutes (default ${DEFAULT_POLICY.maxRuntime})
  --include-adult         keep adult titles
  --max-reject-share X    fail a file whose share of malformed rows passes X (default ${DEFAULT_POLICY.maxRejectShare})
  --report-json FILE      write figures of the run (rows, wall time, peak memory) as JSON
  --help

Filter rules:
${Object.entries(RULE_REASONS)
  .map(([rule, why]) => `  ${rule}: ${why}`)
  .join('\n')}
`;

class UsageError extends Error {}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((s) => s.trim()).filter(Boolean);
}

function integer(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

function parseCommandLine(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      imdb: { type: 'string' },
      tmdb: { type: 'string' },
      'skip-imdb': { type: 'boolean', default: false },
      queue: { type: 'boolean', default: false },
      force: { type: 'boolean', default: false },
      'min-votes': { type: 'string' },
      'movie-min-votes': { type: 'string' },
      'series-min-votes': { type: 'string' },
      'min-runtime': { type: 'string' },
      'max-runtime': { type: 'string' },
      'include-adult': { type: 'boolean', default: false },
      'max-reject-share': { type: 'string' },
      'report-json': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const minVotes = integer('min-votes', values['min-votes']);
  const share = values['max-reject-share'];
  if (share !== undefined && !(Number(share) >= 0 && Number(share) <= 1)) {
    throw new UsageError(`--max-reject-share must be a number between 0 and 1, got "${share}"`);
  }
  const policy: FilterPolicyOverrides = {
    movieMinVotes: integer('movie-min-votes', values['movie-min-votes']) ?? minVotes,
    seriesMinVotes: integer('series-min-votes', values['series-min-votes']) ?? minVotes,
    minRuntime: integer('min-runtime', values['min-runtime']),
    maxRuntime: integer('max-runtime', values['max-runtime']),
    includeAdult: values['include-adult'] ? true : undefined,
    maxRejectShare: share === undefined ? undefined : Number(share),
  };
  for (const key of Object.keys(policy) as Array<keyof FilterPolicyOverrides>) if (policy[key] === undefined) delete policy[key];
  return { values, policy };
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`etl: ${redactText(err instanceof Error ? err.message : String(err))}\n\n${USAGE}`);
    return 2;
  }
  const { values, policy } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadEtlConfig();
  const log = createLogger('etl', { level: config.logLevel, stderr: true });
  const request: ImportRequest = {
    // IMDB_SOURCE/TMDB_SOURCE take a comma list too, as npm start and compose's first import read them.
    imdb: values['skip-imdb'] ? undefined : (list(values.imdb) ?? list(config.imdbSource)),
    tmdb: list(values.tmdb) ?? list(config.tmdbSource),
    policy,
    reason: 'npm run etl',
    ...(values.force ? { nonce: randomUUID(), allowShrink: true } : {}),
  };
  const printer = new ProgressPrinter(process.stderr);
  const started = Date.now();

  if (values.queue) {
    if (!config.redisUrl) throw new ConfigError(['REDIS_URL is required with --queue']);
    const connection = await connectedProducer(config.redisUrl);
    const queue = new BullmqImportQueue(connection, { attempts: config.jobs.attempts, backoffMs: config.jobs.backoffMs, prefix: config.jobs.prefix });
    try {
      const { id, deduplicated } = await queue.enqueue(request);
      process.stderr.write(`${deduplicated ? 'already requested' : 'enqueued'}: import ${id}\n`);
      for (;;) {
        const view = await queue.status(id);
        if (!view) throw new Error(`import ${id} vanished from the queue`);
        const active = view.steps.find((s) => s.state === 'active');
        if (active?.progress) printer.update(active.progress);
        if (view.state === 'completed' || view.state === 'failed') {
          printer.done();
          if (view.state === 'failed') throw new Error(view.error ?? 'the import failed');
          process.stderr.write(`import ${id} completed in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
          return 0;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      await queue.close(); // and its connection: the queue owns it
    }
  }

  // Ctrl-C stops the import cleanly at the next piece of input: nothing is swapped, the previous
  // catalogue keeps serving. A second Ctrl-C does not wait.
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupt.signal.aborted) process.exit(130);
    process.stderr.write(`\n${signal}: stopping the import…\n`);
    interrupt.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, applicationName: 'etl-cli' });
  try {
    await migrateToLatest(handle.db);
    const services = createEtlServices(handle, { log, http: config.http });
    const onProgress = (p: Parameters<typeof printer.update>[0]) => printer.update(p);
    const report: Record<string, unknown> = {};
    const tmdbPayload = request.tmdb
      ? { sources: request.tmdb, ...(policy.maxRejectShare !== undefined ? { maxRejectShare: policy.maxRejectShare } : {}) }
      : undefined;
    const { imdb: imdbResult, tmdb: tmdbResult } = await services.importer.run(
      { ...(request.imdb ? { imdb: { sources: request.imdb, policy } } : {}), ...(tmdbPayload ? { tmdb: tmdbPayload } : {}), allowShrink: values.force },
      { onProgress, signal: interrupt.signal },
    );
    printer.done();
    if (imdbResult) {
      const result = imdbResult;
      report.imdb = result;
      process.stderr.write(
        `IMDb: ${formatCount(result.rowsRead)} rows read, ${formatCount(result.rowsKept)} kept, ${result.rowsRejected} rejected in ${(result.durationMs / 1000).toFixed(1)} s — ` +
          `${result.counts.title} titles, ${result.counts.credit} credits, ${result.counts.crew} crew, ${result.counts.person} people, ${result.counts.title_aka} French akas` +
          `${result.absent.length ? ` (absent: ${result.absent.join(', ')})` : ''}\n` +
          `      dangling references kept and counted: ${result.dangling.creditPeople} credits and ${result.dangling.crewPeople} crew entries name people absent from name.basics; ${result.dangling.ratingsTitles} ratings are for titles absent from title.basics\n`,
      );
    }
    if (tmdbResult) {
      report.tmdb = tmdbResult;
      process.stderr.write(`TMDB: ${tmdbResult.rowsKept} films (${tmdbResult.matchedTitles} in the catalogue), ${tmdbResult.rowsRejected} rejected\n`);
    }
    // Here, the steps after the swap that belong to this worker: the KPI refresh, then the
    // bookkeeping. The embeddings belong to the recommender: its build worker takes the job
    // after a queued import (--queue), and a recommender builds them at its start when none
    // match the catalogue; `npm run embeddings -- --once` builds them now.
    const failures: string[] = [];
    await services.refreshKpis().catch((err: unknown) => failures.push(`${JobName.RefreshKpis}: ${err instanceof Error ? err.message : String(err)}`));
    await services.postImport.record(failures);
    process.stderr.write(`KPI views ${failures.length ? 'not refreshed' : 'refreshed'}; embeddings: run \`npm run embeddings -- --once\` (or import with --queue) to rebuild them now\n`);
    if (values['report-json']) {
      const imdb = report.imdb as { rowsRead?: number; rowsKept?: number } | undefined;
      writeFileSync(
        values['report-json'],
        `${JSON.stringify({ rowsRead: imdb?.rowsRead ?? 0, rowsKept: imdb?.rowsKept ?? 0, wallMs: Date.now() - started, maxRssKb: process.resourceUsage().maxRSS, ...report }, null, 2)}\n`,
      );
    }
    return 0;
  } finally {
    printer.done();
    await handle.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ImportInterruptedError) {
      process.stderr.write(`\netl: ${err.message}; nothing was changed, the previous catalogue is still serving\n`);
      process.exit(130);
    }
    process.stderr.write(`\netl: error: ${redactText(err instanceof Error ? err.message : String(err))}\n`);
    process.exit(1);
  },
);
