#!/usr/bin/env node
/**
 * Runs the test tiers of jest.config.js and prints the time each took (and the load average,
 * since a loaded machine explains a slow run).
 *
 *   node scripts/test-tiers.js                      every tier, in one jest run (below)
 *   node scripts/test-tiers.js --serial             every tier, one jest run after the other
 *   node scripts/test-tiers.js --typecheck          every tier, and `npm run typecheck` beside them (npm test)
 *   node scripts/test-tiers.js integration [ARGS…]  one tier; ARGS go to jest (a spec path, -t …)
 *
 * By default the tiers share one jest run: its workers take the suites slowest first whatever
 * their tier, so no worker waits for the end of a tier while the other runs its last long suite.
 * Each tier's line then gives the span from its first suite's start to its last suite's end, and
 * its busy time (the sum of its suites' times); a reporter (tier-times.reporter.js) records them.
 * With --serial (or tiers named) each tier is its own jest run, timed from start to end; the
 * sample catalogue is then imported once, while the unit tier runs, into a template database the
 * tiers' suites copy, and dropped at the end. In one run, the first suite that asks for the
 * template fills it (jest's global setup names it, its teardown drops it). Every tier runs even
 * when one fails; the exit code is 1 if any failed.
 */
const { spawn } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { loadavg, setPriority, tmpdir } = require('node:os');
const { dirname, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const TIERS = ['unit', 'integration', 'browser', 'infra'];
const NEED_SAMPLES = new Set(['integration', 'browser', 'infra']);
const TEMPLATE_VARIABLE = 'CINE_TEST_SAMPLES_TEMPLATE';

const argv = process.argv.slice(2);
let serial = false;
let typecheck = false;
while (argv[0] === '--serial' || argv[0] === '--typecheck') {
  if (argv.shift() === '--serial') serial = true;
  else typecheck = true;
}
const chosen = [];
while (argv.length > 0 && TIERS.includes(argv[0])) chosen.push(argv.shift());
const tiers = chosen.length > 0 ? chosen : TIERS;
const jestArgs = argv;

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

let current = null;
let typecheckChild = null;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    interrupted = true;
    // The child is in our process group and got a Ctrl-C itself; a SIGTERM is passed on.
    if (current && signal === 'SIGTERM') current.kill('SIGTERM');
    if (typecheckChild && signal === 'SIGTERM') typecheckChild.kill('SIGTERM');
  });
}

