import type { FastifyPluginAsync } from 'fastify';
import type { StatsRepository } from '../notification/stats.repository';
import { NotificationStatsSchema } from './subscription.schema';

/** The owner's counts (the gateway checks the owner before forwarding): never an address. */
export const adminRoutes: FastifyPluginAsync<{ stats: StatsRepository }> = async (app, { stats }) => {
  app.get(
    '/v1/admin/stats',
    { schema: { tags: ['admin'], summary: 'Subscribers, confirmed, paused, pending, emails sent by kind, bounced, unsubscribed', response: { 200: NotificationStatsSchema } } },
    async () => stats.read(),
  );
};
