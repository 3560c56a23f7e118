import type { BatchScoreResponse, ErrorBody } from '@cine/common';
import type {} from '@fastify/swagger';
import type { FastifyPluginAsync } from 'fastify';
import type { BatchScoreService } from '../recommend/batch-score';
import { NoVersionError } from '../recommend/recommend.service';
import { type BatchScoreRequestBody, BatchScoreRequestSchema, BatchScoreResponseSchema } from './batch.schema';
import { ErrorBodySchema } from './recommend.schema';

/**
 * 10 000 tastes of 50 liked films each, written out, are about 8 MB; the service's 64 kB limit
 * is for the single route.
 */
const BATCH_BODY_LIMIT = 16 * 2 ** 20;

/** Many tastes against the same films (the notifier's subscribers against the programme); closes its ONNX session with the app. */
export const batchRoutes: FastifyPluginAsync<{ batch: BatchScoreService }> = async (app, { batch }) => {
  app.addHook('onClose', async () => batch.close());
  app.post<{ Body: BatchScoreRequestBody }>(
    '/v1/recommendations/batch',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      schema: {
        tags: ['recommendations'],
        summary: 'Many tastes scored against the same films in one product, each as the single route with candidates would answer it',
        body: BatchScoreRequestSchema,
        response: { 200: BatchScoreResponseSchema, 400: ErrorBodySchema, 503: ErrorBodySchema },
      },
    },
    async (request, reply): Promise<BatchScoreResponse | ErrorBody> => {
      try {
        return await batch.score(request.body);
      } catch (err) {
        if (err instanceof NoVersionError) {
          return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: err.message });
        }
        throw err;
      }
    },
  );
};
