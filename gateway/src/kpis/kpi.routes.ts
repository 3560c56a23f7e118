import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, KpiDataSchema, KpiListSchema, KpiParamsSchema } from '../schemas/api.schema';
import type { KpiService } from './kpi.service';

export const kpiRoutes: FastifyPluginAsyncTypebox<{ kpis: KpiService }> = async (app, { kpis }) => {
  app.get(
    '/api/v1/kpis',
    {
      schema: {
        tags: ['kpis'],
        summary: 'The KPI catalogue',
        response: { 200: KpiListSchema, ...errorResponses(429, 500) },
      },
    },
    async () => kpis.list(),
  );

  app.get(
    '/api/v1/kpis/:name',
    {
      schema: {
        tags: ['kpis'],
        summary: "One KPI's rows (the same SQL as Grafana's panels)",
        params: KpiParamsSchema,
        response: { 200: KpiDataSchema, ...errorResponses(400, 404, 429, 500) },
      },
    },
    async (request) => kpis.data(request.params.name),
  );
};
