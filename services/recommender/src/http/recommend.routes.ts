import type { ErrorBody, RecommendResponse } from '@cine/common';
import type {} from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { RecommendService } from '../recommend/recommend.service';
import { NoVersionError } from '../recommend/recommend.service';
import { ErrorBodySchema, type RecommendRequestBody, RecommendRequestSchema, RecommendResponseSchema } from './recommend.schema';

export function registerRecommendRoutes(app: FastifyInstance, service: RecommendService): void {
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
        return await service.recommend(request.body);
      } catch (err) {
        if (err instanceof NoVersionError) {
          return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: err.message });
        }
        throw err;
      }
    },
  );
}
