import { readFileSync } from 'node:fs';
import { ConfigError, DEFAULT_CATCH_UP_CRON, DEFAULT_DIGEST_CRON, DEFAULT_RETENTION_CRON, type Env, env, LOG_LEVELS, type LogLevel, parseEnv } from '@cine/common';
import { nextOccurrence } from './schedule/next-occurrence';

export interface DkimConfig {
  domainName: string;
  keySelector: string;
  /** The PEM text, read once at boot (never logged). */
  privateKey: string;
}

export interface NotifierConfig {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  /** Embedded PGlite files, when DATABASE_URL is unset. */
  pgliteDir: string;
  /** Unset: the notify jobs run in this process (the embedded `npm start`). */
  redisUrl: string | undefined;
  jobs: { prefix: string; attempts: number; backoffMs: number; lockDurationMs: number; stalledIntervalMs: number };
  /** Links in emails: `${publicBaseUrl}/abonnement#…`, no trailing slash. */
  publicBaseUrl: string;
  /** Unset: emails are written as .eml files to `outboxDir`. */
  smtpUrl: string | undefined;
  outboxDir: string;
  mailFrom: string;
  cinemaName: string;
  cinemaAddress: string;
  dkim: DkimConfig | null;
  maxPerWeek: number;
  /**
   * How long a sender's claim on an email holds before another may take it over: longer than one
   * email's slowest send with its retries, so a live sender is never doubled; a worker killed
   * mid-send leaves that one email to the job's retry after it.
   */
  claimLeaseMs: number;
  ratePerMinute: number;
  schedules: { digestCron: string; retentionCron: string; catchUpCron: string; timezone: string };
  recommenderUrl: string;
  logLevel: LogLevel;
}

/** Port 8083: the gateway has 8080, the recommender 8081, the etl-worker's health 8082. */
export const DEFAULT_NOTIFIER_PORT = 8083;

