import { type Logger, registerObservability, requestIdServerOptions } from '@cine/common';
import { type DbHandle, TasteStoreRepository } from '@cine/db';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { EmbeddingRepository } from './embedding/embedding.repository';
import { FeatureRepository } from './embedding/features.repository';
import { batchRoutes, batchScoresRoutes } from './http/batch.routes';
import { recommendRoutes } from './http/recommend.routes';
import { BatchScoreService } from './recommend/batch-score';
import { type CoLikeParams, DEFAULT_CO_LIKES } from './recommend/co-likes';
import { SubscriberLikesRepository } from './recommend/co-likes-subscribers.repository';
import { DEFAULT_RANKING, type RankingParams } from './recommend/ranking';
import { ReasonsRepository } from './recommend/reasons.repository';
import { RecommendService } from './recommend/recommend.service';
import { CoLikeHolder } from './serving/co-like-holder';
import { VersionHolder } from './serving/version-holder';

export interface RecommenderOptions {
  handle: DbHandle;
  log: Logger;
  host?: string;
  /** 0 = a random free port. */
  port?: number;
  pollIntervalMs?: number;
  ranking?: Partial<RankingParams>;
  /** The collaborative block's settings (co-likes.ts); DEFAULT_CO_LIKES otherwise. */
  coLikes?: Partial<CoLikeParams>;
}

export interface RunningRecommender {
  url: string;
  app: FastifyInstance;
  /** The served version, for tests and the embedded start. */
  holder: VersionHolder;
  /** The taste store's counts as served; `refresh()` reads them now instead of at the next poll. */
  coLikes: CoLikeHolder;
  close(): Promise<void>;
}

/**
 * The recommender's HTTP service: serves the newest valid embedding version in the database and
 * polls for newer ones. Closing stops the poll, the server and the ONNX sessions; the database
 * handle belongs to the caller.
 */
export async function startRecommender(opts: RecommenderOptions): Promise<RunningRecommender> {
  const ranking = { ...DEFAULT_RANKING, ...opts.ranking };
  const embeddings = new EmbeddingRepository(opts.handle);
  const holder = new VersionHolder(embeddings, ranking, opts.log.child({ component: 'embeddings' }));
  await holder.start(opts.pollIntervalMs ?? 30_000);

  // Typed as the default instance: routes and observability are written against FastifyInstance.
  const app = Fastify({
    loggerInstance: opts.log,
    ...requestIdServerOptions(),
    bodyLimit: 64 * 1024,
    // An unknown field is a mistake to report, not something to drop silently.
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
  }) as unknown as FastifyInstance;
  registerObservability(app, {
    service: 'recommender',
    tag: 'health',
    readiness: {
      db: async () => {
        await embeddings.ping();
        return { ok: true };
      },
      embeddings: async () => holder.readiness(),
    },
  });
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err.validation) {
      const extra = err.validation[0]?.params as { additionalProperty?: string } | undefined;
      const message = extra?.additionalProperty ? `${err.message}: "${extra.additionalProperty}"` : err.message;
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) request.log.error({ err }, 'recommendation failed');
    return reply.code(status).send({ statusCode: status, error: status === 500 ? 'Internal Server Error' : err.name, message: status === 500 ? 'internal error' : err.message });
  });
  // The collaborative block: the taste store's counts and the confirmed subscribers' liked lists, read with each poll (docs/recommender.md §8).
  const coLikes = new CoLikeHolder(new TasteStoreRepository(opts.handle), opts.log.child({ component: 'taste-store' }), () => holder.version, new SubscriberLikesRepository(opts.handle));
  await coLikes.start(opts.pollIntervalMs ?? 30_000);
  const coLikeParams = { ...DEFAULT_CO_LIKES, ...opts.coLikes };
  await app.register(recommendRoutes, {
    recommendations: new RecommendService(holder, new ReasonsRepository(opts.handle), ranking, new FeatureRepository(opts.handle), { holder: coLikes, params: coLikeParams }),
  });
  const batch = new BatchScoreService(holder, new ReasonsRepository(opts.handle), ranking, new FeatureRepository(opts.handle));
  await app.register(batchRoutes, { batch });
  await app.register(batchScoresRoutes, { batch });
  app.addHook('onClose', async () => {
    await coLikes.close();
    await holder.close();
  });

  try {
    await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 0 });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  return { url: `http://${host}:${port}`, app, holder, coLikes, close: () => app.close() };
}
