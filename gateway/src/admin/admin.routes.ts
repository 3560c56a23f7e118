import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { EtlRunAcceptedSchema, EtlRunBodySchema, EtlRunParamsSchema, EtlRunViewSchema } from '../schemas/admin.schema';
import { errorResponses } from '../schemas/api.schema';
import { type AdminGuard, OWNER_OR_KEY_SECURITY } from '../auth/owner-guard';
import type { AdminService } from './admin.service';

export const ADMIN_SECURITY = OWNER_OR_KEY_SECURITY;

export const adminRoutes: FastifyPluginAsyncTypebox<{ admin: AdminService; guard: AdminGuard }> = async (app, opts) => {
  // Before validation: a caller without the key or a session learns nothing about the body's rules.
  app.addHook('onRequest', opts.guard);

  app.post(
    '/api/v1/admin/etl-runs',
    {
      schema: {
        tags: ['admin'],
        summary: 'Start an import on the job queue',
        description:
          'Header X-Api-Key, or the owner session cookie with the X-CSRF-Token header. 503 when ADMIN_API_KEY is not set (admin disabled) or when the queue (Redis) is unreachable. The same sources twice make one run unless `force`.',
        security: ADMIN_SECURITY,
        body: EtlRunBodySchema,
        response: { 202: EtlRunAcceptedSchema, ...errorResponses(400, 401, 403, 413, 415, 429, 500, 503) },
      },
    },
    async (request, reply) => {
      const started = await opts.admin.startImport(request.body);
      return reply.code(202).send({ ...started, statusUrl: `/api/v1/admin/etl-runs/${started.id}` });
    },
  );

  app.get(
    '/api/v1/admin/etl-runs/:id',
    {
      schema: {
        tags: ['admin'],
        summary: "An import's steps, state and progress",
        security: ADMIN_SECURITY,
        params: EtlRunParamsSchema,
        response: { 200: EtlRunViewSchema, ...errorResponses(400, 401, 404, 429, 500, 503) },
      },
    },
    async (request) => opts.admin.importStatus(request.params.id),
  );
};
