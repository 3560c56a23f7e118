import type { ErrorBody, RecommendResponse } from '@cine/common';
import type {} from '@fastify/swagger';
import type { FastifyPluginAsync } from 'fastify';
import { NoVersionError, type RecommendService } from '../recommend/recommend.service';
import { ErrorBodySchema, type RecommendRequestBody, RecommendRequestSchema, RecommendResponseSchema } from './recommend.schema';

/** The recommender's API (common/src/contracts/recommender.contract.ts), as a plugin like the gateway's routes. */
export const recommendRoutes: FastifyPluginAsync<{ recommendations: RecommendService }> = async (app, { recommendations }) => {
  app.post<{ Body: RecommendRequestBody }>(
    '/v1/recommendations',
    {
      schema: {
        tags: ['recommendations'],
        summary: 'Films like the liked ones (and unlike the disliked), each with a reason',
        body: RecommendRequestSchema,
        response: { 200: RecommendResponseSchema, 400: ErrorBodySchema, 503: ErrorBodySchema },
      },
    },
    async (request, reply): Promise<RecommendResponse | ErrorBody> => {
      try {
        return await recommendations.recommend(request.body);
      } catch (err) {
        if (err instanceof NoVersionError) {
          return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: err.message });
        }
        throw err;
      }
    },
  );
};
