import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runToEnd } from './processes';
import { until } from './wait';

/**
 * What a test spawns dies with it: its process group (the command and what that command
 * started) is killed when the worker exits, crashes or is told to stop, and when a command
 * outlives its deadline.
 */

const HOLDER = resolve(__dirname, 'hold-a-child.ts');
const ROOT = resolve(__dirname, '../../..');

/** Running, as opposed to gone or a zombie not yet reaped by whoever inherited it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Starts the stand-in worker; resolves once its child and grandchild run, with their pids. */
async function worker(how: 'exit' | 'crash' | 'wait' | 'end', opts: { ipc?: boolean } = {}) {
  // JEST_WORKER_ID, as jest sets it in its workers (inherited here, made sure of for a run in band);
  // with `ipc`, the channel jest's child-process workers talk over.
  const stdio = opts.ipc ? (['ignore', 'pipe', 'ignore', 'ipc'] as const) : (['ignore', 'pipe', 'ignore'] as const);
  const proc = spawn(process.execPath, ['--import', 'tsx', HOLDER, how], { stdio: [...stdio], env: { ...process.env, NODE_OPTIONS: '', JEST_WORKER_ID: '1' } });
  started.push(proc);
  const exited = once(proc, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const [, child, grandchild] = (await until('the worker to start its child', () => /^pids (\d+) (\d+)$/m.exec(out))).map(Number) as [number, number, number];
  return { proc, exited, child, grandchild };
}

/** The stand-ins started, killed after each test whatever it found (one that never ends would hold this run). */
const started: ReturnType<typeof spawn>[] = [];

describe('processes a test spawns', () => {
  afterEach(() => {
    for (const proc of started.splice(0)) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });

  it.each(['exit', 'crash'] as const)('are killed, grandchildren too, when the worker process ends (%s)', async (how) => {
    const { exited, child, grandchild } = await worker(how);
    await exited;
    await until('the group to be gone', () => !alive(child) && !alive(grandchild), { timeoutMs: 5000 });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('are killed when the worker is stopped by %s (jest force-exits with SIGTERM), and the worker still ends by it', async (signal) => {
    const { proc, exited, child, grandchild } = await worker('wait');
    expect(alive(grandchild)).toBe(true);
    proc.kill(signal);
    const [code, by] = await exited;
    expect({ code, by }).toEqual({ code: null, by: signal });
    await until('the group to be gone', () => !alive(child) && !alive(grandchild), { timeoutMs: 5000 });
  });

  it('are killed, and the worker ends, when the runner is gone (its IPC channel closes)', async () => {
    const { proc, exited, child, grandchild } = await worker('wait', { ipc: true });
    expect(alive(grandchild)).toBe(true);
    proc.disconnect();
    const [code] = await exited;
    expect(code).toBe(1);
    await until('the group to be gone', () => !alive(child) && !alive(grandchild), { timeoutMs: 5000 });
  });

  it('leave a worker that jest ends free to end by itself: nothing of theirs holds its IPC channel', async () => {
    const { proc, exited, child, grandchild } = await worker('end', { ipc: true });
    proc.send('end');
    // Jest force-kills a worker that has not ended 500 ms after it was told to; a held channel
    // keeps it alive for good, so this waits (scaled) for an end that would never come.
    await until('the worker to end by itself', () => proc.exitCode !== null || proc.signalCode !== null, { timeoutMs: 10_000 });
    expect(await exited).toEqual([0, null]);
    expect(alive(child) || alive(grandchild)).toBe(false);
  });

  it('a command past its deadline is killed with everything it started, and says so', async () => {
    const started = Date.now();
    const result = await runToEnd('sh', ['-c', 'sleep 300 & echo "$!"; wait'], { timeoutMs: 500 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    const grandchild = Number(result.stdout.trim());
    await until('the grandchild to be gone', () => !alive(grandchild), { timeoutMs: 5000 });
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('a command that ends in time gives its code and output', async () => {
    const result = await runToEnd('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(result).toEqual({ code: 3, signal: null, stdout: 'out\n', stderr: 'err\n', timedOut: false });
  });

  it('left running by a spec file, are killed when the file ends, after its own afterAll', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cine-leftover-'));
    try {
      const out = join(dir, 'report.json');
      const config = {
        rootDir: ROOT,
        testMatch: ['<rootDir>/common/src/testing/fixtures/leaves-a-child.fixture.ts'],
        transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },
        testEnvironment: '<rootDir>/common/src/testing/test-environment.ts',
      };
      const jest = await runToEnd(process.execPath, [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--runInBand', '--cacheDirectory', join(dir, 'cache')], {
        cwd: ROOT,
        env: { ...process.env, NODE_OPTIONS: '', CINE_FIXTURE_OUT: out },
        // A child left running keeps that jest from exiting at all: fail well before this test's own timeout.
        timeoutMs: 30_000,
      });
      expect({ code: jest.code, output: jest.code === 0 ? '' : jest.stderr }).toEqual({ code: 0, output: '' });
      const report = JSON.parse(readFileSync(out, 'utf8')) as { pid: number; runningInAfterAll: boolean; runningAtExit: boolean };
      expect(report).toEqual({ pid: expect.any(Number), runningInAfterAll: true, runningAtExit: false });
      expect(alive(report.pid)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
