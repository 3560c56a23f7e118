import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CatalogueStatusSchema, errorResponses } from '../schemas/api.schema';
import type { CatalogueStatusService } from './catalogue-status.service';

export const catalogueRoutes: FastifyPluginAsyncTypebox<{ catalogue: CatalogueStatusService }> = async (app, { catalogue }) => {
  app.get(
    '/api/v1/catalogue/status',
    {
      logLevel: 'warn',
      schema: {
        tags: ['catalogue'],
        summary: 'Catalogue counts and import progress',
        description: 'What the page polls on a fresh install: "catalogue loading: 42 %".',
        response: { 200: CatalogueStatusSchema, ...errorResponses(429, 500) },
      },
    },
    async () => catalogue.status(),
  );
};
