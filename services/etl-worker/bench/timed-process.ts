import { spawn, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TimedRun {
  wallMs: number;
  /** Peak resident set of the process (and its waited-for children), from GNU time; null if unavailable. */
  maxRssKb: number | null;
}

export interface TimedRunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdio?: StdioOptions;
  /** Wrap in `/usr/bin/time -f %M` to measure peak RSS from outside the process. */
  measureRss?: boolean;
  signal?: AbortSignal;
}

const GNU_TIME = '/usr/bin/time';

export function canMeasureRss(): boolean {
  return existsSync(GNU_TIME);
}

/** Run a command to completion, timing it by wall clock; rejects on a non-zero exit. */
export async function runTimed(command: string, args: readonly string[], opts: TimedRunOptions = {}): Promise<TimedRun> {
  const scratch = opts.measureRss && canMeasureRss() ? await mkdtemp(join(tmpdir(), 'cine-bench-time-')) : null;
  const rssFile = scratch ? join(scratch, 'rss') : null;
  const [file, argv] = rssFile ? [GNU_TIME, ['-f', '%M', '-o', rssFile, command, ...args]] : [command, [...args]];
  try {
    const started = performance.now();
    await new Promise<void>((resolve, reject) => {
      opts.signal?.throwIfAborted();
      // Own process group: on abort the whole group goes (GNU time would not pass a SIGTERM on).
      const child = spawn(file, argv, { cwd: opts.cwd, env: opts.env, stdio: opts.stdio ?? 'inherit', detached: true });
      const stop = (): void => {
        if (child.pid !== undefined && child.exitCode === null) {
          try {
            process.kill(-child.pid, 'SIGTERM');
          } catch {
            // already gone
          }
        }
      };
      opts.signal?.addEventListener('abort', stop, { once: true });
      child.once('error', (err) => {
        opts.signal?.removeEventListener('abort', stop);
        reject(err);
      });
      child.once('exit', (code, signal) => {
        opts.signal?.removeEventListener('abort', stop);
        if (code === 0) resolve();
        else reject(new Error(`${command} ${args.slice(0, 3).join(' ')}… exited with ${signal ?? `code ${code}`}`));
      });
    });
    const wallMs = performance.now() - started;
    let maxRssKb: number | null = null;
    if (rssFile) {
      // GNU time may prefix a "Command exited…" line; the figure is the last line.
      const lines = (await readFile(rssFile, 'utf8')).trim().split('\n');
      const kb = Number(lines[lines.length - 1]);
      maxRssKb = Number.isFinite(kb) ? kb : null;
    }
    return { wallMs, maxRssKb };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
