import { dropTemplateDatabase, SAMPLES_TEMPLATE_VARIABLE } from '@cine/db/testing';
import { SAMPLES_TEMPLATE_OWNER_VARIABLE } from './samples-template.global-setup';

/** Jest global teardown: the sample template goes with the run that made it. */
export default async function dropSamplesTemplate(): Promise<void> {
  const name = process.env[SAMPLES_TEMPLATE_VARIABLE];
  if (!name || process.env[SAMPLES_TEMPLATE_OWNER_VARIABLE] !== String(process.pid)) return;
  await dropTemplateDatabase(name);
  delete process.env[SAMPLES_TEMPLATE_VARIABLE];
  delete process.env[SAMPLES_TEMPLATE_OWNER_VARIABLE];
}
