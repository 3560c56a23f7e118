import { ConfigError, env, parseEnv } from './env';
import { redact } from '../security/redact';

describe('parseEnv', () => {
  const spec = {
    DATABASE_URL: env.url({ protocols: ['postgres', 'postgresql'] }),
    PORT: env.int({ default: 8080, min: 1, max: 65535 }),
    LOG_LEVEL: env.oneOf(['info', 'debug'] as const, { default: 'info' }),
  };

  it('applies defaults when variables are unset', () => {
    expect(parseEnv(spec, {})).toEqual({ DATABASE_URL: undefined, PORT: 8080, LOG_LEVEL: 'info' });
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      parseEnv(spec, { DATABASE_URL: 'mysql://x', PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^DATABASE_URL must use postgres or postgresql/);
    expect(problems[1]).toMatch(/^PORT must be an integer, got "eighty"/);
    expect(problems[2]).toMatch(/^LOG_LEVEL must be one of info, debug/);
  });

  it('rejects out-of-range integers', () => {
    expect(() => parseEnv(spec, { PORT: '70000' })).toThrow(/PORT must be ≤ 65535/);
  });

  it('reads a boolean as true or false only, its default when unset', () => {
    const flags = { LEARN: env.bool({ default: true }) };
    expect(parseEnv(flags, {})).toEqual({ LEARN: true });
    expect(parseEnv(flags, { LEARN: 'false' })).toEqual({ LEARN: false });
    expect(parseEnv(flags, { LEARN: ' TRUE ' })).toEqual({ LEARN: true });
    expect(() => parseEnv(flags, { LEARN: 'no' })).toThrow(/LEARN must be true or false, got "no"/);
    expect(() => parseEnv(flags, { LEARN: '0' })).toThrow(/LEARN must be true or false/);
  });

  it('never echoes a password', () => {
    expect(redact('postgres://u:secret@h/db')).toBe('postgres://u:***@h/db');
    expect(() => parseEnv(spec, { DATABASE_URL: 'http://u:secret@h/db' })).toThrow(/DATABASE_URL/);
  });
});
