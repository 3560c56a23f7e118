import type { Logger } from '@cine/common';
import type { DbHandle } from '@cine/db';
import type { EmbeddingOptions } from './compute-embeddings';
import { EmbeddingRepository } from './embedding.repository';
import { FeatureRepository } from './features.repository';
import { computeEmbeddingsInThread } from './run-in-thread';

/** The build's options are the compute's: the service only adds where the rows come from and go. */
export type { EmbeddingOptions } from './compute-embeddings';

export interface BuildResult {
  version: number;
  films: number;
  dims: number;
  ms: number;
}

/**
 * Reads the current catalogue (in pages), learns the embeddings in a worker thread and stores
 * them as a new version: the caller's event loop is never held for more than a page or a slice.
 */
export async function buildEmbeddings(handle: DbHandle, log: Logger, opts: EmbeddingOptions = {}): Promise<BuildResult> {
  const started = performance.now();
  const features = new FeatureRepository(handle);
  const [films, people, importRunId] = await Promise.all([features.films(), features.people(), features.importRunId()]);
  const readMs = Math.round(performance.now() - started);
  const built = await computeEmbeddingsInThread(films, people, opts);
  const repo = new EmbeddingRepository(handle);
  const version = await repo.insertEncoded({ ...built, importRunId, stats: { ...built.stats, readMs, threadMs: Math.round(performance.now() - started) - readMs } });
  const pruned = await repo.prune(opts.keepVersions ?? 3);
  const ms = Math.round(performance.now() - started);
  log.info({ version, films: films.length, dims: built.dims, features: built.stats.features, ms, pruned }, 'embedding version built');
  return { version, films: films.length, dims: built.dims, ms };
}
