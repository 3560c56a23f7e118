import { parentPort } from 'node:worker_threads';
import type { FilmRow, PersonLink } from './catalogue.repository';
import { computeEmbeddings, type EmbeddingOptions } from './embedding.service';
import { encodeEncoder } from './encoder';
import { encodeItems, encodeVectors, versionChecksum } from './version';

/**
 * Worker-thread entry of the embedding build: receives the catalogue in slices, learns the
 * embeddings and encodes the version's blobs, so the caller's event loop stays free.
 */
export type ToWorker =
  | { kind: 'films'; rows: FilmRow[] }
  | { kind: 'people'; rows: PersonLink[] }
  | { kind: 'run'; opts: EmbeddingOptions };

export type FromWorker =
  | { kind: 'done'; dims: number; films: number; items: Uint8Array; vectors: Uint8Array; encoder: Uint8Array | null; checksum: string; stats: Record<string, unknown> }
  | { kind: 'failed'; message: string };

const port = parentPort;
if (port) {
  const films: FilmRow[] = [];
  const people: PersonLink[] = [];
  port.on('message', (msg: ToWorker) => {
    if (msg.kind === 'films') for (const r of msg.rows) films.push(r);
    else if (msg.kind === 'people') for (const r of msg.rows) people.push(r);
    else {
      try {
        const built = computeEmbeddings(films, people, msg.opts);
        const t0 = performance.now();
        const items = encodeItems(built.items);
        const vectors = encodeVectors(built.vectors);
        const encoder = built.encoder ? encodeEncoder(built.encoder) : null;
        const checksum = versionChecksum(items, vectors, encoder);
        const stats = { ...built.stats, encodeMs: Math.round(performance.now() - t0) };
        const reply: FromWorker = { kind: 'done', dims: built.dims, films: built.items.length, items, vectors, encoder, checksum, stats };
        // Copied, not transferred: a Buffer may be a slice of a shared pool.
        port.postMessage(reply);
      } catch (err) {
        port.postMessage({ kind: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies FromWorker);
      }
    }
  });
}
