import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../schemas/api.schema';
import { FilmIndexSearchQuerySchema, FilmIndexSearchResponseSchema } from '../schemas/film-index.schema';
import type { FilmIndexService } from './film-index.service';
import type { AdminGuard } from './programme-admin.routes';

export interface FilmIndexAdminOptions {
  films: FilmIndexService;
  adminGuard: AdminGuard;
  /** OpenAPI `security` of these routes. */
  security: Array<Record<string, string[]>>;
}

/** The editor's search of films to programme: behind the admin guard, like the programme's other admin routes. */
export const filmIndexAdminRoutes: FastifyPluginAsyncTypebox<FilmIndexAdminOptions> = async (app, { films, adminGuard, security }) => {
  app.addHook('onRequest', adminGuard);

  app.get(
    '/api/v1/admin/films/search',
    {
      schema: {
        tags: ['programme-admin'],
        summary: 'Search any IMDb film to programme',
        description:
          'Case- and accent-insensitive, typo-tolerant search over the film index: every film (movie, tvMovie) of the IMDb files, whatever the catalogue kept. Exact titles first, then title prefixes, then similar titles; most voted first within each. `inCatalogue` says whether the film has its page.',
        security,
        querystring: FilmIndexSearchQuerySchema,
        response: { 200: FilmIndexSearchResponseSchema, ...errorResponses(400, 401, 403, 429, 500, 503) },
      },
    },
    async (request) => films.search(request.query.q, request.query.limit ?? 20),
  );
};
