import { resolve } from 'node:path';
import { SAMPLES_EMBEDDINGS_FILL_VARIABLE, SAMPLES_FILL_VARIABLE, SAMPLES_TEMPLATE_VARIABLE, templateName } from '@cine/db/testing';

/** Set when this jest process named the template, so that its teardown drops it and no other. */
export const SAMPLES_TEMPLATE_OWNER_VARIABLE = 'CINE_TEST_SAMPLES_TEMPLATE_OWNER';

/**
 * Jest global setup of the tiers that read the sample catalogue: names this run's template and
 * how to fill it (the real ETL, sample-catalogue.ts). The first suite that asks for a copy
 * (`createTestDatabase({ from: 'samples' })`) has the samples imported into it, once for the
 * run; a run of specs that read none imports nothing. The workers inherit both through the
 * environment. `npm test` makes the template once for all its tiers beforehand and passes its
 * name down (scripts/test-tiers.js); then this only says how to fill it.
 *
 * Likewise the second template, the samples with one embedding version built
 * (`from: 'samples-with-embeddings'`): the recommender's build, named by path (this package does
 * not import another service, even in its tests), made the first time a suite asks.
 */
export default function nameSamplesTemplate(): void {
  process.env[SAMPLES_FILL_VARIABLE] ??= `${resolve(__dirname, 'sample-catalogue.ts')}#importSampleCatalogue`;
  process.env[SAMPLES_EMBEDDINGS_FILL_VARIABLE] ??= `${resolve(__dirname, '../../recommender/test/sample-embeddings.ts')}#buildSampleEmbeddings`;
  if (process.env[SAMPLES_TEMPLATE_VARIABLE]) return;
  process.env[SAMPLES_TEMPLATE_VARIABLE] = templateName('samples');
  process.env[SAMPLES_TEMPLATE_OWNER_VARIABLE] = String(process.pid);
}
