import pino, { type Logger } from 'pino';
import type { LogLevel } from './config/env';

export type { Logger };

/**
 * JSON logs for every service. Command-line tools log to stderr so that stdout stays
 * for their own output (tables, JSON) and a progress bar.
 */
export function createLogger(name: string, opts: { level?: LogLevel; stderr?: boolean } = {}): Logger {
  return pino(
    { name, level: opts.level ?? 'info', base: { service: name } },
    opts.stderr ? pino.destination(2) : pino.destination(1),
  );
}
