import { dropLeftoverTestDatabases, dropRunTemplates, SAMPLES_TEMPLATE_VARIABLE } from '@cine/db/testing';
import { SAMPLES_TEMPLATE_OWNER_VARIABLE } from './samples-template.global-setup';

/**
 * Jest global teardown: the sample template, and the one with embeddings made from it, go with the
 * run that named them; so does any test database whose suite gave up waiting for its DROP.
 */
export default async function dropSamplesTemplate(): Promise<void> {
  const left = await dropLeftoverTestDatabases();
  if (left.length > 0) console.warn(`dropped ${left.length} test database(s) a suite could not drop in time: ${left.join(', ')}`);
  const name = process.env[SAMPLES_TEMPLATE_VARIABLE];
  if (!name || process.env[SAMPLES_TEMPLATE_OWNER_VARIABLE] !== String(process.pid)) return;
  await dropRunTemplates(name);
  delete process.env[SAMPLES_TEMPLATE_VARIABLE];
  delete process.env[SAMPLES_TEMPLATE_OWNER_VARIABLE];
}
