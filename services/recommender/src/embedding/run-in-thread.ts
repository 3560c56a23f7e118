import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { EmbeddingOptions, EncodedEmbeddings } from './compute-embeddings';
import type { FromThread, ToThread } from './embedding.thread';
import type { FilmRow, PersonLink } from './film-row';

/** Rows per message: cloning one slice costs the caller a few milliseconds at most. */
const SLICE = 2000;

/**
 * Learns the embeddings in a worker thread. The factorisation takes seconds of pure compute;
 * run on the caller's loop it would starve BullMQ's lock renewals in the ETL worker (the job is
 * then declared stalled) and freeze `npm start`'s page and API. The catalogue is posted in
 * slices with a turn of the loop between them, so no single clone blocks for long either.
 *
 * The worker starts from an eval'd CommonJS stub that registers tsx first: worker threads do not
 * inherit the parent's TypeScript loader, under tsx or under jest.
 */
export async function computeEmbeddingsInThread(films: readonly FilmRow[], people: readonly PersonLink[], opts: EmbeddingOptions): Promise<EncodedEmbeddings> {
  const entry = join(__dirname, 'embedding.thread.ts');
  const tsx = require.resolve('tsx/cjs/api');
  const stub = `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`;
  const worker = new Worker(stub, { eval: true });
  const result = new Promise<EncodedEmbeddings>((resolve, reject) => {
    worker.on('message', (msg: FromThread) => {
      if (msg.kind === 'failed') reject(new Error(`embedding build failed in its worker thread: ${msg.message}`));
      else {
        resolve({
          dims: msg.dims,
          films: msg.films,
          items: Buffer.from(msg.items.buffer, msg.items.byteOffset, msg.items.byteLength),
          vectors: Buffer.from(msg.vectors.buffer, msg.vectors.byteOffset, msg.vectors.byteLength),
          encoder: msg.encoder ? Buffer.from(msg.encoder.buffer, msg.encoder.byteOffset, msg.encoder.byteLength) : null,
          checksum: msg.checksum,
          stats: msg.stats,
        });
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`embedding worker thread exited with code ${code} before finishing`)));
  });
  // A rejection that happens while slices are still being posted is awaited below, not lost.
  result.catch(() => undefined);
  try {
    const post = (msg: ToThread) => worker.postMessage(msg);
    for (let i = 0; i < films.length; i += SLICE) {
      post({ kind: 'films', rows: films.slice(i, i + SLICE) });
      await yieldToLoop();
    }
    for (let i = 0; i < people.length; i += SLICE * 5) {
      post({ kind: 'people', rows: people.slice(i, i + SLICE * 5) });
      await yieldToLoop();
    }
    post({ kind: 'run', opts });
    return await result;
  } finally {
    await worker.terminate();
  }
}
