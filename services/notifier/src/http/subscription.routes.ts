import type {} from '@fastify/swagger';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { linkNoLongerValid } from '../subscription/subscription.errors';
import type { SubscriptionService } from '../subscription/subscription.service';
import {
  ConfirmRequestSchema,
  type ConfirmRequestBody,
  ConfirmResponseSchema,
  ErrorBodySchema,
  SubscribeAcceptedSchema,
  SubscribeRequestSchema,
  type SubscribeRequestBody,
  SubscriptionExportSchema,
  SubscriptionViewSchema,
  TokenParamsSchema,
  UnsubscribedSchema,
  UpdateSubscriptionSchema,
  type UpdateSubscriptionBody,
} from './subscription.schema';

const UNSUBSCRIBED = { status: 'unsubscribed' as const, message: 'C’est fait : vous ne recevrez plus d’e-mails du cinéma, et votre adresse a été effacée.' };

/** The manage token, from `Authorization: Bearer` only (never a query string: it would reach logs and Referer). */
function bearer(request: FastifyRequest): string {
  const match = /^Bearer ([^\s]+)$/.exec(request.headers.authorization ?? '');
  if (!match) throw linkNoLongerValid();
  return match[1]!;
}

/** The subscription routes the gateway forwards to (common/src/contracts/notifications.contract.ts). */
export const subscriptionRoutes: FastifyPluginAsync<{ subscriptions: SubscriptionService }> = async (app, { subscriptions }) => {
  // RFC 8058's one-click POST is a form (`List-Unsubscribe=One-Click`); its content says nothing more.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post<{ Body: SubscribeRequestBody }>(
    '/v1/subscriptions',
    {
      schema: {
        tags: ['subscriptions'],
        summary: 'Ask for emails: the same 202 whatever the address; a confirmation email goes out',
        body: SubscribeRequestSchema,
        response: { 202: SubscribeAcceptedSchema, 400: ErrorBodySchema, 503: ErrorBodySchema },
      },
    },
    async (request, reply) => reply.code(202).send(await subscriptions.subscribe(request.body)),
  );

  app.post<{ Body: ConfirmRequestBody }>(
    '/v1/subscriptions/confirm',
    {
      schema: {
        tags: ['subscriptions'],
        summary: 'Double opt-in: the confirmation page’s button posts the emailed token (once)',
        body: ConfirmRequestSchema,
        response: { 200: ConfirmResponseSchema, 400: ErrorBodySchema, 410: ErrorBodySchema },
      },
    },
    async (request) => subscriptions.confirm(request.body.token),
  );

  const manage = { 401: ErrorBodySchema };
  app.get(
    '/v1/subscriptions/me',
    { schema: { tags: ['subscriptions'], summary: 'The subscription a manage token names', response: { 200: SubscriptionViewSchema, ...manage } } },
    async (request) => subscriptions.get(bearer(request)),
  );
  app.put<{ Body: UpdateSubscriptionBody }>(
    '/v1/subscriptions/me',
    {
      schema: {
        tags: ['subscriptions'],
        summary: 'Change the liked films and the preferences (pause included)',
        body: UpdateSubscriptionSchema,
        response: { 200: SubscriptionViewSchema, 400: ErrorBodySchema, ...manage },
      },
    },
    async (request) => subscriptions.update(bearer(request), request.body),
  );
  app.delete(
    '/v1/subscriptions/me',
    { schema: { tags: ['subscriptions'], summary: 'Erase everything about the address (its hash alone stays, suppressed)', response: { 204: { type: 'null' }, ...manage } } },
    async (request, reply) => {
      await subscriptions.erase(bearer(request));
      return reply.code(204).send();
    },
  );
  app.get(
    '/v1/subscriptions/me/export',
    { schema: { tags: ['subscriptions'], summary: 'Everything kept about the address, as JSON', response: { 200: SubscriptionExportSchema, ...manage } } },
    async (request, reply) => {
      const body = await subscriptions.export(bearer(request));
      return reply.header('content-disposition', 'attachment; filename="mon-abonnement.json"').send(body);
    },
  );

  app.post<{ Params: { token: string } }>(
    '/v1/unsubscribe/:token',
    {
      schema: {
        tags: ['subscriptions'],
        summary: 'RFC 8058 one-click unsubscribe: no login, no confirmation, idempotent',
        params: TokenParamsSchema,
        response: { 200: UnsubscribedSchema, 410: ErrorBodySchema },
      },
    },
    async (request) => {
      await subscriptions.unsubscribe(request.params.token);
      return UNSUBSCRIBED;
    },
  );
};
