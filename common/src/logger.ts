import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config/env';
import { redactDeep, redactText } from './security/redact';

export type { Logger };

/**
 * JSON logs for every service. Command-line tools log to stderr so that stdout stays
 * for their own output (tables, JSON) and a progress bar.
 *
 * Every line goes through the redaction of `security/redact`: an import source may carry a
 * password, and a library's error text repeats it, whoever logs it and under whatever key.
 */
export function createLogger(name: string, opts: { level?: LogLevel; stderr?: boolean; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      name,
      level: opts.level ?? 'info',
      base: { service: name },
      serializers: {
        err: (err: unknown) => redactDeep(err instanceof Error ? pino.stdSerializers.err(err) : err),
        // A request is logged by what was asked, never by who asked: no client address or port
        // (personal data; the taste store's caps see the address, nothing keeps it).
        req: (req: { method?: string; url?: string; host?: string; hostname?: string }) => ({ method: req.method, url: req.url, host: req.host ?? req.hostname }),
      },
      formatters: { log: (object) => redactDeep(object) },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    opts.destination ?? (opts.stderr ? pino.destination(2) : pino.destination(1)),
  );
}
