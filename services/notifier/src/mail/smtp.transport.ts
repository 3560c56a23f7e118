import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import type { DkimOptions, MailTransport, MailTransportOptions } from './mail.transport';

/** The relay: nodemailer's pooled SMTP transport, signing each message when a DKIM key is set. */
export class SmtpTransport implements MailTransport {
  readonly kind = 'smtp' as const;
  private readonly transporter: Mail;

  constructor(smtpUrl: string, options: MailTransportOptions, dkim: DkimOptions | undefined) {
    const url = new URL(smtpUrl);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`SMTP_URL must use smtp or smtps, got "${url.protocol}"`);
    const auth = url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined;
    this.transporter = nodemailer.createTransport({
      pool: true,
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      ...(url.port ? { port: Number(url.port) } : {}),
      secure: url.protocol === 'smtps:',
      ...(auth ? { auth } : {}),
      maxConnections: options.maxConnections ?? 3,
      // The sender paces itself (one rate for the whole process); the pool must not add its own.
      maxMessages: 100,
      connectionTimeout: options.timeouts?.connectionMs ?? 30_000,
      greetingTimeout: options.timeouts?.greetingMs ?? 30_000,
      socketTimeout: options.timeouts?.socketMs ?? 60_000,
      // nodemailer logs nothing unless given a logger; its own lines would carry addresses.
      logger: false,
      ...(dkim ? { dkim } : {}),
    });
  }

  async deliver(message: SendMailOptions): Promise<void> {
    await this.transporter.sendMail(message);
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
