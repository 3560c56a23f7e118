import { availableParallelism } from 'node:os';
import { ConfigError, type Env, env, LOG_LEVELS, type LogLevel, parseEnv } from '@cine/common';

/** The official IMDb non-commercial datasets: what an admin import reads when the body names none. */
const OFFICIAL_IMDB_SOURCE = 'https://datasets.imdbws.com/';

/** TMDB's image server: where the gateway fetches a poster the first time it is asked for. */
const DEFAULT_TMDB_IMAGE_BASE_URL = 'https://image.tmdb.org/t/p';

export const DEFAULT_CINEMA_NAME = 'Ciné Creuse';
/** Past this a name is no longer a cinema's (it is shown in badges, agendas and search results). */
const CINEMA_NAME_MAX_LENGTH = 80;

/** An admin key shorter than this is refused at boot: it would be guessable. */
const ADMIN_KEY_MIN_LENGTH = 16;

/**
 * Database connections the gateway keeps: twice the cores, at least 2, at most 10. More
 * concurrent queries than the cores can run only stretch every one of them: on the 2-core bench
 * machine, 10 connections gave search p95 25–27 ms, 4 gave 18.5–23 ms at the same throughput
 * (docs/api.md). The usual PostgreSQL sizing rule (cores × 2 + disks) says the same.
 */
export const DEFAULT_DATABASE_POOL_SIZE = Math.min(10, Math.max(2, 2 * availableParallelism()));

