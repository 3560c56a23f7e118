/** The notifier's mail module: what the jobs call to compose and send an email. */
export * from './mail.contract';
export { composeMail } from './mail.compose';
export { createMailSender, emailHash, TransportMailSender, type MailSenderOptions, type RetryPolicy, type SenderOptions } from './mail.sender';
export { DKIM_SIGNED_HEADERS, type DkimKey, type MailTransport, type MailTransportOptions } from './mail.transport';
export { createMailTransport } from './transports';
export { SendRate } from './send-rate';
