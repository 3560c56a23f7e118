import type { PostImportHook } from '@cine/common';
import type { DbHandle } from '@cine/db';
import { buildEmbeddings, type EmbeddingOptions } from './embedding.service';

/** Rebuilds the embeddings after every successful import; running services pick the version up. */
export function createEmbeddingHook(handle: DbHandle, opts: EmbeddingOptions = {}): PostImportHook {
  return {
    name: 'recommender-embeddings',
    async run(log) {
      await buildEmbeddings(handle, log, opts);
    },
  };
}
