import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdminGuard } from '../auth/owner-guard';
import { errorResponses } from '../schemas/api.schema';
import { TasteStoreWipedSchema } from '../schemas/taste-store.schema';
import type { TasteLearningService } from './taste-learning.service';

export interface TasteStoreRouteOptions {
  learning: TasteLearningService;
  adminGuard: AdminGuard;
  security: Array<Record<string, string[]>>;
}

/** The owner's control over what was learned from the customers' visits. */
export const tasteStoreRoutes: FastifyPluginAsyncTypebox<TasteStoreRouteOptions> = async (app, { learning, adminGuard, security }) => {
  app.addHook('onRequest', adminGuard);
  app.delete(
    '/api/v1/admin/taste-store',
    {
      schema: {
        tags: ['admin'],
        summary: 'Wipe what was learned from the customers’ visits',
        description:
          'Empties the taste store (films liked and disliked together, counts only) and the day’s memory of visits. Learning goes on afterwards unless LEARN_FROM_VISITS=false. Header X-Api-Key, or the owner session cookie with the X-CSRF-Token header.',
        security,
        response: { 200: TasteStoreWipedSchema, ...errorResponses(401, 403, 429, 500, 503) },
      },
    },
    async () => ({ wiped: await learning.wipe() }),
  );
};
