import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdminGuard } from '../programme/programme-admin.routes';
import { errorResponses } from '../schemas/api.schema';
import { AudienceParamsSchema, AudienceSchema } from '../schemas/programme.schema';
import type { AudienceService } from './audience.service';

export interface AudienceRouteOptions {
  audience: AudienceService;
  adminGuard: AdminGuard;
  security: Array<Record<string, string[]>>;
}

/** For the owner choosing a film: how many known tastes it would reach. */
export const audienceRoutes: FastifyPluginAsyncTypebox<AudienceRouteOptions> = async (app, { audience, adminGuard, security }) => {
  app.addHook('onRequest', adminGuard);
  app.get(
    '/api/v1/admin/films/:tconst/audience',
    {
      schema: {
        tags: ['programme-admin'],
        summary: 'How many known tastes a film fits, and the reasons most given',
        description:
          "Tastes are the alert subscribers' liked films (confirmed, not paused): counts only, never who. With no confirmed subscriber yet the answer says so (zeros, a message). A taste fits the film by the programme's \"pour vous\" rule.",
        security,
        params: AudienceParamsSchema,
        response: { 200: AudienceSchema, ...errorResponses(400, 401, 403, 429, 500, 503) },
      },
    },
    async (request) => audience.audience(request.params.tconst, request.id),
  );
};
