import { type Handlers, JobName, type JobsOfQueue, type Logger, type QueueName } from '@cine/common';
import type { DbHandle } from '@cine/db';
import { buildEmbeddings, type EmbeddingOptions } from '../embedding/embedding.service';

/** The jobs of the `embeddings` queue, each with its handler: one missing is a compile error. */
export type EmbeddingHandlers = Handlers<JobsOfQueue<QueueName.Embeddings>>;

/**
 * The recommender builds its own embeddings: after an import's swap, `build-embeddings` makes a
 * new version from the catalogue served; running recommenders pick it up at their next poll
 * (`afterBuild` lets the all-in-one serve it at once).
 */
export function createEmbeddingHandlers(
  handle: DbHandle,
  log: Logger,
  opts: EmbeddingOptions & { afterBuild?: () => Promise<void> } = {},
): EmbeddingHandlers {
  // The build options travel to a worker thread: plain data only, never the callback.
  const { afterBuild, ...build } = opts;
  return {
    [JobName.BuildEmbeddings]: async (data) => {
      const result = await buildEmbeddings(handle, log.child({ job: JobName.BuildEmbeddings, reason: data.reason }), build);
      await afterBuild?.();
      return result;
    },
  };
}
