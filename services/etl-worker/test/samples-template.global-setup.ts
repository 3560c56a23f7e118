import { createTemplateDatabase, SAMPLES_TEMPLATE_VARIABLE } from '@cine/db/testing';
import { importSampleCatalogue } from './sample-catalogue';
import { SAMPLES_AVAILABLE } from './samples';

/** Set when this jest process made the template, so that its teardown drops it and no other. */
export const SAMPLES_TEMPLATE_OWNER_VARIABLE = 'CINE_TEST_SAMPLES_TEMPLATE_OWNER';

/**
 * Jest global setup of the tiers that read the sample catalogue: imported once per run, through
 * the real migrations and the real ETL, into a template database that each reading suite copies
 * (`createTestDatabase({ from: 'samples' })`). Its name reaches the test workers through the
 * environment, which they inherit. `npm test` makes it once for all its tiers and passes it down
 * (scripts/test-tiers.js), and then this does nothing.
 */
export default async function importSamplesOnce(): Promise<void> {
  if (!SAMPLES_AVAILABLE || process.env[SAMPLES_TEMPLATE_VARIABLE]) return;
  const started = Date.now();
  process.env[SAMPLES_TEMPLATE_VARIABLE] = await createTemplateDatabase('samples', importSampleCatalogue);
  process.env[SAMPLES_TEMPLATE_OWNER_VARIABLE] = String(process.pid);
  // eslint-disable-next-line no-console
  console.log(`\nsample catalogue imported once for this run in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
