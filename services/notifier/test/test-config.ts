import type { NotifierOptions } from '../src/server';

/**
 * The notifier's settings in the tests that start it (its own, the gateway's, the browser's): an
 * in-process queue, a cinema of Guéret, emails to `smtpUrl` or else written to `outboxDir`.
 */
export function testNotifierConfig(mail: { smtpUrl?: string; outboxDir?: string }): NotifierOptions['config'] {
  return {
    publicBaseUrl: 'https://cinema.example',
    redisUrl: undefined,
    jobs: { prefix: 'unused', attempts: 2, backoffMs: 10, lockDurationMs: 30_000, stalledIntervalMs: 30_000 },
    smtpUrl: mail.smtpUrl,
    outboxDir: mail.outboxDir ?? '/nonexistent-outbox',
    mailFrom: '"Ciné Creuse" <programme@cinema.example>',
    cinemaName: 'Ciné Creuse',
    cinemaAddress: '1 place du Marché, 23000 Guéret',
    dkim: null,
    ratePerMinute: 6000,
    schedules: { digestCron: '0 10 * * 3', retentionCron: '30 3 * * *', catchUpCron: '15 8-20 * * *', timezone: 'Europe/Paris' },
  };
}
