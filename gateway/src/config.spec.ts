import { ConfigError } from '@cine/common';
import { availableParallelism } from 'node:os';
import { DEFAULT_DATABASE_POOL_SIZE, loadGatewayConfig } from './config';

describe('gateway config', () => {
  it('has working defaults and no admin key unless one is given', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: undefined,
      redisUrl: undefined,
      recommender: { url: 'http://127.0.0.1:8081', timeoutMs: 2000 },
      adminApiKey: undefined,
      corsOrigins: [],
      pgliteDir: '.data/pglite',
      metricsPort: 9464,
      publicUrl: undefined,
    });
  });

  it('reads the metrics port and the public URL', () => {
    expect(loadGatewayConfig({ METRICS_PORT: '9100', PUBLIC_URL: 'https://cinema-creuse.example' })).toMatchObject({
      metricsPort: 9100,
      publicUrl: 'https://cinema-creuse.example',
    });
  });

  it('reads the CORS allowlist and the limits', () => {
    const config = loadGatewayConfig({
      CORS_ORIGINS: 'https://cinema-creuse.example, http://localhost:5173',
      RATE_LIMIT_MAX: '50',
      RATE_LIMIT_WINDOW_MS: '10000',
      BODY_LIMIT_BYTES: '2048',
    });
    expect(config.corsOrigins).toEqual(['https://cinema-creuse.example', 'http://localhost:5173']);
    expect(config.rateLimit).toEqual({ max: 50, windowMs: 10_000 });
    expect(config.bodyLimitBytes).toBe(2048);
  });

  it('reads where posters come from and how many bytes of them are kept, under DATA_DIR', () => {
    expect(loadGatewayConfig({}).posters).toEqual({
      imageBaseUrl: 'https://image.tmdb.org/t/p',
      cacheDir: '.data/posters',
      cacheMaxBytes: 200 * 1024 * 1024,
      fetchTimeoutMs: 5000,
    });
    expect(
      loadGatewayConfig({ TMDB_IMAGE_BASE_URL: 'http://127.0.0.1:9000/t/p', DATA_DIR: '/var/cine/', POSTER_CACHE_MAX_BYTES: '1048576', POSTER_FETCH_TIMEOUT_MS: '800' }).posters,
    ).toEqual({ imageBaseUrl: 'http://127.0.0.1:9000/t/p', cacheDir: '/var/cine/posters', cacheMaxBytes: 1_048_576, fetchTimeoutMs: 800 });
  });

  it("reads the owner login's session lifetime, lock-out and rate limit", () => {
    expect(loadGatewayConfig({}).owner).toEqual({ sessionHours: 12, maxFailedLogins: 5, lockoutMinutes: 15, loginRateLimit: { max: 10, windowMs: 60_000 } });
    const owner = loadGatewayConfig({ OWNER_SESSION_HOURS: '2', OWNER_MAX_FAILED_LOGINS: '3', OWNER_LOCKOUT_MINUTES: '30', OWNER_LOGIN_RATE_LIMIT_MAX: '20' }).owner;
    expect(owner).toEqual({ sessionHours: 2, maxFailedLogins: 3, lockoutMinutes: 30, loginRateLimit: { max: 20, windowMs: 60_000 } });
  });

  it("reads the cinema's time zone, Europe/Paris by default, and refuses one Intl does not know", () => {
    expect(loadGatewayConfig({}).cinema.timeZone).toBe('Europe/Paris');
    expect(loadGatewayConfig({ CINEMA_TIMEZONE: 'America/Cayenne' }).cinema.timeZone).toBe('America/Cayenne');
    expect(() => loadGatewayConfig({ CINEMA_TIMEZONE: 'Europe/Guéret' })).toThrow(/CINEMA_TIMEZONE must be an IANA time zone/);
  });

  it("reads the cinema's name, Ciné Creuse by default, trimmed; refuses a blank, multi-line or overlong one", () => {
    expect(loadGatewayConfig({}).cinema.name).toBe('Ciné Creuse');
    expect(loadGatewayConfig({ CINEMA_NAME: '' }).cinema.name).toBe('Ciné Creuse');
    expect(loadGatewayConfig({ CINEMA_NAME: '  Le Sénéchal, Guéret ' }).cinema.name).toBe('Le Sénéchal, Guéret');
    for (const bad of ['   ', 'Le Sénéchal\nGuéret', 'x'.repeat(81)]) {
      expect(() => loadGatewayConfig({ CINEMA_NAME: bad })).toThrow(/CINEMA_NAME must be the cinema's name on one line, 1 to 80 characters/);
    }
  });

  it('learns from visits unless LEARN_FROM_VISITS=false, and refuses anything but true or false', () => {
    expect(loadGatewayConfig({}).learning).toEqual({ fromVisits: true });
    expect(loadGatewayConfig({ LEARN_FROM_VISITS: 'false' }).learning).toEqual({ fromVisits: false });
    expect(() => loadGatewayConfig({ LEARN_FROM_VISITS: 'off' })).toThrow(/LEARN_FROM_VISITS must be true or false, got "off"/);
  });

  it('keeps twice the cores of database connections by default (2–10), or what DATABASE_POOL_SIZE says', () => {
    expect(DEFAULT_DATABASE_POOL_SIZE).toBe(Math.min(10, Math.max(2, 2 * availableParallelism())));
    expect(loadGatewayConfig({}).databasePoolSize).toBe(DEFAULT_DATABASE_POOL_SIZE);
    expect(loadGatewayConfig({ DATABASE_POOL_SIZE: '7' }).databasePoolSize).toBe(7);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE must be ≥ 1/],
    [{ RECOMMENDER_URL: 'ftp://x' }, /RECOMMENDER_URL must use http or https/],
    [{ REDIS_URL: 'localhost:6379' }, /REDIS_URL must/],
    [{ ADMIN_API_KEY: 'short' }, /ADMIN_API_KEY must be at least 16 characters/],
    [{ CORS_ORIGINS: 'https://ok.example,https://bad.example/path' }, /CORS_ORIGINS .* got "https:\/\/bad.example\/path"/],
    [{ RECOMMENDER_TIMEOUT_MS: '5' }, /RECOMMENDER_TIMEOUT_MS must be ≥ 50/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ METRICS_PORT: '70000' }, /METRICS_PORT must be ≤ 65535/],
    [{ PUBLIC_URL: 'cinema.example' }, /PUBLIC_URL must be a URL/],
    [{ PUBLIC_URL: 'ftp://cinema.example' }, /PUBLIC_URL must use http or https/],
    [{ TMDB_IMAGE_BASE_URL: 'file:///etc' }, /TMDB_IMAGE_BASE_URL must use http or https/],
    [{ POSTER_CACHE_MAX_BYTES: '-1' }, /POSTER_CACHE_MAX_BYTES must be ≥ 0/],
    [{ POSTER_FETCH_TIMEOUT_MS: '10' }, /POSTER_FETCH_TIMEOUT_MS must be ≥ 50/],
    [{ OWNER_SESSION_HOURS: '0' }, /OWNER_SESSION_HOURS must be ≥ 1/],
    [{ OWNER_MAX_FAILED_LOGINS: '0' }, /OWNER_MAX_FAILED_LOGINS must be ≥ 1/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadGatewayConfig(env)).toThrow(ConfigError);
    expect(() => loadGatewayConfig(env)).toThrow(message);
  });
});
