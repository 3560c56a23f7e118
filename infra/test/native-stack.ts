import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { deadline, spawnInGroup, within } from '@cine/common/testing';
import { type ComposeFile, type ComposeService, REPO_ROOT, serviceEnv } from './compose-file';

/**
 * Runs compose services as plain processes on this machine: each service's own `command`, with
 * the environment compose gives it, where the hostnames of the compose network (postgres, redis,
 * recommender) point at 127.0.0.1. Ports are the one thing rewritten besides hosts: in compose each
 * container has its own network namespace, here they share one, so each service gets a free port.
 * The compose-native test and the soak benchmark both drive the stack through this.
 */

export interface NativeTargets {
  /** The database the `postgres` service stands for (a fresh test database). */
  databaseUrl: string;
  /** The Redis the `redis` service stands for; a db index isolates it from other runs. */
  redisUrl: string;
  /** Host ports for the services that listen, by service name (`gateway:metrics` for its METRICS_PORT); see `freePorts`. */
  ports: Record<string, number>;
  /** Isolates BullMQ keys from other runs on the same Redis (compose has its own Redis). */
  queuePrefix: string;
}

/** A free TCP port on the loopback. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/** A variable naming a port the service listens on: PORT, METRICS_PORT… */
const PORT_VARIABLE = /^(?:([A-Z0-9_]+)_)?PORT$/;

/**
 * The variable naming a service's own port: PORT, or `<SERVICE>_PORT` for a service `npm start`
 * hosts beside the gateway (the notifier's NOTIFIER_PORT), where PORT is the gateway's.
 */
function mainPortVariable(service: string, env: Record<string, string>): string | undefined {
  const own = `${service.toUpperCase().replace(/-/g, '_')}_PORT`;
  return env.PORT !== undefined ? 'PORT' : env[own] !== undefined ? own : undefined;
}

/** The key of `NativeTargets.ports` for a service's port variable: `gateway`, `gateway:metrics`, `notifier` (NOTIFIER_PORT). */
function portKey(service: string, variable: string): string | null {
  const match = PORT_VARIABLE.exec(variable);
  if (!match) return null;
  if (!match[1]) return service;
  const name = match[1].toLowerCase().replace(/_/g, '-');
  return name === service ? service : `${service}:${name}`;
}

/**
 * A distinct free loopback port for every port each compose service listens on (its PORT and
 * other `*_PORT` variables): a service that gains a port is run natively without anyone having to
 * remember to choose one for it.
 */
export async function freePorts(compose: ComposeFile): Promise<Record<string, number>> {
  const ports: Record<string, number> = {};
  const taken = new Set<number>();
  for (const [name, service] of Object.entries(compose.services)) {
    for (const [variable, value] of Object.entries(serviceEnv(service))) {
      const key = portKey(name, variable);
      if (key === null || !/^\d+$/.test(value)) continue;
      let port = await freePort();
      while (taken.has(port)) port = await freePort();
      taken.add(port);
      ports[key] = port;
    }
  }
  return ports;
}

/** Points a URL at the native stand-in of the compose service it names; other URLs are left alone. */
function rewriteUrl(value: string, targets: NativeTargets, servicePorts: Record<string, string>): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  if (url.hostname === 'postgres' && url.protocol.startsWith('postgres')) return targets.databaseUrl;
  if (url.hostname === 'redis' && url.protocol.startsWith('redis')) return targets.redisUrl;
  const port = targets.ports[url.hostname];
  if (port !== undefined && (url.port === '' || url.port === servicePorts[url.hostname])) {
    url.hostname = '127.0.0.1';
    url.port = String(port);
    return url.toString().replace(/\/$/, value.endsWith('/') ? '/' : '');
  }
  return value;
}

/** The environment a compose service's process gets natively. */
export function nativeEnv(compose: ComposeFile, name: string, targets: NativeTargets): Record<string, string> {
  const own = serviceEnv(compose.services[name]!);
  // The port each listening service has inside compose, to recognise `http://recommender:8081`.
  const servicePorts = Object.fromEntries(
    Object.entries(compose.services).map(([n, s]) => {
      const env = serviceEnv(s);
      const variable = mainPortVariable(n, env);
      return [n, variable ? env[variable]! : ''];
    }),
  );
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(own)) out[key] = rewriteUrl(value, targets, servicePorts);
  const main = mainPortVariable(name, own);
  if (main !== undefined) {
    const port = targets.ports[name];
    if (port === undefined) throw new Error(`no native port chosen for ${name}`);
    out[main] = String(port);
  }
  // Its other listening ports (the gateway's metrics): the one chosen, or any free one.
  for (const variable of Object.keys(own)) {
    const key = portKey(name, variable);
    if (key !== null && key !== name) out[variable] = String(targets.ports[key] ?? 0);
  }
  if ('REDIS_URL' in own) out.ETL_QUEUE_PREFIX = targets.queuePrefix;
  return out;
}

