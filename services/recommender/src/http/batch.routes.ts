import { BATCH_SCORES_BINARY, type BatchScoreResponse, type ErrorBody, encodeBatchScores } from '@cine/common';
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
        description:
          'With `Accept: application/octet-stream` (and no `reasons` or `top`): the scores as float32, taste × film, unsorted, ' +
          'behind a small JSON header (common/src/contracts/recommender.contract.ts, BATCH_SCORES_BINARY): 16 MB for 100 000 tastes × 40 films instead of ~160 MB of JSON objects.',
        body: BatchScoreRequestSchema,
        response: { 200: BatchScoreResponseSchema, 400: ErrorBodySchema, 503: ErrorBodySchema },
      },
    },
    async (request, reply): Promise<BatchScoreResponse | ErrorBody | Buffer> => {
      try {
        const accept = request.headers.accept ?? '';
        if (accept.includes(BATCH_SCORES_BINARY)) {
          const { body } = request;
          if (body.reasons === true) {
            if (!accept.includes('application/json')) return reply.code(406).send({ statusCode: 406, error: 'Not Acceptable', message: 'reasons: the binary answer holds scores only; accept application/json for reasons' });
          } else if (body.top !== undefined) {
            return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: 'top: the binary answer holds every film (the caller sorts); ask the JSON answer for top' });
          } else {
            const answer = encodeBatchScores(await batch.scoreBinary(body));
            return reply.type(BATCH_SCORES_BINARY).send(Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength));
          }
        }
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
