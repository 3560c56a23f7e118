import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import type { DkimOptions, MailTransport } from './mail.transport';

/**
 * The trial mode's "relay": each message, built and signed by nodemailer exactly as for SMTP, is
 * written to `<DATA_DIR>/outbox/<UTC time>-<sequence>-<id>.eml`, so `ls` lists them in the order
 * they were sent and any mail program opens them. A file appears whole or not at all (written
 * beside, then renamed), so a reader polling the folder never opens half an email. The name holds
 * no address: only the time and a hash of the Message-ID. Files are the customer's data: owner
 * read/write only.
 */
export class OutboxTransport implements MailTransport {
  readonly kind = 'outbox' as const;
  private readonly transporter: Mail;
  private ready: Promise<unknown> | null = null;
  private sequence = 0;

  constructor(
    private readonly dir: string,
    dkim?: DkimOptions,
  ) {
    this.transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows', ...(dkim ? { dkim } : {}) });
  }

  async deliver(message: SendMailOptions): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true, mode: 0o700 });
    await this.ready;
    const info = (await this.transporter.sendMail(message)) as { message: Buffer; messageId: string };
    const name = this.fileName(info.messageId);
    const temporary = join(this.dir, `.${name}.tmp`);
    try {
      await writeFile(temporary, info.message, { mode: 0o600, flag: 'wx' });
      await rename(temporary, join(this.dir, name));
    } catch (err) {
      await rm(temporary, { force: true });
      throw err;
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }

  private fileName(messageId: string): string {
    const stamp = new Date().toISOString().replace(/[-:.]/g, '');
    const sequence = String(++this.sequence % 1_000_000).padStart(6, '0');
    const id = createHash('sha256').update(messageId).digest('hex').slice(0, 12);
    return `${stamp}-${sequence}-${id}.eml`;
  }
}
