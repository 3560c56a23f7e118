import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The real samples live beside the clone (`../shared/data`), never in the repository. */
export const REPO_ROOT = resolve(__dirname, '../../..');
export const SHARED_DATA = process.env.SHARED_DATA_DIR ?? resolve(REPO_ROOT, '..', 'shared', 'data');
export const IMDB = (folder: string) => resolve(SHARED_DATA, 'imdb', folder);
export const TMDB = (file: string) => resolve(SHARED_DATA, 'tmdb', file);
export const SAMPLES_AVAILABLE = existsSync(resolve(SHARED_DATA, 'imdb', 'head-50k', 'title.basics.tsv.gz'));

/**
 * `describe` when the samples are there; otherwise the suite is reported as skipped, with the
 * reason printed, so a clone elsewhere still runs everything else.
 */
export const describeWithSamples: jest.Describe = SAMPLES_AVAILABLE
  ? describe
  : (() => {
      // eslint-disable-next-line no-console
      console.warn(`real-sample tests skipped: ${SHARED_DATA} not found (set SHARED_DATA_DIR)`);
      return describe.skip;
    })();
