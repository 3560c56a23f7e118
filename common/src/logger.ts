import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly LevelWithSilent[];

/**
 * JSON logs for every service. Command-line tools log to stderr so that stdout stays
 * for their own output (tables, JSON) and a progress bar.
 */
export function createLogger(name: string, opts: { level?: LevelWithSilent; stderr?: boolean } = {}): Logger {
  return pino(
    { name, level: opts.level ?? 'info', base: { service: name } },
    opts.stderr ? pino.destination(2) : pino.destination(1),
  );
}
