import { REQUEST_ID_HEADER } from '@cine/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { errorResponses, RecommendationsRequestSchema, RecommendationsResponseSchema } from '../schemas/api.schema';
import type { RecommendationService, SerializeAnswer } from './recommendation.service';

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
      // Serialised by the service (which keeps the bytes for repeats) with this route's own
      // 200 serializer: a Buffer goes out as it is.
      const serializer = reply.getSerializationFunction('200');
      const serialize: SerializeAnswer = serializer ? (answer) => serializer(answer as unknown as Record<string, unknown>) : JSON.stringify;
      const json = await recommendations.recommendJson(request.body, serialize, request.id);
      // The typed reply expects the answer object; these are its bytes.
      return (reply as FastifyReply).header(REQUEST_ID_HEADER, request.id).type('application/json; charset=utf-8').send(json);
    },
  );
};
