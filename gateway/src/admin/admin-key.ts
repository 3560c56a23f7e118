import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpError } from '../http/http-errors';

export const ADMIN_KEY_HEADER = 'x-api-key';

/**
 * The admin key check. Both sides are hashed first so the comparison always runs on two
 * 32-byte digests: `timingSafeEqual` needs equal lengths, and comparing the raw strings would
 * leak the key's length. Without a configured key the admin API is off (503), never open.
 */
export function adminKeyCheck(configured: string | undefined): (given: string | string[] | undefined) => void {
  const expected = configured === undefined ? null : digest(configured);
  return (given) => {
    if (expected === null) throw new HttpError(503, 'admin API disabled: ADMIN_API_KEY is not set on this install');
    const value = Array.isArray(given) ? given[0] : given;
    if (value === undefined || value.length === 0) throw new HttpError(401, 'missing X-Api-Key header');
    if (!timingSafeEqual(digest(value), expected)) throw new HttpError(401, 'wrong X-Api-Key');
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