/** Everything the gateway reads from the environment, validated once at boot. */
export function loadGatewayConfig(source: Env = process.env) {
  const raw = parseEnv(
    {
      PORT: env.int({ default: 8080, min: 0, max: 65535 }),
      HOST: env.string({ default: '0.0.0.0' }),
      // Prometheus' /metrics, never on PORT: compose does not publish it (9464: the usual exporter port).
      METRICS_PORT: env.int({ default: 9464, min: 0, max: 65535 }),
      // The address customers use. Only an https one turns HSTS on: a header the gateway sees
      // cannot say so (X-Forwarded-Proto is the client's to forge unless a proxy is trusted).
      PUBLIC_URL: env.url({ protocols: ['http', 'https'] }),
      DATABASE_URL: env.url({ protocols: ['postgres', 'postgresql'] }),
      DATABASE_POOL_SIZE: env.int({ default: DEFAULT_DATABASE_POOL_SIZE, min: 1, max: 100 }),
      DATA_DIR: env.string({ default: '.data' }),
      REDIS_URL: env.url({ protocols: ['redis', 'rediss'] }),
      RECOMMENDER_URL: env.url({ protocols: ['http', 'https'], default: 'http://127.0.0.1:8081' }),
      // A recommendation is a few milliseconds; past this the customer is better served by a 503.
      RECOMMENDER_TIMEOUT_MS: env.int({ default: 2000, min: 50, max: 60_000 }),
      // Unset: the admin routes answer 503 "admin disabled". There is never a default key.
      ADMIN_API_KEY: env.string(),
      // The cinema's website origins allowed to call the API from a browser (comma-separated).
      CORS_ORIGINS: env.string({ default: '' }),
      RATE_LIMIT_MAX: env.int({ default: 300, min: 1, max: 1_000_000 }),
      RATE_LIMIT_WINDOW_MS: env.int({ default: 60_000, min: 1000, max: 3_600_000 }),
      BODY_LIMIT_BYTES: env.int({ default: 64 * 1024, min: 1024, max: 10 * 1024 * 1024 }),
      LOG_LEVEL: env.oneOf<LogLevel>(LOG_LEVELS, { default: 'info' }),
      ETL_QUEUE_PREFIX: env.string({ default: 'bull' }),
      ETL_JOB_ATTEMPTS: env.int({ default: 3, min: 1, max: 20 }),
      ETL_JOB_BACKOFF_MS: env.int({ default: 30_000, min: 0, max: 3_600_000 }),
      IMDB_SOURCE: env.string({ default: OFFICIAL_IMDB_SOURCE }),
      TMDB_SOURCE: env.string(),
      // The programme's clock: séance times are local to the cinema, weeks start on its Wednesdays.
      CINEMA_TIMEZONE: env.string({ default: 'Europe/Paris' }),
      // The cinema's name as customers and search engines read it (schema.org MovieTheater, agendas).
      CINEMA_NAME: env.string({ default: DEFAULT_CINEMA_NAME }),
      // The owner's login (gateway/src/auth): session cookie lifetime, lock-out after failures,
      // and login attempts per address and minute (on top of RATE_LIMIT_MAX).
      OWNER_SESSION_HOURS: env.int({ default: 12, min: 1, max: 24 * 30 }),
      OWNER_MAX_FAILED_LOGINS: env.int({ default: 5, min: 1, max: 100 }),
      OWNER_LOCKOUT_MINUTES: env.int({ default: 15, min: 1, max: 24 * 60 }),
      OWNER_LOGIN_RATE_LIMIT_MAX: env.int({ default: 10, min: 1, max: 1_000_000 }),
      // Posters (gateway/src/posters): fetched once from here (`${base}/${size}${poster_path}`),
      // then kept in DATA_DIR/posters under POSTER_CACHE_MAX_BYTES, least recently used out.
      TMDB_IMAGE_BASE_URL: env.url({ protocols: ['http', 'https'], default: DEFAULT_TMDB_IMAGE_BASE_URL }),
      POSTER_CACHE_MAX_BYTES: env.int({ default: 200 * 1024 * 1024, min: 0, max: 1024 * 1024 * 1024 * 1024 }),
      // A poster is a few tens of kB: past this, the customer gets the placeholder (retried a minute later).
      POSTER_FETCH_TIMEOUT_MS: env.int({ default: 5000, min: 50, max: 60_000 }),
      // Learning from the customers' visits (counts in the taste store, docs/recommender.md); false: nothing is learned.
      LEARN_FROM_VISITS: env.bool({ default: true }),
      // The notifier's internal API (services/notifier). Unset: the subscription routes answer 503
      // and the page hides its form; nothing else changes.
      NOTIFIER_URL: env.url({ protocols: ['http', 'https'] }),
      // Subscribing writes a row and sends an email: a few seconds at most, else a 503.
      NOTIFIER_TIMEOUT_MS: env.int({ default: 5000, min: 50, max: 60_000 }),
      // Subscriptions per address and hour, on top of RATE_LIMIT_MAX: each one sends an email to
      // an address a stranger may have typed.
      SUBSCRIBE_RATE_LIMIT_MAX: env.int({ default: 10, min: 1, max: 1_000_000 }),
    },
    source,
  );
  const adminKey = raw.ADMIN_API_KEY;
  if (adminKey !== undefined && adminKey.length < ADMIN_KEY_MIN_LENGTH) {
    throw new ConfigError([`ADMIN_API_KEY must be at least ${ADMIN_KEY_MIN_LENGTH} characters`]);
  }
  const corsOrigins = (raw.CORS_ORIGINS ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o.length > 0);
  const badOrigin = corsOrigins.find((o) => !/^https?:\/\/[^/\s]+$/.test(o));
  if (badOrigin !== undefined) {
    throw new ConfigError([`CORS_ORIGINS must list origins like https://cinema.example (no path), got "${badOrigin}"`]);
  }
  return {
    port: raw.PORT,
    host: raw.HOST ?? '0.0.0.0',
    metricsPort: raw.METRICS_PORT,
    publicUrl: raw.PUBLIC_URL,
    databaseUrl: raw.DATABASE_URL,
    databasePoolSize: raw.DATABASE_POOL_SIZE,
    dataDir: raw.DATA_DIR ?? '.data',
    pgliteDir: `${(raw.DATA_DIR ?? '.data').replace(/\/+$/, '')}/pglite`,
    redisUrl: raw.REDIS_URL,
    recommender: { url: raw.RECOMMENDER_URL!, timeoutMs: raw.RECOMMENDER_TIMEOUT_MS },
    adminApiKey: adminKey,
    corsOrigins,
    rateLimit: { max: raw.RATE_LIMIT_MAX, windowMs: raw.RATE_LIMIT_WINDOW_MS },
    bodyLimitBytes: raw.BODY_LIMIT_BYTES,
    logLevel: raw.LOG_LEVEL,
    queue: { prefix: raw.ETL_QUEUE_PREFIX ?? 'bull', attempts: raw.ETL_JOB_ATTEMPTS, backoffMs: raw.ETL_JOB_BACKOFF_MS },
    imports: { imdb: raw.IMDB_SOURCE ?? OFFICIAL_IMDB_SOURCE, tmdb: raw.TMDB_SOURCE },
    cinema: { timeZone: cinemaTimeZone(raw.CINEMA_TIMEZONE ?? 'Europe/Paris'), name: cinemaName(raw.CINEMA_NAME ?? DEFAULT_CINEMA_NAME) },
    owner: {
      sessionHours: raw.OWNER_SESSION_HOURS,
      maxFailedLogins: raw.OWNER_MAX_FAILED_LOGINS,
      lockoutMinutes: raw.OWNER_LOCKOUT_MINUTES,
      loginRateLimit: { max: raw.OWNER_LOGIN_RATE_LIMIT_MAX, windowMs: 60_000 },
    },
    learning: { fromVisits: raw.LEARN_FROM_VISITS },
    notifier: { url: raw.NOTIFIER_URL, timeoutMs: raw.NOTIFIER_TIMEOUT_MS, subscribeRateLimit: { max: raw.SUBSCRIBE_RATE_LIMIT_MAX, windowMs: 3_600_000 } },
    posters: {
      imageBaseUrl: raw.TMDB_IMAGE_BASE_URL ?? DEFAULT_TMDB_IMAGE_BASE_URL,
      cacheDir: `${(raw.DATA_DIR ?? '.data').replace(/\/+$/, '')}/posters`,
      cacheMaxBytes: raw.POSTER_CACHE_MAX_BYTES,
      fetchTimeoutMs: raw.POSTER_FETCH_TIMEOUT_MS,
    },
  };
}

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

/** An IANA zone Intl knows (Europe/Paris), refused at boot otherwise. */
function cinemaTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError([`CINEMA_TIMEZONE must be an IANA time zone like Europe/Paris, got "${zone}"`]);
  }
  return zone;
}

/** A name a person can read: trimmed, not empty, one line, not too long. */
function cinemaName(name: string): string {
  const trimmed = name.trim();
  // eslint-disable-next-line no-control-regex
  if (trimmed.length === 0 || trimmed.length > CINEMA_NAME_MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new ConfigError([`CINEMA_NAME must be the cinema's name on one line, 1 to ${CINEMA_NAME_MAX_LENGTH} characters`]);
  }
  return trimmed;
}
