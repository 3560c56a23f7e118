/** What other packages use from the recommender: the service, the embedding build and its hook. */
export { loadRecommenderConfig, type RecommenderConfig } from './config';
export { createEmbeddingHook } from './embedding/embedding.hook';
export { computeEmbeddings, type EmbeddingOptions } from './embedding/compute-embeddings';
export { buildEmbeddings, type BuildResult } from './embedding/embedding.service';
export { startRecommender, type RecommenderOptions, type RunningRecommender } from './server';
