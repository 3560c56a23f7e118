import { existsSync } from 'node:fs';
import { SHARED_DATA, samplePath } from './sample-path';

export { REPO_ROOT, SHARED_DATA, samplePath } from './sample-path';
export const IMDB = (folder: string) => samplePath('imdb', folder);
export const TMDB = (file: string) => samplePath('tmdb', file);
export const SAMPLES_AVAILABLE = existsSync(samplePath('imdb', 'head-50k', 'title.basics.tsv.gz'));

/**
 * `describe` when the samples are there; otherwise the suite is reported as skipped, with the
 * reason printed, so a clone elsewhere still runs everything else.
 */
export const describeWithSamples: jest.Describe =
  // The jest global setup reads this file too, where no `describe` exists.
  typeof describe === 'undefined'
    ? (undefined as never)
    : SAMPLES_AVAILABLE
      ? describe
      : (() => {
          // eslint-disable-next-line no-console
          console.warn(`real-sample tests skipped: ${SHARED_DATA} not found (set SHARED_DATA_DIR)`);
          return describe.skip;
        })();