/** The variables of this shell that must not leak into a service: compose gives it only its own. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TERM'];

function baseEnv(): Record<string, string> {
  return Object.fromEntries(INHERITED.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
}

/** One service running natively, in its own process group (so nothing it spawned outlives a test). */
export class NativeProcess {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    const collect = (chunk: Buffer) => {
      this.output.push(chunk.toString('utf8'));
      if (this.output.length > 4000) this.output.splice(0, 1000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? null : 0);
        resolve(this.exitCode);
      }),
    );
    // 'close' comes once every holder of the pipes is gone and all they wrote has been read.
    this.drained = new Promise((resolve) => child.once('close', () => resolve()));
  }

  /** Resolves when the output pipes are closed and read to the end (grandchildren included). */
  readonly drained: Promise<void>;

  static start(name: string, command: string[], env: Record<string, string>): NativeProcess {
    const [file, ...args] = command;
    if (!file) throw new Error(`${name}: empty command`);
    // Its own group, killed with the test (or the worker) should the test not stop it.
    const child = spawnInGroup(file, args, { cwd: REPO_ROOT, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    return new NativeProcess(name, child);
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The last lines it printed: what a failed test shows. */
  tail(lines = 40): string {
    return this.output.join('').split('\n').slice(-lines).join('\n');
  }

  /** The JSON log lines it wrote (pino), parsed; other lines skipped. */
  jsonLogs(): Array<Record<string, unknown>> {
    const out: Array<Record<string, unknown>> = [];
    for (const line of this.output.join('').split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a line cut by the buffer window
      }
    }
    return out;
  }

  /** Resident memory of the service's node process (the biggest of its tree, should it fork). */
  rssBytes(): number {
    const pids = descendants(this.child.pid!);
    let best = 0;
    for (const pid of pids) best = Math.max(best, rssOf(pid));
    return best;
  }

  /**
   * `docker stop` with compose's `init: true`: SIGTERM to the service's process only (tini does
   * not signal the group), SIGKILL to everything after the grace period. Resolves with the exit code.
   */
  async stop(graceMs = 10_000): Promise<number | null> {
    if (!this.running) return this.exitCode ?? null;
    this.child.kill('SIGTERM');
    return this.awaitExit(graceMs);
  }

  /** Ctrl-C in a terminal: SIGINT to the whole foreground group (npm and the node it runs). */
  async interrupt(graceMs = 10_000): Promise<number | null> {
    if (!this.running) return this.exitCode ?? null;
    signalGroup(this.child.pid!, 'SIGINT');
    return this.awaitExit(graceMs);
  }

  /** True when the grace period ran out and the group had to be killed. */
  killed = false;

  /**
   * Waits for the process and everything it started (npm's child node outlives npm on a
   * signal) to end; SIGKILL to the group once `graceMs` (scaled by TEST_TIME_FACTOR: a loaded
   * machine stops slower) has passed. Resolves with the exit code.
   */
  private async awaitExit(graceMs: number): Promise<number | null> {
    const endAt = Date.now() + deadline(graceMs);
    // `within`'s timer is cleared once the process exits: a pending one kept the jest worker from exiting.
    const code = await within(this.exited, graceMs, undefined);
    while (groupAlive(this.child.pid!) && Date.now() < endAt) await sleep(50);
    if (code === undefined || groupAlive(this.child.pid!)) {
      this.killed = true;
      signalGroup(this.child.pid!, 'SIGKILL');
      return this.exited;
    }
    // The group is gone, but its last lines may still sit in the pipe: read them before callers
    // look at the output.
    await within(this.drained, 2000, undefined);
    return code;
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function descendants(root: number): number[] {
  const out = [root];
  for (let i = 0; i < out.length; i++) {
    const pid = out[i]!;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      try {
        const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      } catch {
        // the task ended meanwhile
      }
    }
  }
  return out;
}

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs the service's compose healthcheck command itself (`CMD` form) with the service's native
 * environment: the exact probe Docker would run inside the container.
 */
export async function runHealthcheck(service: ComposeService, env: Record<string, string>): Promise<boolean> {
  const test = service.healthcheck?.test;
  if (!Array.isArray(test) || test[0] !== 'CMD') throw new Error('only CMD healthchecks run natively');
  const probe = NativeProcess.start('healthcheck', test.slice(1), env);
  const timer = setTimeout(() => signalGroup(probe.child.pid!, 'SIGKILL'), deadline(5000));
  try {
    return (await probe.exited) === 0;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls until `check` is true; fails with the process's last output when it exits or time runs
 * out (`timeoutMs`, a quiet machine's figure, scaled by TEST_TIME_FACTOR).
 */
export async function waitFor(what: string, check: () => Promise<boolean>, opts: { timeoutMs: number; process?: NativeProcess; intervalMs?: number }): Promise<number> {
  const started = Date.now();
  const limit = deadline(opts.timeoutMs);
  while (Date.now() - started < limit) {
    if (opts.process && !opts.process.running) {
      throw new Error(`${what}: ${opts.process.name} exited (${await opts.process.exited})\n${opts.process.tail()}`);
    }
    if (await check().catch(() => false)) return Date.now() - started;
    await sleep(opts.intervalMs ?? 250);
  }
  throw new Error(`${what}: not within ${limit} ms${opts.process ? `\n${opts.process.tail()}` : ''}`);
}

/** GET that never throws: the status code, or 0 when nothing answers. */
export async function statusOf(url: string, init?: RequestInit): Promise<number> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}
