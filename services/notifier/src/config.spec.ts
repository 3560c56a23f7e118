import { ConfigError } from '@cine/common';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_NOTIFIER_PORT, loadNotifierConfig } from './config';

const problems = (env: Record<string, string>): string[] => {
  try {
    loadNotifierConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('notifier config', () => {
  it('runs with nothing set: the outbox, the in-process queue, Wednesday 10:00 in Paris', () => {
    const config = loadNotifierConfig({});
    expect(config).toMatchObject({
      port: DEFAULT_NOTIFIER_PORT,
      redisUrl: undefined,
      smtpUrl: undefined,
      outboxDir: '.data/outbox',
      dkim: null,
      maxPerWeek: 3,
      ratePerMinute: 120,
      schedules: { digestCron: '0 10 * * 3', timezone: 'Europe/Paris' },
    });
  });

  it('stops on a bad value, naming each variable', () => {
    expect(problems({ DIGEST_CRON: 'every wednesday' })).toEqual([expect.stringMatching(/^DIGEST_CRON /)]);
    expect(problems({ DIGEST_CRON: '0 0 10 * * 3' })).toEqual([expect.stringMatching(/^DIGEST_CRON /)]);
    expect(problems({ CINEMA_TIMEZONE: 'Paris' })).toEqual([expect.stringMatching(/^CINEMA_TIMEZONE /)]);
    expect(problems({ NOTIFY_MAX_PER_WEEK: '0', NOTIFIER_PORT: 'x' })).toEqual([expect.stringMatching(/^NOTIFIER_PORT /), expect.stringMatching(/^NOTIFY_MAX_PER_WEEK /)]);
    expect(problems({ SMTP_URL: 'http://relay' })).toEqual([expect.stringMatching(/^SMTP_URL /)]);
    expect(problems({ SMTP_URL: 'smtp://relay:587' })).toEqual([expect.stringMatching(/^MAIL_FROM /), expect.stringMatching(/^CINEMA_ADDRESS /)]);
    expect(problems({ MAIL_FROM: 'Ciné Creuse' })).toEqual([expect.stringMatching(/^MAIL_FROM /)]);
    expect(problems({ DKIM_DOMAIN: 'cine-creuse.fr' })).toEqual([expect.stringMatching(/^DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY_FILE go together/)]);
    expect(problems({ DKIM_DOMAIN: 'cine-creuse.fr', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY_FILE: '/nonexistent/key.pem' })).toEqual([expect.stringMatching(/^DKIM_PRIVATE_KEY_FILE cannot be read/)]);
  });

  it('reads the DKIM key once, when all three are set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'notifier-config-'));
    const file = join(dir, 'dkim.pem');
    writeFileSync(file, '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
    const config = loadNotifierConfig({ DKIM_DOMAIN: 'cine-creuse.fr', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY_FILE: file, PUBLIC_BASE_URL: 'https://cine-creuse.fr/' });
    expect(config.dkim).toEqual({ domainName: 'cine-creuse.fr', keySelector: 's1', privateKey: expect.stringContaining('BEGIN PRIVATE KEY') });
    expect(config.publicBaseUrl).toBe('https://cine-creuse.fr');
  });
});
