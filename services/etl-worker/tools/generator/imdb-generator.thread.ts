import { parentPort, workerData } from 'node:worker_threads';
import { type BinSettings, writeBin } from './imdb-generator.service';
import type { ImdbFile } from './imdb-files';

/** Worker-thread entry: writes one bin of files and reports rows as it goes. */

const port = parentPort;
if (port) {
  const { files, settings } = workerData as { files: ImdbFile[]; settings: BinSettings };
  writeBin(files, settings, (file, rows) => port.postMessage({ kind: 'rows', file, rows })).then(
    (reports) => port.postMessage({ kind: 'done', reports }),
    (err: unknown) => port.postMessage({ kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
}
