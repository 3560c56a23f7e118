import { parentPort } from 'node:worker_threads';
import { computeEncodedEmbeddings, type EmbeddingOptions } from './compute-embeddings';
import type { FilmRow, PersonLink } from './film-row';

/**
 * Worker-thread entry of the embedding build (started by run-in-thread.ts): receives the
 * catalogue in slices, learns the embeddings and encodes the version's blobs, so the caller's
 * event loop stays free.
 */
export type ToThread =
  | { kind: 'films'; rows: FilmRow[] }
  | { kind: 'people'; rows: PersonLink[] }
  | { kind: 'run'; opts: EmbeddingOptions };

export type FromThread =
  | { kind: 'done'; dims: number; films: number; items: Uint8Array; vectors: Uint8Array; encoder: Uint8Array | null; checksum: string; stats: Record<string, unknown> }
  | { kind: 'failed'; message: string };

const port = parentPort;
if (port) {
  const films: FilmRow[] = [];
  const people: PersonLink[] = [];
  port.on('message', (msg: ToThread) => {
    if (msg.kind === 'films') for (const r of msg.rows) films.push(r);
    else if (msg.kind === 'people') for (const r of msg.rows) people.push(r);
    else {
      try {
        const reply: FromThread = { kind: 'done', ...computeEncodedEmbeddings(films, people, msg.opts) };
        // Copied, not transferred: a Buffer may be a slice of a shared pool.
        port.postMessage(reply);
      } catch (err) {
        port.postMessage({ kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies FromThread);
      }
    }
  });
}
