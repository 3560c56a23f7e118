import { createTemplateDatabase, dropRunTemplates } from '@cine/db/testing';
import { importSampleCatalogue } from './sample-catalogue';
import { SAMPLES_AVAILABLE } from './samples';

/**
 * For scripts/test-tiers.js, which runs jest once per tier and imports the samples once for all:
 * `create OWNER_PID` prints the template's name (nothing when the samples are absent),
 * `drop NAME` drops it and every other template of its run (the samples with embeddings that
 * the first suite to ask made from it, or one a killed worker left half built).
 */
async function main(): Promise<void> {
  const [command, arg] = process.argv.slice(2);
  if (command === 'create' && arg && /^\d+$/.test(arg)) {
    if (SAMPLES_AVAILABLE) process.stdout.write(`${await createTemplateDatabase('samples', importSampleCatalogue, Number(arg))}\n`);
  } else if (command === 'drop' && arg) {
    await dropRunTemplates(arg);
  } else {
    throw new Error('usage: samples-template.cli.ts create OWNER_PID | drop NAME');
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`samples-template: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
