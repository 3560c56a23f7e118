/** What the all-in-one composition uses from the recommender: the service, the embedding build and its job handler. */
export { loadRecommenderConfig, type RecommenderConfig } from './config';
export { createEmbeddingHandlers, type EmbeddingHandlers } from './jobs/embedding-build.handlers';
export { computeEmbeddings, type EmbeddingOptions } from './embedding/compute-embeddings';
export { buildEmbeddings, type BuildResult } from './embedding/embedding.service';
export { startRecommender, type RecommenderOptions, type RunningRecommender } from './server';
/** For benchmarks of other packages (bench:notify): a synthetic version of real size stored as the build stores one. */
export { EmbeddingRepository } from './embedding/embedding.repository';
export type { ItemMeta } from './embedding/version';
