import { BATCH_SCORES_BINARY, BatchBodyError, type BatchScoreResponse, type ErrorBody, encodeBatchScores } from '@cine/common';
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

/** 10 000 tastes of 100 liked and 100 disliked titles as numbers are 16 MB; of 3–10, under 1 MB. */
const SCORES_BODY_LIMIT = 17 * 2 ** 20;

/**
 * The same scores, numbers in and numbers out (common's encodeBatchTastes and
 * BATCH_SCORES_BINARY): no reasons, no `top`, no sorting — the caller sorts. The notifier's
 * scores-only calls: 100 000 tastes × 40 films as JSON objects cost ~95 % of the call in
 * building, serialising, parsing and collecting them, the product ~5 %.
 */
export const batchScoresRoutes: FastifyPluginAsync<{ batch: BatchScoreService }> = async (app, { batch }) => {
  app.addContentTypeParser(BATCH_SCORES_BINARY, { parseAs: 'buffer', bodyLimit: SCORES_BODY_LIMIT }, (_request, body, done) => done(null, body));
  app.post<{ Body: Buffer }>(
    '/v1/recommendations/batch/scores',
    {
      bodyLimit: SCORES_BODY_LIMIT,
      schema: {
        tags: ['recommendations'],
        summary: 'The batch route\'s scores as numbers: tastes as title codes in, float32 scores (taste × film, unsorted) out',
        description:
          'Body and answer are `application/octet-stream`, laid out in common/src/contracts/recommender.contract.ts (encodeBatchTastes, BATCH_SCORES_BINARY). ' +
          'The scores and fitScore are those of `POST /v1/recommendations/batch`; a malformed body is a 400 naming the field.',
        response: { 400: ErrorBodySchema, 415: ErrorBodySchema, 503: ErrorBodySchema },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        return reply.code(415).send({ statusCode: 415, error: 'Unsupported Media Type', message: `body: ${BATCH_SCORES_BINARY} expected` } satisfies ErrorBody);
      }
      try {
        const answer = encodeBatchScores(await batch.scoreTastesBinary(request.body));
        return reply.type(BATCH_SCORES_BINARY).send(Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength));
      } catch (err) {
        if (err instanceof BatchBodyError) return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: err.message } satisfies ErrorBody);
        if (err instanceof NoVersionError) return reply.code(503).send({ statusCode: 503, error: 'Service Unavailable', message: err.message } satisfies ErrorBody);
        throw err;
      }
    },
  );
};
