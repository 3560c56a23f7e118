import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, FilmDetailSchema, FilmParamsSchema, SearchQuerySchema, SearchResponseSchema } from '../schemas/api.schema';
import type { FilmService } from './film.service';

export const filmRoutes: FastifyPluginAsyncTypebox<{ films: FilmService }> = async (app, { films }) => {
  app.get(
    '/api/v1/films/search',
    {
      schema: {
        tags: ['films'],
        summary: 'Fuzzy title search',
        description:
          'Case- and accent-insensitive, typo-tolerant search over primary, original and French titles: exact titles first, then title prefixes, then similar titles; popular films first within each. Each hit carries its year so homonyms are told apart.',
        querystring: SearchQuerySchema,
        response: { 200: SearchResponseSchema, ...errorResponses(400, 429, 500) },
      },
    },
    async (request) => films.searchTitles(request.query.q, request.query.limit ?? 10, request.query.type ?? 'all'),
  );

  app.get(
    '/api/v1/films/:tconst',
    {
      schema: {
        tags: ['films'],
        summary: 'One film with everything the page shows',
        params: FilmParamsSchema,
        response: { 200: FilmDetailSchema, ...errorResponses(400, 404, 429, 500) },
      },
    },
    async (request) => films.detail(request.params.tconst),
  );
};
