import { createHash, randomBytes } from 'node:crypto';
import { CONSENT_WORDING, type ConsentPurpose, LEARNING_CONSENT_WORDING } from '@cine/common';

/** 256 random bits per token (the issue asks ≥ 128), base64url: safe in a path and a URL fragment. */
const TOKEN_BYTES = 32;

/** The address as the unique key and the suppression list know it: SHA-256 of the trimmed, lower-cased text (one definition, the sender's). */
export { emailHash } from '../mail/mail.sender';

/** A new link token and the hash kept of it; the token itself goes into one email and nowhere else. */
export function newToken(): { token: string; hash: Buffer } {
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, hash: tokenHash(token) };
}

export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** A token as our links carry it: anything else is not looked up at all. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** The hex SHA-256 of a consent wording version's exact text, for its purpose: what the proof of consent keeps. */
export function consentSha256(version: string, purpose: ConsentPurpose = 'emails'): string | null {
  const text = (purpose === 'emails' ? CONSENT_WORDING : LEARNING_CONSENT_WORDING)[version];
  return text === undefined ? null : createHash('sha256').update(text, 'utf8').digest('hex');
}
