import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/http-errors';
import { ADMIN_KEY_HEADER, adminKeyCheck } from '../admin/admin-key';
import { type OwnerAuthService, type OwnerIdentity, sameToken } from './owner-auth.service';

export const OWNER_COOKIE = 'cine_owner';
export const CSRF_HEADER = 'x-csrf-token';

/** OpenAPI: an admin route opens with either. */
export const OWNER_OR_KEY_SECURITY: Array<Record<string, string[]>> = [{ apiKey: [] }, { ownerSession: [] }];
export const OWNER_SESSION_SCHEME = { type: 'apiKey', in: 'cookie', name: OWNER_COOKIE } as const;

export type AdminGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

const owners = new WeakMap<FastifyRequest, OwnerIdentity>();

/** The owner a request's session belongs to; undefined when it came with the key. */
export function ownerOf(request: FastifyRequest): OwnerIdentity | undefined {
  return owners.get(request);
}

/**
 * The admin routes' guard, as an `onRequest` hook (before the body is validated: a caller without
 * credentials learns nothing about its rules) or a `preHandler`. The X-Api-Key, when sent, decides
 * alone (the scripts' way in); otherwise the owner's session cookie, and for any method but
 * GET/HEAD the session's CSRF token in X-CSRF-Token, since a browser sends the cookie by itself.
 * Neither: the key check's answer (401, or 503 when no key is set and nobody logged in).
 */
export function ownerOrKey(auth: OwnerAuthService, adminApiKey: string | undefined): AdminGuard {
  const checkKey = adminKeyCheck(adminApiKey);
  return async (request) => {
    const key = request.headers[ADMIN_KEY_HEADER];
    if (key !== undefined) return checkKey(key);
    const token = request.cookies?.[OWNER_COOKIE];
    if (token === undefined) {
      if (adminApiKey === undefined) return checkKey(undefined);
      throw new HttpError(401, 'log in as the owner, or send the X-Api-Key header');
    }
    const owner = await auth.session(token);
    if (owner === null) throw new HttpError(401, 'the owner session has expired or is unknown: log in again (or send X-Api-Key)');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const given = request.headers[CSRF_HEADER];
      if (!sameToken(Array.isArray(given) ? given[0] : given, owner.csrfToken)) {
        throw new HttpError(403, 'missing or wrong X-CSRF-Token header (GET /api/v1/auth/me gives it)');
      }
    }
    owners.set(request, owner);
  };
}
