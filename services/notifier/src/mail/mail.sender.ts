import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@cine/common';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import { type MailIdentity, MailRefused, type MailSender, MailTemporaryFailure, type OutgoingMail, type SendResult, type SuppressionList } from './mail.contract';
import type { MailTransport, MailTransportOptions } from './mail.transport';
import { createMailTransport } from './transports';
import { SendRate } from './send-rate';
import { classifyFailure } from './smtp-failure';

export interface RetryPolicy {
  /** Attempts in all, the first included (default 4). */
  attempts: number;
  /** The wait after the first failure; it doubles after each (default 2 s). */
  baseDelayMs: number;
  /** No wait is longer (default 30 s). */
  maxDelayMs: number;
}

export interface SenderOptions {
  identity: MailIdentity;
  transport: MailTransport;
  suppression: SuppressionList;
  logger: Logger;
  /** The process's one send rate, shared by every caller of this sender. */
  rate: SendRate;
  retry?: Partial<RetryPolicy>;
  /** 0 ≤ x < 1; the jitter's source (a test makes it fixed). */
  random?: () => number;
}

/** The address's key on the suppression list: it outlives an erasure, so it is only ever a hash. */
export function emailHash(address: string): Buffer {
  return createHash('sha256').update(address.trim().toLowerCase(), 'utf8').digest();
}

/**
 * Sends one email the careful way: the suppression list read just before, one pace for the whole
 * process, retries with backoff for what may pass (4xx, timeouts, connections), the address
 * suppressed on a permanent refusal of the mailbox, and logs that say which kind of email and
 * which SMTP code, never to whom or with which link.
 *
 * Headers, and why:
 * - From is the cinema (`MAIL_FROM`, the cinema's name as display name). No Sender: RFC 5322 says
 *   not to add one that repeats From. The envelope sender is the same address, so bounces that
 *   arrive later come back to the cinema.
 * - Message-ID comes from the ledger key, so a resend of the same email (a crash between the
 *   relay's answer and the ledger write) carries the same id and mail clients show it once.
 * - List-Unsubscribe <https://…/u/token> and List-Unsubscribe-Post: List-Unsubscribe=One-Click
 *   (RFC 8058, which Gmail and Yahoo require of bulk senders), on every email but the confirmation
 *   and the "already subscribed" notice, which are not a list. The one-click field only with an
 *   https link (RFC 8058 section 3.1).
 * - Auto-Submitted: auto-generated (RFC 3834 section 5): every email here is made by a program,
 *   none answers a message (that would be auto-replied), and the field tells vacation responders
 *   not to answer a mailbox nobody reads. X-Auto-Response-Suppress asks the same of Exchange,
 *   which ignores RFC 3834.
 * - No tracking pixel, no open or click tracking: nothing in the email reports back.
 */
export class TransportMailSender implements MailSender {
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly from: { name: string; address: string };
  private closed = false;

  constructor(private readonly options: SenderOptions) {
    this.retry = { attempts: 4, baseDelayMs: 2_000, maxDelayMs: 30_000, ...options.retry };
    this.random = options.random ?? Math.random;
    this.from = parseFrom(options.identity.from, options.identity.cinemaName);
  }

