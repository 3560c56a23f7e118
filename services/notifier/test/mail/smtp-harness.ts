import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createLogger } from '@cine/common';
import type { SuppressionList } from '../../src/mail/mail.contract';

/**
 * A real SMTP server for the mail tests (`smtp-server`, the nodemailer project's own), on a free
 * port of the loopback, that records what a relay would see: every MAIL FROM and RCPT TO, and
 * every message accepted, raw (for the DKIM check) and parsed with mailparser. `rcpt` decides the
 * answer to each RCPT TO, so a test can play a greylisting relay (451 then 250) or a dead mailbox
 * (550).
 */
export interface Received {
  raw: Buffer;
  parsed: ParsedMail;
  envelopeFrom: string;
  recipients: string[];
  /** performance.now() when the end of DATA arrived. */
  at: number;
}

export type RcptAnswer = { code: number; message: string } | null;

export interface SmtpHarness {
  port: number;
  url: string;
  received: Received[];
  mailFrom: string[];
  rcptTo: string[];
  /** Replaces how RCPT TO is answered (null: 250 accepted). */
  answerRcpt(answer: (address: string, attempt: number) => RcptAnswer): void;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<SmtpHarness> {
  const received: Received[] = [];
  const mailFrom: string[] = [];
  const rcptTo: string[] = [];
  let answer: (address: string, attempt: number) => RcptAnswer = () => null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'test relay',
    onMailFrom(address, _session, callback) {
      mailFrom.push(address.address);
      callback();
    },
    onRcptTo(address, _session, callback) {
      rcptTo.push(address.address);
      const attempt = rcptTo.filter((a) => a === address.address).length;
      const refusal = answer(address.address, attempt);
      if (!refusal) return callback();
      const err = Object.assign(new Error(refusal.message), { responseCode: refusal.code });
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const at = performance.now();
        simpleParser(raw).then(
          (parsed) => {
            received.push({
              raw,
              parsed,
              at,
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              recipients: session.envelope.rcptTo.map((r) => r.address),
            });
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    mailFrom,
    rcptTo,
    answerRcpt(next) {
      answer = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The suppression list as the notifier's repository keeps it (hashes only), in memory. */
export class MemorySuppressionList implements SuppressionList {
  readonly hashes = new Set<string>();
  readonly suppressed: Array<{ hash: string; reason: string }> = [];
  reads = 0;

  async isSuppressed(emailHash: Buffer): Promise<boolean> {
    this.reads++;
    return this.hashes.has(emailHash.toString('hex'));
  }

  async suppress(emailHash: Buffer, reason: 'bounced'): Promise<void> {
    this.hashes.add(emailHash.toString('hex'));
    this.suppressed.push({ hash: emailHash.toString('hex'), reason });
  }
}

/** A logger whose lines the test can read back (to check no address or token is logged). */
export function captureLogger() {
  const lines: string[] = [];
  const logger = createLogger('notifier-mail-test', { level: 'debug', destination: { write: (line: string) => void lines.push(line) } });
  return { logger, lines };
}