/** The notifier's environment, validated once at boot: a bad value stops the process naming the variable. */
export function loadNotifierConfig(source: Env = process.env): NotifierConfig {
  const e = parseEnv(
    {
      HOST: env.string({ default: '0.0.0.0' }),
      NOTIFIER_PORT: env.int({ default: DEFAULT_NOTIFIER_PORT, min: 0, max: 65535 }),
      DATABASE_URL: env.url({ protocols: ['postgres', 'postgresql'] }),
      REDIS_URL: env.url({ protocols: ['redis', 'rediss'] }),
      // The BullMQ key prefix every service shares (the gateway enqueues notify jobs under it).
      ETL_QUEUE_PREFIX: env.string({ default: 'bull' }),
      NOTIFY_JOB_ATTEMPTS: env.int({ default: 5, min: 1, max: 20 }),
      NOTIFY_JOB_BACKOFF_MS: env.int({ default: 60_000, min: 0, max: 3_600_000 }),
      NOTIFY_LOCK_DURATION_MS: env.int({ default: 60_000, min: 1000, max: 3_600_000 }),
      PUBLIC_BASE_URL: env.url({ protocols: ['http', 'https'], default: 'http://localhost:8080' }),
      SMTP_URL: env.url({ protocols: ['smtp', 'smtps'] }),
      MAIL_FROM: env.string(),
      CINEMA_NAME: env.string({ default: 'Ciné Creuse' }),
      CINEMA_ADDRESS: env.string(),
      DKIM_DOMAIN: env.string(),
      DKIM_SELECTOR: env.string(),
      DKIM_PRIVATE_KEY_FILE: env.string(),
      NOTIFY_MAX_PER_WEEK: env.int({ default: 3, min: 1, max: 50 }),
      NOTIFY_CLAIM_LEASE_MS: env.int({ default: 600_000, min: 1000, max: 86_400_000 }),
      NOTIFY_RATE_PER_MINUTE: env.int({ default: 120, min: 1, max: 100_000 }),
      DIGEST_CRON: env.string({ default: DEFAULT_DIGEST_CRON }),
      MATCH_CATCH_UP_CRON: env.string({ default: DEFAULT_CATCH_UP_CRON }),
      CINEMA_TIMEZONE: env.string({ default: 'Europe/Paris' }),
      DATA_DIR: env.string({ default: '.data' }),
      RECOMMENDER_URL: env.url({ protocols: ['http', 'https'], default: 'http://127.0.0.1:8081' }),
      LOG_LEVEL: env.oneOf<LogLevel>(LOG_LEVELS, { default: 'info' }),
    },
    source,
  );
  const problems: string[] = [];
  const timezone = e.CINEMA_TIMEZONE!;
  if (!isTimeZone(timezone)) problems.push(`CINEMA_TIMEZONE must be an IANA time zone such as Europe/Paris, got "${timezone}"`);
  const digestCron = e.DIGEST_CRON!;
  if (!isCron(digestCron, isTimeZone(timezone) ? timezone : 'UTC')) problems.push(`DIGEST_CRON must be a cron pattern such as "${DEFAULT_DIGEST_CRON}", got "${digestCron}"`);
  const catchUpCron = e.MATCH_CATCH_UP_CRON!;
  if (!isCron(catchUpCron, isTimeZone(timezone) ? timezone : 'UTC')) {
    problems.push(`MATCH_CATCH_UP_CRON must be a cron pattern such as "${DEFAULT_CATCH_UP_CRON}", got "${catchUpCron}"`);
  }
  // Real mail leaves the building: who sends it and from where must be said, not defaulted.
  if (e.SMTP_URL && !e.MAIL_FROM) problems.push('MAIL_FROM is required with SMTP_URL (e.g. "Ciné Creuse" <programme@cine-creuse.fr>)');
  if (e.SMTP_URL && !e.CINEMA_ADDRESS) problems.push('CINEMA_ADDRESS is required with SMTP_URL (the postal address every email shows)');
  if (e.MAIL_FROM && !/<[^<>@\s]+@[^<>@\s]+>\s*$|^[^<>@\s]+@[^<>@\s]+$/.test(e.MAIL_FROM.trim())) {
    problems.push(`MAIL_FROM must be an address, or a name and <address>, got "${e.MAIL_FROM}"`);
  }
  const dkim = readDkim(e.DKIM_DOMAIN, e.DKIM_SELECTOR, e.DKIM_PRIVATE_KEY_FILE, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = e.DATA_DIR!.replace(/\/+$/, '');
  const cinemaName = e.CINEMA_NAME!;
  return {
    host: e.HOST!,
    port: e.NOTIFIER_PORT,
    databaseUrl: e.DATABASE_URL,
    pgliteDir: `${dataDir}/pglite`,
    redisUrl: e.REDIS_URL,
    jobs: {
      prefix: e.ETL_QUEUE_PREFIX!,
      attempts: e.NOTIFY_JOB_ATTEMPTS,
      backoffMs: e.NOTIFY_JOB_BACKOFF_MS,
      lockDurationMs: e.NOTIFY_LOCK_DURATION_MS,
      stalledIntervalMs: 30_000,
    },
    publicBaseUrl: e.PUBLIC_BASE_URL!.replace(/\/+$/, ''),
    smtpUrl: e.SMTP_URL,
    outboxDir: `${dataDir}/outbox`,
    mailFrom: e.MAIL_FROM ?? `"${cinemaName.replace(/"/g, '')}" <programme@localhost>`,
    cinemaName,
    cinemaAddress: e.CINEMA_ADDRESS ?? 'Adresse du cinéma à renseigner (CINEMA_ADDRESS)',
    dkim,
    maxPerWeek: e.NOTIFY_MAX_PER_WEEK,
    claimLeaseMs: e.NOTIFY_CLAIM_LEASE_MS,
    ratePerMinute: e.NOTIFY_RATE_PER_MINUTE,
    schedules: { digestCron, retentionCron: DEFAULT_RETENTION_CRON, catchUpCron, timezone },
    recommenderUrl: e.RECOMMENDER_URL!.replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
  };
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function isCron(pattern: string, timezone: string): boolean {
  // Five fields: minute to weekday. A sixth (seconds) would let a typo fire every second.
  if (pattern.trim().split(/\s+/).length !== 5) return false;
  try {
    nextOccurrence(pattern, timezone, new Date());
    return true;
  } catch {
    return false;
  }
}

/** DKIM signs only when all three are set; one or two of them is a mistake, not a choice. */
function readDkim(domain: string | undefined, selector: string | undefined, keyFile: string | undefined, problems: string[]): DkimConfig | null {
  const given = [domain, selector, keyFile].filter((v) => v !== undefined).length;
  if (given === 0) return null;
  if (given < 3) {
    problems.push('DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE go together: set all three or none');
    return null;
  }
  let privateKey: string;
  try {
    privateKey = readFileSync(keyFile!, 'utf8');
  } catch (err) {
    problems.push(`DKIM_PRIVATE_KEY_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return null;
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(privateKey)) {
    problems.push('DKIM_PRIVATE_KEY_FILE must hold a PEM private key');
    return null;
  }
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(domain!)) problems.push(`DKIM_DOMAIN must be a domain name, got "${domain}"`);
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/i.test(selector!)) problems.push(`DKIM_SELECTOR must be a DNS label, got "${selector}"`);
  return { domainName: domain!, keySelector: selector!, privateKey };
}
