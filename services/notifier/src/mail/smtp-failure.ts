/**
 * What an error from the transport means for the address and for the send, read only from the
 * SMTP reply code, its enhanced status code and the command it answered — never from the text,
 * which often repeats the address and must not reach a log.
 *
 * - `temporary`: a 4xx reply, a timeout, a dropped or refused connection. Worth another try.
 * - `recipient`: a 5xx about this mailbox (refused at RCPT TO, or after DATA with an enhanced
 *   status saying the destination address is bad (5.1.x but the sender's 5.1.7/5.1.8) or its
 *   mailbox unusable (5.2.0–5.2.2); a 5.2.3 "message too long" is about us). The address goes on the suppression
 *   list: writing again to a dead mailbox is what gets a sender blocked.
 * - `refused`: any other 5xx (our login, our sender address, a policy or spam verdict on the
 *   content). Not the customer's fault, so their address is kept; not worth retrying now either.
 * - `other`: anything else (a file that could not be written, a bad option): thrown as it is.
 */
export type FailureKind = 'temporary' | 'recipient' | 'refused' | 'other';

export interface Failure {
  kind: FailureKind;
  /** The SMTP reply code, when there was one. */
  code: number | null;
  /** nodemailer's error code or the system's (ETIMEDOUT, ECONNECTION…), safe to log. */
  reason: string | null;
}

const NETWORK = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

interface SmtpError {
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
}

export function classifyFailure(err: unknown): Failure {
  const e = (typeof err === 'object' && err !== null ? err : {}) as SmtpError;
  const code = typeof e.responseCode === 'number' && e.responseCode >= 200 && e.responseCode < 600 ? e.responseCode : null;
  const reason = typeof e.code === 'string' ? e.code : null;
  if (code !== null && code >= 400 && code < 500) return { kind: 'temporary', code, reason };
  if (code !== null && code >= 500) {
    const command = typeof e.command === 'string' ? e.command.toUpperCase() : '';
    if (command.startsWith('RCPT')) return { kind: 'recipient', code, reason };
    if (typeof e.response === 'string' && aboutTheMailbox(e.response)) return { kind: 'recipient', code, reason };
    return { kind: 'refused', code, reason };
  }
  const original = typeof e.originalCode === 'string' ? e.originalCode : null;
  if ((reason && NETWORK.has(reason)) || (original && NETWORK.has(original))) return { kind: 'temporary', code, reason: reason ?? original };
  return { kind: 'other', code, reason };
}

/** RFC 3463 enhanced status codes that are about the destination mailbox. */
function aboutTheMailbox(response: string): boolean {
  const match = /^\d{3}[ -]5\.(\d{1,3})\.(\d{1,3})\b/.exec(response);
  if (!match) return false;
  const subject = Number(match[1]);
  const detail = Number(match[2]);
  if (subject === 1) return detail !== 7 && detail !== 8;
  return subject === 2 && detail <= 2;
}
