import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdminGuard } from '../auth/owner-guard';
import { errorResponses } from '../schemas/api.schema';
import { DigestPreviewSchema, DigestRunAcceptedSchema, DigestRunRequestSchema, NotificationStatsSchema, OwnerEraseRequestSchema, OwnerEraseResultSchema, PreviewQuerySchema } from '../schemas/notifications.schema';
import type { NotificationService } from './notification.service';

export interface NotificationsAdminOptions {
  notifications: NotificationService;
  adminGuard: AdminGuard;
  security: Array<Record<string, string[]>>;
}

const tags = ['notifications-admin'];

/** The owner's side of the notifications: counts, the digest as it would go out, a run now. */
export const notificationsAdminRoutes: FastifyPluginAsyncTypebox<NotificationsAdminOptions> = async (app, { notifications, adminGuard, security }) => {
  // Before the body or the query is looked at, as on every admin route; the notifier trusts its
  // network, so this guard is the only one in front of it.
  app.addHook('onRequest', adminGuard);

  app.get(
    '/api/v1/admin/notifications/stats',
    {
      schema: {
        tags,
        summary: 'Subscribers, confirmed, paused, pending; alerts, digests and cancellations sent; bounced; unsubscribed',
        description: 'Counts only: no address ever leaves the notifier by this route (nor reaches Grafana).',
        security,
        response: { 200: NotificationStatsSchema, ...errorResponses(401, 403, 429, 500, 503) },
      },
    },
    async (request) => notifications.stats(request.id),
  );

  app.get(
    '/api/v1/admin/notifications/preview',
    {
      schema: {
        tags,
        summary: "This week's digest as it would be sent, for a subscriber or a sample taste",
        description: 'subscriber is an id, never an address: a query string is written to logs. liked: a sample taste (tconsts, comma-separated).',
        security,
        querystring: PreviewQuerySchema,
        response: { 200: DigestPreviewSchema, ...errorResponses(400, 401, 403, 404, 429, 500, 503) },
      },
    },
    async (request) => notifications.preview(request.query, request.id),
  );

  app.post(
    '/api/v1/admin/notifications/digest',
    {
      schema: {
        tags,
        summary: "Run this week's digest now",
        description: 'dryRun counts who would get one and sends nothing. Exactly once per subscriber and week whatever the runs: the notifier keeps a unique key per (subscriber, digest, week).',
        security,
        body: DigestRunRequestSchema,
        response: { 202: DigestRunAcceptedSchema, ...errorResponses(400, 401, 403, 413, 415, 429, 500, 503) },
      },
    },
    async (request, reply) => reply.code(202).send(await notifications.runDigest(request.body, request.id)),
  );

  app.post(
    '/api/v1/admin/subscribers/erase',
    {
      schema: {
        tags,
        summary: 'Erase a subscriber at their request to the cinema (a letter, at the desk)',
        description:
          'The same erasure as the manage page\'s: the subscriber and everything attached go, the address hash stays on the suppression list. The address travels in the body, never in a URL, and is never logged.',
        security,
        body: OwnerEraseRequestSchema,
        response: { 200: OwnerEraseResultSchema, ...errorResponses(400, 401, 403, 413, 415, 429, 500, 503) },
      },
    },
    async (request) => notifications.eraseByAddress(request.body.email, request.id),
  );
};
