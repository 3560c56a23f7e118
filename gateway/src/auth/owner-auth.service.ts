import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { HttpError } from '../http/http-errors';
import { hashPassword, verifyPassword } from './password-hash';
import type { OwnerRepository } from './owner.repository';

export interface OwnerAuthOptions {
  sessionHours: number;
  maxFailedLogins: number;
  lockoutMinutes: number;
  /** The clock; tests move it instead of sleeping. */
  now?: () => Date;
}

export interface OpenedSession {
  /** The cookie's value; only its sha-256 is stored. */
  token: string;
  email: string;
  csrfToken: string;
  maxAgeSeconds: number;
}

export interface OwnerIdentity {
  ownerId: number;
  email: string;
  csrfToken: string;
}

/** One message for an unknown email and a wrong password: the answer must not tell which. */
export const WRONG_CREDENTIALS = 'wrong email or password';
/** 32 random bytes in base64url: what a session token looks like; anything else is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const sessionTokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

/**
 * The owner's login and sessions. An unknown email costs the same scrypt as a known one (a
 * dummy hash is checked), so neither the answer nor its time tells whether an account exists.
 */
export class OwnerAuthService {
  private readonly now: () => Date;
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly owners: OwnerRepository,
    private readonly options: OwnerAuthOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async login(email: string, password: string): Promise<OpenedSession> {
    const now = this.now();
    const account = await this.owners.findByEmail(email);
    // Always one scrypt, whoever asks; the dummy is made once, with the current cost.
    this.dummyHash ??= hashPassword(newToken());
    const matches = await verifyPassword(password, account?.passwordHash ?? (await this.dummyHash));
    if (account === null) throw new HttpError(401, WRONG_CREDENTIALS);
    if (account.lockedUntil !== null && account.lockedUntil > now) throw this.locked(account.lockedUntil, now);
    if (!matches) {
      const lockedUntil = await this.owners.recordFailure(account.id, this.options.maxFailedLogins, new Date(now.getTime() + this.options.lockoutMinutes * 60_000));
      if (lockedUntil !== null) throw this.locked(lockedUntil, now);
      throw new HttpError(401, WRONG_CREDENTIALS);
    }
    await this.owners.clearFailures(account.id);
    // Expired sessions go when someone logs in: a few rows a day, no timer needed.
    await this.owners.sweepExpired(now);
    const token = newToken();
    const csrfToken = newToken();
    const maxAgeSeconds = Math.round(this.options.sessionHours * 3600);
    await this.owners.createSession({ tokenHash: sessionTokenHash(token), ownerId: account.id, csrfToken, createdAt: now, expiresAt: new Date(now.getTime() + maxAgeSeconds * 1000) });
    return { token, email: account.email, csrfToken, maxAgeSeconds };
  }

  /** The owner behind a session cookie, or null (none, unknown, expired: an expired one is deleted). */
  async session(token: string | undefined): Promise<OwnerIdentity | null> {
    if (token === undefined || !TOKEN_SHAPE.test(token)) return null;
    const tokenHash = sessionTokenHash(token);
    const session = await this.owners.findSession(tokenHash);
    if (session === null) return null;
    if (session.expiresAt <= this.now()) {
      await this.owners.deleteSession(tokenHash);
      return null;
    }
    return { ownerId: session.ownerId, email: session.email, csrfToken: session.csrfToken };
  }

  async logout(token: string | undefined): Promise<void> {
    if (token !== undefined && TOKEN_SHAPE.test(token)) await this.owners.deleteSession(sessionTokenHash(token));
  }

  private locked(until: Date, now: Date): HttpError {
    const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    const minutes = Math.ceil(seconds / 60);
    return new HttpError(429, `too many failed logins: this account is locked for ${minutes} more minute${minutes > 1 ? 's' : ''}`, seconds);
  }
}

/** The CSRF check: constant time, on digests so that a length difference does not show either. */
export function sameToken(given: string | undefined, expected: string): boolean {
  if (given === undefined || given.length === 0) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
