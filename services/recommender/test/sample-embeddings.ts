import type { DbHandle } from '@cine/db';
import { buildEmbeddings } from '../src/embedding/embedding.service';
import { silentLog } from './recommender-harness';

/**
 * The fill of the run's second test template (`createTestDatabase({ from:
 * 'samples-with-embeddings' })`, named by the jest global setup): one embedding version built on
 * the sample catalogue with the default options, the one the recommender and the gateway serve in
 * the suites that do not test the build itself. Built once per run, by the first suite that asks.
 */
export async function buildSampleEmbeddings(handle: DbHandle): Promise<void> {
  await buildEmbeddings(handle, silentLog);
}
