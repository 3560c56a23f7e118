import { resolve } from 'node:path';
import { env, type Env, parseEnv } from '@cine/common';
import { loadReportConfig } from '../config';

/** The repository's root: the deck's source and the etl command are found from it. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** What `npm run deck` reads: the report's settings, where the samples are, which Chromium prints. */
export function loadDeckConfig(source: Env = process.env) {
  const report = loadReportConfig(source);
  const raw = parseEnv(
    {
      SHARED_DATA_DIR: env.string({ default: resolve(REPO_ROOT, '..', 'shared', 'data') }),
      CHROMIUM_PATH: env.string({ default: '/usr/bin/chromium' }),
    },
    source,
  );
  const shared = resolve(raw.SHARED_DATA_DIR!);
  return {
    ...report,
    /** The deck's Markdown unless --source says otherwise. */
    defaultSource: resolve(REPO_ROOT, 'docs', 'presentation.md'),
    defaultOutDir: `${report.dataDir}/deck`,
    /** What an empty embedded catalogue is filled with: the samples of the README's `npm start` demo. */
    samples: {
      imdb: [resolve(shared, 'imdb', 'head-50k'), resolve(shared, 'imdb', 'famous-40')],
      tmdb: [resolve(shared, 'tmdb', 'tmdb_full.csv')],
    },
    chromiumPath: raw.CHROMIUM_PATH!,
    /** The environment of the sample import: the same database, named absolutely; its progress without the JSON log lines unless LOG_LEVEL asks. */
    childEnv: { ...source, DATA_DIR: resolve(report.dataDir), LOG_LEVEL: source.LOG_LEVEL ?? 'warn' } as NodeJS.ProcessEnv,
  };
}

export type DeckConfig = ReturnType<typeof loadDeckConfig>;
