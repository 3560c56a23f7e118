import { dkimOptions, type MailTransport, type MailTransportOptions } from './mail.transport';
import { OutboxTransport } from './outbox.transport';
import { SmtpTransport } from './smtp.transport';

/** The relay when `smtpUrl` is set, the outbox folder otherwise; a bad DKIM key stops here. */
export function createMailTransport(options: MailTransportOptions): MailTransport {
  const dkim = options.dkim ? dkimOptions(options.dkim) : undefined;
  if (!options.smtpUrl) return new OutboxTransport(options.outboxDir, dkim);
  return new SmtpTransport(options.smtpUrl, options, dkim);
}
