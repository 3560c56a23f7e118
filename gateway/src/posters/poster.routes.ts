import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../schemas/api.schema';
import { etagOf, matchesEtag, PLACEHOLDER_CONTENT_TYPE, PLACEHOLDER_SVG } from './poster-image';
import { NotModifiedResponse, PosterImageResponse, PosterParamsSchema, PosterQuerySchema } from './poster.schema';
import type { PosterService } from './poster.service';

/** A poster's bytes never change under its URL: a new TMDB poster has another `?v=`. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** After a failure: soon enough that the next visit tries TMDB again. */
const RETRY_SOON = 'public, max-age=60';
/** No poster known: a TMDB import may bring one. */
const NO_POSTER = 'public, max-age=3600';

export const posterRoutes: FastifyPluginAsyncTypebox<{ posters: PosterService }> = async (app, { posters }) => {
  app.get(
    '/posters/:size/:tconst.jpg',
    {
      schema: {
        tags: ['posters'],
        summary: "A film's poster, fetched once from TMDB and kept by the gateway",
        description:
          'Never a hole: a film without a poster, an unknown film, or TMDB failing, answers a placeholder image. The page and the widget use the URLs the film answers give (`poster.w185` …).',
        params: PosterParamsSchema,
        querystring: PosterQuerySchema,
        response: { 200: PosterImageResponse, 304: NotModifiedResponse, ...errorResponses(400, 429, 500) },
      },
    },
    async (request, reply) => {
      const { size, tconst } = request.params;
      const answer = await posters.poster(size, tconst, request.query.v);
      // The widget shows posters on the cinema's own site, another origin: helmet's default
      // Cross-Origin-Resource-Policy (same-origin) would make the browser refuse them.
      reply.header('cross-origin-resource-policy', 'cross-origin');
      if (answer.kind === 'placeholder') {
        if (answer.reason === 'unavailable') request.log.warn({ tconst, size, reason: answer.detail }, 'poster unavailable, placeholder sent');
        return reply
          .type(PLACEHOLDER_CONTENT_TYPE)
          .header('cache-control', answer.reason === 'unavailable' ? RETRY_SOON : NO_POSTER)
          .send(PLACEHOLDER_SVG);
      }
      if (answer.warning) request.log.warn({ tconst, size, reason: answer.warning }, 'poster served but not kept');
      const etag = etagOf(answer.bytes);
      reply.header('cache-control', IMMUTABLE).header('etag', etag);
      if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
      return reply.type('image/jpeg').send(answer.bytes);
    },
  );
};
