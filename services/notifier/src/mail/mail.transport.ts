import { createPrivateKey } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer/lib/mailer';

/**
 * Where composed messages go: an SMTP relay (`SMTP_URL`, pooled connections) or, with no relay
 * configured (the embedded `npm start`), `.eml` files in `DATA_DIR/outbox`. Both go through
 * nodemailer, which builds the MIME message and signs it (DKIM) the same way for either, so the
 * trial's files are the very bytes a relay would have received.
 *
 * This is the mail module's only I/O with the outside (its repository, in the project's words):
 * it hands one message over and reports nodemailer's error as it is; deciding what an error means
 * (retry, suppress, give up) is the sender's.
 */
export interface MailTransport {
  readonly kind: 'smtp' | 'outbox';
  deliver(message: SendMailOptions): Promise<void>;
  close(): Promise<void>;
}

export interface DkimKey {
  /** `DKIM_DOMAIN`: the d= of the signature, the domain that publishes `<selector>._domainkey`. */
  domainName: string;
  /** `DKIM_SELECTOR`. */
  keySelector: string;
  /** The PEM private key (the contents of `DKIM_PRIVATE_KEY_FILE`). */
  privateKey: string;
}

export interface MailTransportOptions {
  /** smtp:// (STARTTLS when offered) or smtps:// (TLS from the start), user:password@ if any. */
  smtpUrl?: string | null;
  /** `<DATA_DIR>/outbox`, used when there is no `smtpUrl`. */
  outboxDir: string;
  dkim?: DkimKey | null;
  /** Pooled SMTP connections kept open across sends (default 3). */
  maxConnections?: number;
  /** Milliseconds to open a connection, to get the greeting, of silence on the socket. */
  timeouts?: { connectionMs?: number; greetingMs?: number; socketMs?: number };
}

/**
 * The header fields the DKIM signature covers. nodemailer's default list already holds
 * List-Unsubscribe-Post since 10.x, but RFC 8058 (section 4) makes one-click unsubscribe count only
 * when the signature covers both List-Unsubscribe fields, so the list is ours and a change of the
 * library's default cannot quietly drop them. Auto-Submitted is signed too: a forged copy must not
 * be able to remove it.
 */
export const DKIM_SIGNED_HEADERS = [
  'From',
  'Sender',
  'Reply-To',
  'To',
  'Subject',
  'Date',
  'Message-ID',
  'MIME-Version',
  'Content-Type',
  'Content-Transfer-Encoding',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'Auto-Submitted',
].join(':');

/**
 * nodemailer's signer answers `false` on a key it cannot use and sends the message unsigned, so a
 * broken key file would only show as mail landing in spam; it is refused here, at boot.
 */
export function dkimOptions(key: DkimKey) {
  try {
    const parsed = createPrivateKey(key.privateKey);
    if (parsed.asymmetricKeyType !== 'rsa') throw new Error('not RSA');
  } catch {
    throw new Error('The DKIM private key is not a readable RSA private key (PEM)');
  }
  return { domainName: key.domainName, keySelector: key.keySelector, privateKey: key.privateKey, headerFieldNames: DKIM_SIGNED_HEADERS };
}

export type DkimOptions = ReturnType<typeof dkimOptions>;
