import type { MatchedFilm } from '@cine/common';

/**
 * What the rest of the notifier asks of the mail module (composition and sending), fixed first
 * so the jobs and the mail module could be written side by side.
 */

/** The cinema as the sender's identity, and where links point. */
export interface MailIdentity {
  cinemaName: string;
  /** Postal address, shown in every email's footer. */
  cinemaAddress: string;
  /** `MAIL_FROM`: `"Ciné Creuse" <programme@cine-creuse.fr>`. */
  from: string;
  /** `PUBLIC_BASE_URL`, no trailing slash: every link and poster is absolute. */
  publicBaseUrl: string;
  /** The cinema's IANA time zone, in which séance times are written; Europe/Paris when unset. */
  timeZone?: string;
}

/** Links every email but the confirmation carries; each token is scoped and stored hashed. */
export interface SubscriberLinks {
  /** `${PUBLIC_BASE_URL}/abonnement#<manage token>`: the token stays out of logs and Referer. */
  manageUrl: string;
  /** `${PUBLIC_BASE_URL}/u/<unsubscribe token>`: List-Unsubscribe, RFC 8058 one-click POST. */
  unsubscribeUrl: string;
}

export type MailView =
  | {
      kind: 'confirmation';
      /** `${PUBLIC_BASE_URL}/abonnement/confirmer#<confirm token>`: a page whose button confirms (POST). */
      confirmUrl: string;
    }
  | {
      /** A subscription request for an address already confirmed: its manage link, nothing else. */
      kind: 'already-subscribed';
      manageUrl: string;
    }
  | ({ kind: 'alert'; film: MatchedFilm } & SubscriberLinks)
  | ({ kind: 'digest'; week: string; films: MatchedFilm[] } & SubscriberLinks)
  | ({
      kind: 'cancellation';
      film: { tconst: string; title: string };
      screening: { id: string; startsAt: string; room: string };
    } & SubscriberLinks);

export interface ComposedMail {
  subject: string;
  text: string;
  html: string;
}

export interface OutgoingMail extends ComposedMail {
  to: string;
  /** List-Unsubscribe (https) with List-Unsubscribe-Post: List-Unsubscribe=One-Click; none on a confirmation. */
  unsubscribeUrl: string | null;
  /**
   * The notifier's ledger key (unique per subscriber, kind, film or week): the Message-ID is made
   * from it, so a resend after a crash between the SMTP answer and the ledger write carries the
   * same Message-ID.
   */
  key: string;
}

export type SendResult =
  | { outcome: 'sent'; messageId: string }
  /** On the suppression list (checked just before sending): nothing was sent. */
  | { outcome: 'suppressed' }
  /** A permanent refusal (5xx): the address is now suppressed, never retried. */
  | { outcome: 'rejected'; code: number | null };

/** Thrown when every retry of a temporary failure (4xx, timeout, connection) was used up. */
export class MailTemporaryFailure extends Error {
  constructor(
    message: string,
    readonly code: number | null,
  ) {
    super(message);
    this.name = 'MailTemporaryFailure';
  }
}

/** The suppression list as the sender sees it (the notifier's repository implements it). */
export interface SuppressionList {
  isSuppressed(emailHash: Buffer): Promise<boolean>;
  suppress(emailHash: Buffer, reason: 'bounced'): Promise<void>;
}

export interface MailSender {
  send(mail: OutgoingMail): Promise<SendResult>;
  close(): Promise<void>;
}

/**
 * Thrown on a permanent refusal that is not about the address (our login, our sender address, a
 * policy verdict on the content): the address is kept, and no retry inside the sender would help.
 * The job may fail and be retried later by its queue, by which time the operator may have fixed it.
 */
export class MailRefused extends Error {
  constructor(
    message: string,
    readonly code: number | null,
  ) {
    super(message);
    this.name = 'MailRefused';
  }
}
