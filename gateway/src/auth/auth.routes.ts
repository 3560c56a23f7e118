import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LoginBodySchema, LogoutSchema, OwnerSessionSchema } from '../schemas/auth.schema';
import { errorResponses } from '../schemas/api.schema';
import { HttpError } from '../http/http-errors';
import type { OwnerAuthService } from './owner-auth.service';
import { OWNER_COOKIE } from './owner-guard';

export interface AuthRoutesOptions {
  auth: OwnerAuthService;
  /** Secure cookies: only when the operator says customers come over https (PUBLIC_URL). */
  secureCookie: boolean;
  /** Login attempts per address and window, on top of the account's lock-out. */
  loginRateLimit: { max: number; windowMs: number };
}

export const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, { auth, secureCookie, loginRateLimit }) => {
  const cookie = { httpOnly: true, sameSite: 'strict', path: '/', secure: secureCookie } as const;
  // Its own counter per address, on top of the gateway's general limit: password guessing is
  // slowed long before that one. Asked explicitly: the plugin's per-route config is skipped when
  // its global hook (app.ts) has already run for the request.
  const loginAttempts = app.createRateLimit({ max: loginRateLimit.max, timeWindow: loginRateLimit.windowMs });

  app.post(
    '/api/v1/auth/login',
    {
      onRequest: async (request) => {
        const attempt = await loginAttempts(request);
        if (!attempt.isAllowed && attempt.isExceeded) {
          throw new HttpError(429, `too many login attempts from this address; retry in ${attempt.ttlInSeconds} s`, attempt.ttlInSeconds);
        }
      },
      schema: {
        tags: ['auth'],
        summary: "The owner's login: sets the session cookie",
        description:
          'Sets the HttpOnly cookie `cine_owner` and answers the CSRF token the admin writes need. The same 401 for an unknown email and a wrong password. After too many failures the account is locked for a while: 429 with Retry-After. Attempts are also limited per address (429).',
        body: LoginBodySchema,
        response: { 200: OwnerSessionSchema, ...errorResponses(400, 401, 413, 415, 429, 500) },
      },
    },
    async (request, reply) => {
      const session = await auth.login(request.body.email, request.body.password);
      reply.setCookie(OWNER_COOKIE, session.token, { ...cookie, maxAge: session.maxAgeSeconds }).header('cache-control', 'no-store');
      return { email: session.email, csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: "Ends the owner's session and clears its cookie",
        response: { 200: LogoutSchema, ...errorResponses(429, 500) },
      },
    },
    async (request, reply) => {
      // No CSRF token asked: a forged logout only logs the owner out, and SameSite=Strict keeps the cookie off cross-site requests anyway.
      await auth.logout(request.cookies[OWNER_COOKIE]);
      reply.clearCookie(OWNER_COOKIE, cookie);
      return { loggedOut: true };
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'Who is logged in, and the CSRF token of the session',
        response: { 200: OwnerSessionSchema, ...errorResponses(401, 429, 500) },
      },
    },
    async (request, reply) => {
      const owner = await auth.session(request.cookies[OWNER_COOKIE]);
      if (owner === null) throw new HttpError(401, 'not logged in');
      reply.header('cache-control', 'no-store');
      return { email: owner.email, csrfToken: owner.csrfToken };
    },
  );
};
