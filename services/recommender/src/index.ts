/** What other packages use from the recommender: the service, the embedding build and its hook. */
export { loadRecommenderConfig, type RecommenderConfig } from './config';
export { createEmbeddingHook } from './embedding/embedding.hook';
export { buildEmbeddings, computeEmbeddings, type BuildResult, type EmbeddingOptions } from './embedding/embedding.service';
export { startRecommender, type RecommenderOptions, type RunningRecommender } from './server';
