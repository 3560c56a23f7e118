import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';

/**
 * The owner's passwords: scrypt from Node's crypto, no native addon. Stored as
 * `scrypt$N$r$p$salt$hash` (salt and hash in base64), so a later raise of N still verifies the
 * hashes written before it.
 */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
}

/**
 * 2^15 × r 8: 32 MiB and some 0.1 s per hash on a small machine. OWASP's cheat sheet asks 2^17
 * (128 MiB); a few concurrent logins at that cost would weigh on the small box the cinema runs,
 * and the login is rate limited and locked out after a few failures. Raise it here: old hashes
 * carry their own N and still verify.
 */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** The least a chosen password may have; the generated ones are longer. */
export const MIN_PASSWORD_LENGTH = 12;
/** Hashes with a cost above this are refused rather than computed: a damaged row must not stall the gateway. */
const MAX_N = 2 ** 20;

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  // scrypt needs 128 × N × r bytes; Node's default ceiling (32 MiB) is exactly 2^15 × 8, too tight.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, params, KEY_BYTES);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface Decoded {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

export function decodeHash(encoded: string): Decoded | null {
  const parts = encoded.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const powerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || N > MAX_N || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return null;
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  if (salt.length < 8 || key.length < 16) return null;
  return { params: { N, r, p }, salt, key };
}

/** True when `password` is the one `encoded` was made from; false for any other or a malformed hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const decoded = decodeHash(encoded);
  if (decoded === null) return false;
  const key = await derive(password, decoded.salt, decoded.params, decoded.key.length);
  return timingSafeEqual(key, decoded.key);
}

/**
 * A password for the owner to type once and change: 20 characters from an alphabet without the
 * look-alikes (0/O, 1/l/I), about 115 bits.
 */
export function generatePassword(length = 20): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  // 256 is not a multiple of the alphabet's size: reject the bytes past the last full round.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** Why a chosen password is refused (in French: the owner CLI shows it), or null. */
export function passwordProblem(password: string): string | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return `le mot de passe doit avoir au moins ${MIN_PASSWORD_LENGTH} caractères`;
  if (password.trim() !== password) return 'le mot de passe ne doit ni commencer ni finir par une espace';
  return null;
}
