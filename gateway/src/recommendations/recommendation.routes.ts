import { REQUEST_ID_HEADER, type RecommendationsResponse } from '@cine/common';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { errorResponses, RecommendationsRequestSchema, RecommendationsResponseSchema } from '../schemas/api.schema';
import type { RecommendationService } from './recommendation.service';

export const recommendationRoutes: FastifyPluginAsyncTypebox<{ recommendations: RecommendationService }> = async (app, { recommendations }) => {
  /**
   * The bytes sent for each answer, by the answer: the service hands back the same object for a
   * repeat it kept, which then costs no serialisation (≈ 13 kB of JSON for 10 films); an answer
   * it dropped takes its bytes with it.
   */
  const sent = new WeakMap<RecommendationsResponse, Buffer>();

  app.post(
    '/api/v1/recommendations',
    {
      schema: {
        tags: ['recommendations'],
        summary: 'Films a customer will like, from films they liked',
        description:
          '`liked` and `disliked` entries are tconsts or titles; a title resolves to the best search hit among films, and `resolved` says what each entry became (or that it could not be resolved). With a `visitId` and two or more liked films, the visit\'s films are counted once in the taste store (counts only; off with LEARN_FROM_VISITS=false). Answers 503 with Retry-After when the recommender is down, slow or not ready.',
        body: RecommendationsRequestSchema,
        response: { 200: RecommendationsResponseSchema, ...errorResponses(400, 413, 415, 429, 500, 503) },
      },
    },
    async (request, reply) => {
      const answer = await recommendations.recommend(request.body, request.id, { address: request.ip });
      let json = sent.get(answer);
      if (!json) {
        // This route's own 200 serializer, as fastify would use it; a Buffer then goes out as it is.
        const serialize = reply.getSerializationFunction('200');
        json = Buffer.from(serialize ? serialize(answer as unknown as Record<string, unknown>) : JSON.stringify(answer));
        sent.set(answer, json);
      }
      // The typed reply expects the answer object; these are its bytes.
      return (reply as FastifyReply).header(REQUEST_ID_HEADER, request.id).type('application/json; charset=utf-8').send(json);
    },
  );
};
