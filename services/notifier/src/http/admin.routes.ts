import type { FastifyPluginAsync } from 'fastify';
import type { StatsRepository } from '../notification/stats.repository';
import { NotificationStatsSchema } from './subscription.schema';

/** The owner's counts (the gateway checks the owner before forwarding): never an address. */
export const adminRoutes: FastifyPluginAsync<{ stats: StatsRepository }> = async (app, { stats }) => {
  app.get(
    '/v1/admin/stats',
    { schema: { tags: ['admin'], summary: 'Subscribers, confirmed, paused, pending, bounced; emails sent by kind and departures by way (running totals)', response: { 200: NotificationStatsSchema } } },
    async () => stats.read(),
  );
};
