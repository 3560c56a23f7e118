import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/http-errors';
import { errorResponses } from '../schemas/api.schema';
import {
  ConfirmRequestSchema,
  ConfirmResponseSchema,
  ConsentWordingSchema,
  SubscribeAcceptedSchema,
  SubscribeRequestSchema,
  SubscriptionExportSchema,
  SubscriptionViewSchema,
  TOKEN_PATTERN,
  UpdateSubscriptionSchema,
} from '../schemas/notifications.schema';
import type { NotificationService } from './notification.service';

export interface SubscriptionRouteOptions {
  notifications: NotificationService;
  /** Subscriptions per address and window, on top of the gateway's general limit. */
  subscribeRateLimit: { max: number; windowMs: number };
}

/** OpenAPI: the manage routes open with the manage token of any email. */
export const MANAGE_TOKEN_SECURITY: Array<Record<string, string[]>> = [{ manageToken: [] }];
export const MANAGE_TOKEN_SCHEME = { type: 'http', scheme: 'bearer', description: 'The manage token of any email (its "Gérer mon abonnement" link)' } as const;

const tags = ['notifications'];
const BEARER = new RegExp(`^Bearer (${TOKEN_PATTERN.slice(1, -1)})$`);

/** The manage token from `Authorization: Bearer`; a missing or malformed one is a 401 that says what to do. */
function manageToken(request: FastifyRequest): string {
  const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
  if (token === undefined) throw new HttpError(401, 'Ouvrez cette page depuis le lien « Gérer mon abonnement » d’un e-mail reçu.');
  return token;
}

/**
 * What concerns one address is answered to its owner only, never kept by a cache or sent on as
 * a Referer (the page's address holds no token, but the header costs nothing).
 */
function personal(reply: FastifyReply): void {
  reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
}

/** The customer's subscription: subscribe, confirm, then manage without a password. */
export const subscriptionRoutes: FastifyPluginAsyncTypebox<SubscriptionRouteOptions> = async (app, { notifications, subscribeRateLimit }) => {
  // Each subscription sends an email to an address anyone may type: its own tighter counter per
  // client address, asked explicitly (the plugin's per-route config is skipped once its global hook ran).
  const subscribeAttempts = app.createRateLimit({ max: subscribeRateLimit.max, timeWindow: subscribeRateLimit.windowMs });

  app.get(
    '/api/v1/subscriptions/consent',
    {
      schema: {
        tags,
        summary: 'The consent wording to show next to the unticked box',
        description: 'The page shows this text and sends its version back. 503 when the install has no notifier (NOTIFIER_URL unset): the page then hides its subscription form.',
        response: { 200: ConsentWordingSchema, ...errorResponses(429, 500, 503) },
      },
    },
    async () => notifications.consent(),
  );

  app.post(
    '/api/v1/subscriptions',
    {
      onRequest: async (request) => {
        const attempt = await subscribeAttempts(request);
        if (!attempt.isAllowed && attempt.isExceeded) {
          throw new HttpError(429, `Trop d’inscriptions depuis cette connexion. Réessayez dans ${Math.ceil(attempt.ttlInSeconds / 60)} minutes.`, attempt.ttlInSeconds);
        }
      },
      schema: {
        tags,
        summary: 'Subscribe an address: a confirmation email goes out (double opt-in)',
        description:
          'Liked and disliked entries are tconsts or titles, resolved as `POST /api/v1/recommendations` resolves them; one that resolves to no film is a 400 naming its place (`body/liked/2`). The consent must be the current wording (`GET /api/v1/subscriptions/consent`), ticked. The answer is the same whether the address was known or not; nothing is sent but the confirmation email until the link\'s button is pressed. Limited per client address (SUBSCRIBE_RATE_LIMIT_MAX an hour).',
        body: SubscribeRequestSchema,
        response: { 202: SubscribeAcceptedSchema, ...errorResponses(400, 413, 415, 429, 500, 503) },
      },
    },
    async (request, reply) => {
      personal(reply);
      return reply.code(202).send(await notifications.subscribe(request.body, request.id));
    },
  );

  app.post(
    '/api/v1/subscriptions/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a subscription with the token of its confirmation email',
        description: 'Posted by the button of the page the email links to (never on opening the link: mail scanners open links). Answers the subscription and a manage token for the manage page. A used or expired token: 410 (or 404).',
        body: ConfirmRequestSchema,
        response: { 200: ConfirmResponseSchema, ...errorResponses(400, 404, 410, 413, 415, 429, 500, 503) },
      },
    },
    async (request, reply) => {
      personal(reply);
      return notifications.confirm(request.body.token, request.id);
    },
  );

  const manage = { tags, security: MANAGE_TOKEN_SECURITY };

  app.get(
    '/api/v1/subscriptions/me',
    { schema: { ...manage, summary: 'The subscription of the manage token: address, films, preferences', response: { 200: SubscriptionViewSchema, ...errorResponses(401, 404, 429, 500, 503) } } },
    async (request, reply) => {
      const token = manageToken(request);
      personal(reply);
      return notifications.subscription(token, request.id);
    },
  );

  app.put(
    '/api/v1/subscriptions/me',
    {
      schema: {
        ...manage,
        summary: 'Change the liked films and the preferences (pause and resume: preferences.paused)',
        description: 'Only the fields sent change. Entries are tconsts or titles, resolved as on subscribing (400 naming an entry that resolves to no film).',
        body: UpdateSubscriptionSchema,
        response: { 200: SubscriptionViewSchema, ...errorResponses(400, 401, 404, 413, 415, 429, 500, 503) },
      },
    },
    async (request, reply) => {
      const token = manageToken(request);
      personal(reply);
      return notifications.update(token, request.body, request.id);
    },
  );

  app.delete(
    '/api/v1/subscriptions/me',
    {
      schema: {
        ...manage,
        summary: 'Erase everything kept about the address',
        description: 'Only a hash of the address stays when it bounced (the suppression list), so that it is never written to again.',
        response: { 204: { type: 'null', description: 'Erased' }, ...errorResponses(401, 404, 429, 500, 503) },
      },
    },
    async (request, reply) => {
      const token = manageToken(request);
      personal(reply);
      await notifications.erase(token, request.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/subscriptions/me/export',
    { schema: { ...manage, summary: 'Everything kept about the address, as JSON', response: { 200: SubscriptionExportSchema, ...errorResponses(401, 404, 429, 500, 503) } } },
    async (request, reply) => {
      const token = manageToken(request);
      personal(reply);
      reply.header('content-disposition', 'attachment; filename="mes-donnees.json"');
      return notifications.export(token, request.id);
    },
  );
};
