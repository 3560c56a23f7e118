import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '@cine/common';
import { DatabaseInUseError, openDatabase } from '@cine/db';
import { DeckCatalogueRepository } from './deck-catalogue.repository';
import { DeckFilesRepository } from './deck-files.repository';
import { DeckPrinterRepository } from './deck-printer.repository';
import { DeckError } from './deck-source';
import { loadDeckConfig, REPO_ROOT } from './deck.config';
import { DeckService } from './deck.service';
import { SampleImportRepository } from './sample-import.repository';

const USAGE = `usage: npm run deck -- [--out DIR] [--no-pdf] [--screenshots DIR] [--source FILE]

Renders the presentation (docs/presentation.md) with the figures and charts of the analysis
report, read from the catalogue in DATABASE_URL, or in the embedded database under DATA_DIR when
DATABASE_URL is unset (an empty embedded catalogue is filled with the samples first, through
npm run etl). Writes one self-contained HTML file and, printed by Chromium, its PDF.

  --out DIR           where to write index.html and presentation.pdf (default: DATA_DIR/deck)
  --no-pdf            the HTML only (no Chromium)
  --screenshots DIR   also save the slides marked "capture: <name>" as DIR/deck-<name>.png (1280 × 720)
  --source FILE       another Markdown source (default: docs/presentation.md)`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        out: { type: 'string' },
        'no-pdf': { type: 'boolean', default: false },
        screenshots: { type: 'string' },
        source: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`deck: ${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadDeckConfig();
  const sourceFile = resolve(args.source ?? config.defaultSource);
  const service = new DeckService(
    {
      catalogue: new DeckCatalogueRepository(() => openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.pgliteDir, applicationName: 'deck' })),
      files: new DeckFilesRepository(),
      printer: new DeckPrinterRepository(config.chromiumPath),
      samples: config.databaseUrl ? null : { repository: new SampleImportRepository(REPO_ROOT, config.childEnv), sources: config.samples },
    },
    (line) => process.stderr.write(`deck: ${line}\n`),
  );
  const written = await service.build({
    sourceFile,
    sourceName: relative(process.cwd(), sourceFile).startsWith('..') ? sourceFile : relative(process.cwd(), sourceFile),
    outDir: resolve(args.out ?? config.defaultOutDir),
    pdf: !args['no-pdf'],
    screenshotsDir: args.screenshots ? resolve(args.screenshots) : null,
  });
  for (const file of [written.html, ...(written.pdf ? [written.pdf] : []), ...written.screenshots]) process.stdout.write(`${file}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // Bad input, a bad setting or a database held by `npm start` is the user's to fix: the message, no stack.
    const expected = err instanceof DeckError || err instanceof ConfigError || err instanceof DatabaseInUseError;
    process.stderr.write(`deck: ${expected ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
