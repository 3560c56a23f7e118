import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../schemas/api.schema';
import { MatchesRequestSchema, MatchesResponseSchema } from '../schemas/programme.schema';
import type { ProgrammeMatchService } from './programme-match.service';

/** The programme for one taste: what the page's "À l'affiche pour vous" asks. */
export const programmeMatchRoutes: FastifyPluginAsyncTypebox<{ matches: ProgrammeMatchService }> = async (app, { matches }) => {
  app.post(
    '/api/v1/screenings/matches',
    {
      schema: {
        tags: ['programme'],
        summary: 'The programmed films of a period, ranked for a taste, each with its séances',
        description:
          'Published, scheduled séances not yet past, grouped by film. With films liked (tconsts or titles): one recommender call scores every film; those that fit the taste (`forYou`) come first, best first, each with its reason; the others follow. Nothing liked: the films in the order of their first séance, no scores. Answers 503 with Retry-After when the recommender is down, slow or not ready.',
        body: MatchesRequestSchema,
        response: { 200: MatchesResponseSchema, ...errorResponses(400, 413, 415, 429, 500, 503) },
      },
    },
    async (request) => matches.matches(request.body, request.id),
  );
};
