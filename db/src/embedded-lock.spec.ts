import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deadline, runToEnd, spawnInGroup, until } from '@cine/common/testing';
import { sql } from 'kysely';
import { openDatabase } from './db.factory';

/**
 * One embedded database, one process: PGlite has no server to arbitrate two processes writing the
 * same files (a report opened during `npm start`'s import once ended in `RuntimeError: Aborted()`).
 * Real processes here: the holder and the refused one each run on their own.
 */

const REPO_ROOT = resolve(__dirname, '../..');
const HOLDER = resolve(__dirname, 'testing/hold-embedded-database.ts');

jest.setTimeout(deadline(180_000));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function collect(child: ChildProcess): () => { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return () => ({ stdout, stderr });
}

/** Runs a command to its end (killed after `limitMs`, scaled, so a hang fails rather than waits forever). */
async function run(args: string[], env: Record<string, string>, limitMs = 120_000): Promise<Finished> {
  const { code, stdout, stderr } = await runToEnd(process.execPath, ['--import', 'tsx', ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    timeoutMs: limitMs,
  });
  return { code, stdout, stderr };
}

/** Starts the holder process and waits until it has the database open; resolves with it and its pid. */
async function startHolder(dataDir: string): Promise<{ child: ChildProcess; pid: number; output: () => { stdout: string; stderr: string } }> {
  const child = spawnInGroup(process.execPath, ['--import', 'tsx', HOLDER, dataDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  try {
    const opened = await until(
      'the holder to open the database',
      () => {
        const line = /^open (\d+)$/m.exec(output().stdout);
        if (!line && child.exitCode !== null) throw new Error(`the holder exited (${child.exitCode})`);
        return line;
      },
      { timeoutMs: 120_000 },
    );
    return { child, pid: Number(opened[1]), output };
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`the holder did not open ${dataDir}: ${(err as Error).message}\n${output().stderr}`);
  }
}

/** A pid that was alive and is not any more. */
async function deadPid(): Promise<number> {
  const child = spawnInGroup(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await once(child, 'exit');
  return child.pid!;
}

describe('the embedded database is locked by the process that opened it', () => {
  let root: string;
  let dataDir: string;
  /** One data directory initialised for the whole file: PGlite's initdb costs seconds of CPU, a reopen a fraction of one. */
  let initialised: string;
  const lockFile = () => `${dataDir}.lock`;

  beforeAll(async () => {
    initialised = mkdtempSync(join(tmpdir(), 'cine-lock-initdb-'));
    const fresh = join(initialised, 'pglite');
    // The first open of an empty directory (initdb) takes and releases the lock like any other.
    const handle = await openDatabase({ dataDir: fresh, applicationName: 'initdb' });
    try {
      expect(JSON.parse(readFileSync(`${fresh}.lock`, 'utf8'))).toMatchObject({ pid: process.pid, app: 'initdb' });
    } finally {
      await handle.close();
    }
    expect(existsSync(`${fresh}.lock`)).toBe(false);
  });

  afterAll(() => {
    if (initialised) rmSync(initialised, { recursive: true, force: true });
  });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'cine-lock-'));
    dataDir = join(root, 'pglite');
    // Each test gets its own copy of the initialised directory (the lock file lives beside it, not in it).
    cpSync(join(initialised, 'pglite'), dataDir, { recursive: true });
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses `npm run report` while this process holds it: exit 1, a message naming the directory and this pid', async () => {
    const handle = await openDatabase({ dataDir, applicationName: 'npm start' });
    try {
      const report = await run(['analysis/src/report.cli.ts'], { DATA_DIR: root, LOG_LEVEL: 'warn' });
      expect(report.code).toBe(1);
      expect(report.stderr).toContain(`the embedded database in ${dataDir} is in use by process ${process.pid} (npm start)`);
      expect(report.stderr).toContain('stop it first, or point DATABASE_URL at a PostgreSQL server');
      // A refusal, not a crash: no stack, no WebAssembly abort.
      expect(report.stderr).not.toMatch(/Aborted|\n\s+at /);
      // The holder never noticed.
      const { rows } = await sql<{ n: number }>`SELECT 1 AS n`.execute(handle.db);
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await handle.close();
    }
    // Released on close.
    expect(existsSync(lockFile())).toBe(false);
  });

  it('refuses this process while another holds it, and takes over once that one was killed', async () => {
    const holder = await startHolder(dataDir);
    try {
      await expect(openDatabase({ dataDir })).rejects.toThrow(
        `the embedded database in ${dataDir} is in use by process ${holder.pid} (lock-test-holder); stop it first, or point DATABASE_URL at a PostgreSQL server`,
      );
      // The refused open left the holder's lock as it was.
      expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: holder.pid });
      // Killed without a chance to clean up: its lock file stays behind, naming a dead pid.
      holder.child.kill('SIGKILL');
      await once(holder.child, 'exit');
    } finally {
      holder.child.kill('SIGKILL');
    }
    expect(existsSync(lockFile())).toBe(true);
    const handle = await openDatabase({ dataDir });
    try {
      expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
      const { rows } = await sql<{ n: number }>`SELECT 1 AS n`.execute(handle.db);
      expect(rows).toEqual([{ n: 1 }]);
    } finally {
      await handle.close();
    }
  });

  it('a second process is refused and exits non-zero while the first holds it', async () => {
    const holder = await startHolder(dataDir);
    try {
      const second = await run([HOLDER, dataDir], {});
      expect(second.code).toBe(1);
      expect(second.stdout).toBe('');
      expect(second.stderr).toContain(`the embedded database in ${dataDir} is in use by process ${holder.pid} (lock-test-holder)`);
      // The first one still has it and stops cleanly, releasing it.
      holder.child.kill('SIGTERM');
      const [code] = (await once(holder.child, 'exit')) as [number | null];
      expect({ code, stderr: holder.output().stderr }).toEqual({ code: 0, stderr: '' });
    } finally {
      holder.child.kill('SIGKILL');
    }
    expect(existsSync(lockFile())).toBe(false);
  });

  it('takes over a lock left by a dead pid, and one left by an earlier process that had this pid', async () => {
    writeFileSync(lockFile(), `${JSON.stringify({ pid: await deadPid(), started: null, app: 'npm start' })}\n`);
    let handle = await openDatabase({ dataDir, applicationName: 'report' });
    try {
      expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid, app: 'report' });
    } finally {
      await handle.close();
    }
    // A container restarted: its new process may get the very pid its killed predecessor had.
    writeFileSync(lockFile(), `${JSON.stringify({ pid: process.pid, started: null, app: 'npm start' })}\n`);
    handle = await openDatabase({ dataDir, applicationName: 'etl-cli' });
    try {
      expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid, app: 'etl-cli' });
    } finally {
      await handle.close();
    }
    expect(existsSync(lockFile())).toBe(false);
  });

  it('in one process: a second open is refused while the first is open; close, then reopen works', async () => {
    const first = await openDatabase({ dataDir, applicationName: 'first' });
    try {
      await expect(openDatabase({ dataDir })).rejects.toThrow(`the embedded database in ${dataDir} is in use by process ${process.pid} (first)`);
      await sql`CREATE TABLE kept (n int)`.execute(first.db);
      await sql`INSERT INTO kept VALUES (7)`.execute(first.db);
    } finally {
      await first.close();
    }
    expect(existsSync(lockFile())).toBe(false);
    const again = await openDatabase({ dataDir });
    try {
      const { rows } = await sql<{ n: number }>`SELECT n FROM kept`.execute(again.db);
      expect(rows).toEqual([{ n: 7 }]);
    } finally {
      await again.close();
    }
  });

  it('memory databases take no lock', async () => {
    const a = await openDatabase({ dataDir: 'memory://' });
    const b = await openDatabase({ dataDir: 'memory://' });
    await Promise.all([a.close(), b.close()]);
  });
});