  async send(mail: OutgoingMail): Promise<SendResult> {
    if (this.closed) throw new Error('The mail sender is closed');
    const { logger, suppression, transport, rate } = this.options;
    const kind = keyKind(mail.key);
    const hash = emailHash(mail.to);
    if (await suppression.isSuppressed(hash)) {
      logger.info({ kind }, 'email not sent: the address is on the suppression list');
      return { outcome: 'suppressed' };
    }
    const messageId = this.messageId(mail.key);
    const message = this.message(mail, messageId);
    for (let attempt = 1; ; attempt++) {
      await rate.take();
      try {
        await transport.deliver(message);
        logger.info({ kind, attempt, transport: transport.kind }, 'email sent');
        return { outcome: 'sent', messageId };
      } catch (err) {
        const failure = classifyFailure(err);
        const fields = { kind, attempt, smtpCode: failure.code, reason: failure.reason };
        if (failure.kind === 'recipient') {
          await suppression.suppress(hash, 'bounced');
          logger.warn(fields, 'email refused for good by the relay: the address is now suppressed');
          return { outcome: 'rejected', code: failure.code };
        }
        if (failure.kind === 'refused') {
          logger.error(fields, 'email refused by the relay for a reason that is not the address');
          throw new MailRefused(`The relay refused the email (${failure.code}); the address is kept`, failure.code);
        }
        if (failure.kind === 'other') {
          logger.error(fields, 'email could not be handed over');
          // The error's text may quote the message or its address; the class and code are kept.
          throw new Error(`The email could not be handed over (${failure.reason ?? 'unknown error'})`);
        }
        // Stopping (SIGTERM): no more tries here; the job is retried by its queue after the restart.
        if (attempt >= this.retry.attempts || this.closed) {
          logger.warn(fields, 'email not sent: temporary failures used every attempt');
          throw new MailTemporaryFailure(`The relay did not take the email after ${attempt} attempt${attempt > 1 ? 's' : ''} (${failure.code ?? failure.reason ?? 'no answer'})`, failure.code);
        }
        const delayMs = this.backoff(attempt);
        logger.info({ ...fields, delayMs }, 'temporary failure: trying again');
        await sleep(delayMs);
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.options.transport.close();
  }

  /** Exponential, with "equal jitter": at least half the step, so retries never bunch at zero. */
  private backoff(attempt: number): number {
    const step = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(step / 2 + (this.random() * step) / 2);
  }

  private messageId(key: string): string {
    const id = createHash('sha256').update(`cine-notifier:${key}`).digest('hex').slice(0, 40);
    return `<${id}@${this.from.address.split('@')[1] ?? 'localhost'}>`;
  }

  private message(mail: OutgoingMail, messageId: string): SendMailOptions {
    const headers: Record<string, string> = {
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'OOF, AutoReply',
    };
    const unsubscribe = httpsOrHttp(mail.unsubscribeUrl);
    if (unsubscribe) {
      headers['List-Unsubscribe'] = `<${unsubscribe.href}>`;
      if (unsubscribe.protocol === 'https:') headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    return {
      from: this.from,
      to: mail.to,
      envelope: { from: this.from.address, to: mail.to },
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId,
      headers,
      textEncoding: 'quoted-printable',
      // The HTML and text are ours: nodemailer must not fetch a URL or read a file named in them.
      disableFileAccess: true,
      disableUrlAccess: true,
    };
  }
}

export interface MailSenderOptions extends MailTransportOptions {
  identity: MailIdentity;
  ratePerMinute: number;
  retry?: Partial<RetryPolicy>;
}

/** The notifier's sender: SMTP when `smtpUrl` is set, the outbox folder otherwise. */
export function createMailSender(options: MailSenderOptions, deps: { suppression: SuppressionList; logger: Logger }): TransportMailSender {
  const transport = createMailTransport(options);
  return new TransportMailSender({
    identity: options.identity,
    transport,
    suppression: deps.suppression,
    logger: deps.logger,
    rate: new SendRate(options.ratePerMinute),
    ...(options.retry ? { retry: options.retry } : {}),
  });
}

/** The key's leading word (`alert:…` → alert): what a log line may say about an email. */
function keyKind(key: string): string {
  return /^[a-z][a-z-]{0,30}/.exec(key)?.[0] ?? 'email';
}

function httpsOrHttp(value: string | null): URL | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** `"Ciné Creuse" <programme@…>` or a bare address (then the cinema's name is shown). */
export function parseFrom(from: string, cinemaName: string): { name: string; address: string } {
  const match = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<]*?))\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(from);
  if (match) return { name: (match[1] ?? match[2] ?? '').replace(/\\(.)/g, '$1').trim() || cinemaName, address: match[3]! };
  return { name: cinemaName, address: from.trim() };
}
