import type { OwnerEraseRequest } from '@cine/common';
import type { FastifyPluginAsync } from 'fastify';
import type { StatsRepository } from '../notification/stats.repository';
import type { SubscriptionService } from '../subscription/subscription.service';
import { NotificationStatsSchema, OwnerEraseRequestSchema, OwnerEraseResultSchema } from './subscription.schema';

/** The owner's counts and requests (the gateway checks the owner before forwarding): never an address out. */
export const adminRoutes: FastifyPluginAsync<{ stats: StatsRepository; subscriptions: SubscriptionService }> = async (app, { stats, subscriptions }) => {
  app.get(
    '/v1/admin/stats',
    { schema: { tags: ['admin'], summary: 'Subscribers, confirmed, paused, pending, bounced; emails sent by kind and departures by way (running totals)', response: { 200: NotificationStatsSchema } } },
    async () => stats.read(),
  );

  app.post<{ Body: OwnerEraseRequest }>(
    '/v1/admin/subscribers/erase',
    {
      schema: {
        tags: ['admin'],
        summary: "Erase a subscriber by address, at the customer's request to the cinema (the hash stays suppressed); the address is never logged",
        body: OwnerEraseRequestSchema,
        response: { 200: OwnerEraseResultSchema },
      },
    },
    async (request) => ({ erased: await subscriptions.eraseByAddress(request.body.email) }),
  );
};