/** Runs a command to its end with inherited output; resolves with its exit code. */
function run(file, args, env, capture = false) {
  return new Promise((done) => {
    const child = spawn(file, args, { cwd: ROOT, env, stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'] });
    current = child;
    let out = '';
    if (capture) child.stdout.on('data', (d) => (out += d));
    child.once('close', (code, signal) => {
      if (current === child) current = null;
      done({ code: code ?? (signal ? 1 : 0), out });
    });
  });
}

const REPORTER = resolve(__dirname, 'tier-times.reporter.js');
const TIMES_VARIABLE = 'CINE_TIER_TIMES_FILE';
/** Where the test environment appends each suite's CPU time (common/src/testing/test-environment.ts). */
const CPU_VARIABLE = 'CINE_SUITE_CPU_FILE';

/** Each tier's suites from the reporter's file: span (first start → last end) and busy time. */
function tierTimes(file) {
  let suites = [];
  try {
    suites = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
  return TIERS.map((tier) => {
    const own = suites.filter((s) => s.tier === tier);
    if (own.length === 0) return null;
    // A suite that failed to run has no times (start 0): it counts, but not in the span.
    const timed = own.filter((s) => s.start > 0 && s.end >= s.start);
    const start = Math.min(...timed.map((s) => s.start));
    const end = Math.max(...timed.map((s) => s.end));
    const busy = timed.reduce((sum, s) => sum + (s.end - s.start), 0);
    return { tier, suites: own.length, failed: own.filter((s) => s.failed).length, span: timed.length > 0 ? end - start : 0, busy };
  }).filter(Boolean);
}

/**
 * The suites that cost most CPU (the test environment's file: the worker's and its reaped
 * children's), with their times from the reporter's file, costliest first: on two cores the run's
 * length follows its CPU, so this is where a shorter run has to come from.
 */
function costliest(timesFile, cpuFile, count) {
  const cpu = new Map();
  try {
    for (const line of readFileSync(cpuFile, 'utf8').split('\n')) {
      if (!line) continue;
      const { path, cpuMs } = JSON.parse(line);
      cpu.set(path, cpuMs);
    }
  } catch {
    // No CPU figures (no /proc): the times alone.
  }
  try {
    return JSON.parse(readFileSync(timesFile, 'utf8'))
      .map((s) => ({ tier: s.tier, path: s.path.slice(ROOT.length + 1), ms: s.start > 0 ? s.end - s.start : 0, cpuMs: cpu.get(s.path) ?? null }))
      .sort((a, b) => (b.cpuMs ?? b.ms) - (a.cpuMs ?? a.ms))
      .slice(0, count);
  } catch {
    return [];
  }
}

const sum = (values) => values.reduce((a, b) => a + b, 0);

/** Every tier in one jest run; prints each tier's span and busy time. */
/**
 * `npm run typecheck` beside the tests, at a lower priority (--typecheck, what `npm test` does):
 * the jest run leaves a core idle while suites wait on processes and PostgreSQL, and tsc fills
 * it. Its output is held and printed after the tests; resolves with its exit code and time.
 */
function startTypecheck() {
  const started = Date.now();
  const child = spawn('npm', ['run', '--silent', 'typecheck'], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  typecheckChild = child;
  try {
    setPriority(child.pid, 10);
  } catch {
    // Not allowed here: it runs at the tests' priority.
  }
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((done) => {
    child.once('close', (code, signal) => done({ code: code ?? (signal ? 1 : 0), out, ms: Date.now() - started }));
  });
}

async function runTogether(env, startedAt) {
  const checking = typecheck ? startTypecheck() : null;
  const file = join(mkdtempSync(join(tmpdir(), 'cine-tiers-')), 'times.json');
  const loadBefore = load();
  const cpuFile = join(dirname(file), 'cpu.jsonl');
  const { code } = await run(
    process.execPath,
    // Spec paths first: jest's list options (--selectProjects, --reporters) take the words after them.
    [require.resolve('jest/bin/jest'), ...jestArgs, '--selectProjects', ...tiers, '--reporters', 'default', REPORTER],
    { ...env, [TIMES_VARIABLE]: file, [CPU_VARIABLE]: cpuFile },
  );
  const times = tierTimes(file);
  const costly = costliest(file, cpuFile, 15);
  const allCpu = costliest(file, cpuFile, Infinity).filter((s) => s.cpuMs !== null);
  rmSync(dirname(file), { recursive: true, force: true });
  process.stdout.write(`\nall tiers in one jest run (load average ${loadBefore} → ${load()})\n`);
  process.stdout.write('tier          span      busy      suites  result\n');
  for (const t of times) {
    const result = t.failed === 0 ? 'passed' : `${t.failed} FAILED`;
    process.stdout.write(`${t.tier.padEnd(13)} ${seconds(t.span).padStart(8)}  ${seconds(t.busy).padStart(8)}  ${String(t.suites).padStart(6)}  ${result}\n`);
  }
  process.stdout.write('(span: first suite start → last suite end; busy: the sum of its suites\' times)\n');
  if (costly.length > 0) {
    const total = allCpu.length > 0 ? ` (${seconds(sum(allCpu.map((s) => s.cpuMs)))} of CPU in all suites)` : '';
    process.stdout.write(`costliest suites${total}:\n       CPU      time  tier         suite\n`);
    for (const s of costly) {
      process.stdout.write(`  ${(s.cpuMs === null ? '?' : seconds(s.cpuMs)).padStart(8)}  ${seconds(s.ms).padStart(8)}  ${s.tier.padEnd(12)} ${s.path}\n`);
    }
  }
  let typesOk = true;
  if (checking) {
    const types = await checking;
    typesOk = types.code === 0;
    if (!typesOk) process.stdout.write(`\n${types.out}`);
    process.stdout.write(`typecheck     ${seconds(types.ms).padStart(8)}  ${typesOk ? 'passed' : 'FAILED'} (beside the tests)\n`);
  }
  process.stdout.write(`total         ${seconds(Date.now() - startedAt).padStart(8)}\n`);
  process.exit(interrupted ? 130 : code === 0 && typesOk ? 0 : 1);
}

const templateCli = (args) => ['--import', 'tsx', 'services/etl-worker/test/samples-template.cli.ts', ...args];

async function main() {
  const startedAt = Date.now();
  const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --disable-warning=ExperimentalWarning`.trim() };
  process.stdout.write(`test tiers: ${tiers.join(', ')} (load average ${load()}, TEST_TIME_FACTOR ${process.env.TEST_TIME_FACTOR ?? 'default'})\n`);
  if (!serial && tiers.length > 1) return runTogether(env, startedAt);
  if (typecheck) {
    const { code } = await run('npm', ['run', '--silent', 'typecheck'], process.env);
    if (code !== 0) process.exit(interrupted ? 130 : 1);
  }

  // The samples are imported once for the run, beside the unit tier, when several tiers may read
  // them and no spec path narrows the run (otherwise the first suite that reads them imports them).
  let template = null;
  let templateMs = 0;
  const sampleTiers = tiers.filter((t) => NEED_SAMPLES.has(t));
  let templateReady = Promise.resolve();
  if (sampleTiers.length > 1 && jestArgs.length === 0 && !process.env[TEMPLATE_VARIABLE]) {
    const templateStarted = Date.now();
    const cliEnv = { ...process.env, NODE_OPTIONS: '' };
    templateReady = new Promise((done) => {
      const child = spawn(process.execPath, templateCli(['create', String(process.pid)]), { cwd: ROOT, env: cliEnv, stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.once('close', (code) => {
        templateMs = Date.now() - templateStarted;
        if (code === 0 && out.trim()) template = out.trim();
        else if (code !== 0) process.stderr.write('test tiers: the sample template could not be made; each tier will import the samples itself\n');
        done();
      });
    });
  }

  const results = [];
  try {
    for (const tier of tiers) {
      if (interrupted) break;
      if (NEED_SAMPLES.has(tier)) await templateReady;
      const tierEnv = template ? { ...env, [TEMPLATE_VARIABLE]: template } : env;
      const started = Date.now();
      const loadBefore = load();
      process.stdout.write(`\n── ${tier} ──\n`);
      // A spec path or -t given: the tiers it does not touch have nothing to run, and that is fine.
      const filter = jestArgs.length > 0 ? ['--passWithNoTests'] : [];
      const { code } = await run(process.execPath, [require.resolve('jest/bin/jest'), '--selectProjects', tier, ...filter, ...jestArgs], tierEnv);
      results.push({ tier, code, ms: Date.now() - started, loadBefore, loadAfter: load() });
    }
  } finally {
    await templateReady;
    if (template) await run(process.execPath, templateCli(['drop', template]), { ...process.env, NODE_OPTIONS: '' });
  }

  process.stdout.write('\ntier          time      result   load average (before → after)\n');
  for (const r of results) {
    process.stdout.write(`${r.tier.padEnd(13)} ${seconds(r.ms).padStart(8)}  ${(r.code === 0 ? 'passed' : 'FAILED').padEnd(8)} ${r.loadBefore} → ${r.loadAfter}\n`);
  }
  if (template) process.stdout.write(`(sample template imported once in ${seconds(templateMs)}, beside the unit tier)\n`);
  process.stdout.write(`total         ${seconds(Date.now() - startedAt).padStart(8)}\n`);
  const failed = interrupted || results.some((r) => r.code !== 0) || results.length < tiers.length;
  process.exit(interrupted ? 130 : failed ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`test tiers: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
