import { REQUEST_ID_HEADER } from '@cine/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, RecommendationsRequestSchema, RecommendationsResponseSchema } from '../schemas/api.schema';
import type { RecommendationService } from './recommendation.service';

export const recommendationRoutes: FastifyPluginAsyncTypebox<{ recommendations: RecommendationService }> = async (app, { recommendations }) => {
  app.post(
    '/api/v1/recommendations',
    {
      schema: {
        tags: ['recommendations'],
        summary: 'Films a customer will like, from films they liked',
        description:
          '`liked` and `disliked` entries are tconsts or titles; a title resolves to the best search hit among films, and `resolved` says what each entry became (or that it could not be resolved). Answers 503 with Retry-After when the recommender is down, slow or not ready.',
        body: RecommendationsRequestSchema,
        response: { 200: RecommendationsResponseSchema, ...errorResponses(400, 413, 415, 429, 500, 503) },
      },
    },
    async (request, reply) => {
      const answer = await recommendations.recommend(request.body, request.id);
      reply.header(REQUEST_ID_HEADER, request.id);
      return answer;
    },
  );
};
