import { setTimeout as sleepFor } from 'node:timers/promises';

/**
 * Every deadline a test sets goes through here. The figures written in the tests are what a quiet
 * two-core machine needs with room to spare; TEST_TIME_FACTOR says how much slower this run may be.
 * The default, 3, carried `npm test` through with both cores burnt by other work (load average
 * about 10 on 2 cores), where fixed deadlines had failed four suites that were not wrong. A quiet
 * machine that wants a hang to fail fast sets TEST_TIME_FACTOR=1.
 */
export const DEFAULT_TIME_FACTOR = 3;

export function timeFactor(raw: string | undefined = process.env.TEST_TIME_FACTOR): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_TIME_FACTOR;
  const factor = Number(raw);
  if (!Number.isFinite(factor) || factor <= 0) throw new Error(`TEST_TIME_FACTOR must be a positive number, got "${raw}"`);
  return factor;
}

const FACTOR = timeFactor();

/** A deadline of `ms` on a quiet machine, scaled for this run. */
export function deadline(ms: number): number {
  return Math.round(ms * FACTOR);
}

/** The jest timeout of a test or hook that has none of its own (quiet-machine figure 60 s). */
export const TEST_TIMEOUT_MS = deadline(60_000);

export const sleep = (ms: number): Promise<void> => sleepFor(ms);

export interface UntilOptions {
  /** Quiet-machine figure, scaled by `deadline`. */
  timeoutMs?: number;
  intervalMs?: number;
  /** What to add to the error when it times out (a process's last lines, a status seen). */
  detail?: () => string;
}

/**
 * Polls `probe` until it gives a truthy value, which it resolves with; throws naming `what` when
 * the scaled deadline passes. A probe that throws fails the wait at once (a wrong answer is not
 * a slow one).
 */
export async function until<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, opts: UntilOptions = {}): Promise<T> {
  const limit = deadline(opts.timeoutMs ?? 60_000);
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > limit) {
      const detail = opts.detail?.();
      throw new Error(`timed out after ${limit} ms waiting for ${what}${detail ? `\n${detail}` : ''}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}

/**
 * `promise`, or `onTimeout`'s value when the scaled deadline passes first; the timer does not
 * keep the process alive.
 */
export async function within<T, U>(promise: Promise<T>, ms: number, onTimeout: U): Promise<T | U> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<U>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout), deadline(ms));
    timer.unref();
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
