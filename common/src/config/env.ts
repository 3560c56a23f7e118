import { redact } from '../security/redact';
/**
 * Environment parsing shared by every service's `config.ts`.
 *
 * Each service declares the variables it reads once, at boot; a bad value stops the
 * process with a message naming every offending variable, instead of failing later
 * deep inside a request or a job.
 */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

type Reader<T> = (raw: string | undefined, name: string) => T;

/** A variable problem is reported by throwing this inside a reader; parseEnv collects them all. */
class VariableError extends Error {}

export const env = {
  string(opts: { default?: string } = {}): Reader<string | undefined> {
    return (raw) => (raw === undefined || raw === '' ? opts.default : raw);
  },
  required(): Reader<string> {
    return (raw) => {
      if (raw === undefined || raw === '') throw new VariableError('is required');
      return raw;
    };
  },
  url(opts: { protocols: string[]; default?: string }): Reader<string | undefined> {
    return (raw) => {
      const value = raw === undefined || raw === '' ? opts.default : raw;
      if (value === undefined) return undefined;
      let parsed: URL;
      try {
        parsed = new URL(value);
      } catch {
        throw new VariableError(`must be a URL (${opts.protocols.join(', ')}), got "${redact(value)}"`);
      }
      if (!opts.protocols.includes(parsed.protocol.replace(/:$/, ''))) {
        throw new VariableError(`must use ${opts.protocols.join(' or ')}, got "${parsed.protocol}"`);
      }
      return value;
    };
  },
  int(opts: { default: number; min?: number; max?: number }): Reader<number> {
    return (raw) => {
      if (raw === undefined || raw === '') return opts.default;
      if (!/^-?\d+$/.test(raw.trim())) throw new VariableError(`must be an integer, got "${raw}"`);
      const n = Number(raw);
      if (opts.min !== undefined && n < opts.min) throw new VariableError(`must be ≥ ${opts.min}, got ${n}`);
      if (opts.max !== undefined && n > opts.max) throw new VariableError(`must be ≤ ${opts.max}, got ${n}`);
      return n;
    };
  },
  /** `true` or `false` (any case); unset or empty is the default. Anything else stops the boot. */
  bool(opts: { default: boolean }): Reader<boolean> {
    return (raw) => {
      if (raw === undefined || raw.trim() === '') return opts.default;
      const value = raw.trim().toLowerCase();
      if (value === 'true') return true;
      if (value === 'false') return false;
      throw new VariableError(`must be true or false, got "${raw}"`);
    };
  },
  oneOf<T extends string>(values: readonly T[], opts: { default: T }): Reader<T> {
    return (raw) => {
      if (raw === undefined || raw === '') return opts.default;
      if (!(values as readonly string[]).includes(raw)) {
        throw new VariableError(`must be one of ${values.join(', ')}, got "${raw}"`);
      }
      return raw as T;
    };
  },
};

/** Parse `source` against `spec`; throws one ConfigError listing every bad variable. */
export function parseEnv<S extends Record<string, Reader<unknown>>>(
  spec: S,
  source: Env = process.env,
): { [K in keyof S]: ReturnType<S[K]> } {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, read] of Object.entries(spec)) {
    try {
      out[name] = read(source[name], name);
    } catch (err) {
      if (!(err instanceof VariableError)) throw err;
      problems.push(`${name} ${err.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as { [K in keyof S]: ReturnType<S[K]> };
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
