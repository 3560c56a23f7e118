import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { runInThisContext } from 'node:vm';
import { deadline } from './wait';

/**
 * Every process a test starts runs in a process group of its own, killed with all it started when
 * the test file ends (the jest setup calls `killSpawned` after all) and when the jest worker
 * itself goes: exit, SIGTERM/SIGINT (jest's force exit sends SIGTERM first), or its parent gone.
 * Outside jest (the soak bench drives the native stack through this too) only the exit counts.
 * A timed-out test once left an import running, holding the import lock, and the next test
 * failed on "another import is running".
 */

/** Process-group ids still to kill, shared by every test file a jest worker runs. */
interface Registry {
  groups: Set<number>;
}

/**
 * Jest gives each test file a copy of `process` whose events never fire; the worker's own
 * process is the one that exits, and the one evaluated in the host context.
 */
const hostProcess = runInThisContext('process') as NodeJS.Process;
/** The host's timers, which a test's fake timers never replace. */
const hostTimers = runInThisContext('({ setInterval, clearInterval })') as { setInterval: typeof setInterval; clearInterval: typeof clearInterval };
const KEY = Symbol.for('cine.testing.process-groups');

function registry(): Registry {
  const holder = hostProcess as unknown as Record<symbol, Registry | undefined>;
  const existing = holder[KEY];
  if (existing) return existing;
  const created: Registry = { groups: new Set() };
  holder[KEY] = created;
  const killAll = () => {
    for (const pgid of created.groups) signalGroup(pgid, 'SIGKILL');
    created.groups.clear();
  };
  hostProcess.on('exit', killAll);
  // Signals and the parent's disconnection are a jest worker's business; a bench or script that
  // spawns through this stops its services its own way on Ctrl-C.
  if (hostProcess.env.JEST_WORKER_ID === undefined) return created;
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    hostProcess.once(signal, () => {
      killAll();
      // Then end as the signal would have without this listener.
      hostProcess.kill(hostProcess.pid, signal);
    });
  }
  // A jest worker whose parent is gone (killed, crashed) has nobody left to report to. Watched
  // with an unref'd timer, not a 'disconnect' listener: Node keeps the IPC channel referenced while
  // the process has one, so a worker jest told to end (it removes its 'message' listener and waits
  // for the process to drain) would live on and be force-killed after jest's grace period.
  if (hostProcess.connected) {
    const watch = hostTimers.setInterval(() => {
      if (hostProcess.connected) return;
      hostTimers.clearInterval(watch);
      killAll();
      hostProcess.exit(1);
    }, 250);
    watch.unref();
  }
  return created;
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    hostProcess.kill(-pgid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0 as unknown as NodeJS.Signals);
}

/**
 * `spawn` in a new process group (`detached`), registered to be killed with the test. The group
 * stays registered after the leader exits as long as anything in it lives (npm's child node
 * outlives npm on a signal).
 */
export function spawnInGroup(file: string, args: readonly string[], opts: SpawnOptions = {}): ChildProcess {
  const child = spawn(file, args, { ...opts, detached: true });
  const pgid = child.pid;
  if (pgid !== undefined) {
    const { groups } = registry();
    groups.add(pgid);
    child.once('exit', () => {
      if (!groupAlive(pgid)) groups.delete(pgid);
    });
  }
  return child;
}

/** SIGKILL to every group this worker started and that is still registered. */
export function killSpawned(): void {
  const groups = (hostProcess as unknown as Record<symbol, Registry | undefined>)[KEY]?.groups;
  if (!groups) return;
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
  groups.clear();
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the deadline passed and the group was killed. */
  timedOut: boolean;
}

/**
 * Runs a command to its end, in its own group, collecting its output; after `timeoutMs`
 * (scaled by TEST_TIME_FACTOR) the whole group is killed, so a hang fails rather than waits. The
 * asynchronous replacement for `spawnSync`, which blocks the jest worker (no test timeout, no
 * cleanup) for as long as the child runs.
 */
export async function runToEnd(file: string, args: readonly string[], opts: SpawnOptions & { timeoutMs?: number; input?: string } = {}): Promise<Finished> {
  const { timeoutMs = 120_000, input, ...spawnOpts } = opts;
  const child = spawnInGroup(file, args, { ...spawnOpts, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  if (input !== undefined) child.stdin!.end(input);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup(child.pid!, 'SIGKILL');
  }, deadline(timeoutMs));
  try {
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    return { code, signal, stdout, stderr, timedOut };
  } finally {
    clearTimeout(timer);
  }
}
