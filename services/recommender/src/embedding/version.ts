import { createHash } from 'node:crypto';
import type { FilmRow } from './film-row';
import type { EncoderData } from './encoder';

/** What the service needs about each film of a version, beside its vector. */
export interface ItemMeta {
  tconst: string;
  title: string;
  year: number | null;
  runtime: number | null;
  /** IMDb genre names (TMDB names mapped where IMDb had none). */
  genres: string[];
  /** Original language fr or France among the production countries. */
  french: boolean;
  rating: number | null;
  votes: number;
}

/** A version as it travels between the build, the database and the service. */
export interface EmbeddingVersion {
  id: number;
  dims: number;
  items: ItemMeta[];
  /** films × dims, row-major, rows L2-normalised. */
  vectors: Float32Array;
  /** Features → learned block, for titles outside the index (embedding/encoder.ts); absent in versions built before it. */
  encoder?: EncoderData | null;
  createdAt: Date;
  stats: Record<string, unknown>;
}

const TMDB_TO_IMDB_GENRE: Record<string, string> = { 'Science Fiction': 'Sci-Fi', 'TV Movie': '', Foreign: '' };

/** What the index keeps of a film (also how the encoder places a title outside it: year, genres). */
export function itemOf(film: FilmRow): ItemMeta {
  const genres = film.genres.length > 0 ? film.genres : film.tmdbGenres.map((g) => TMDB_TO_IMDB_GENRE[g] ?? g).filter((g) => g !== '');
  return {
    tconst: film.tconst,
    title: film.title,
    year: film.year,
    runtime: film.runtime,
    genres,
    french: film.language === 'fr' || film.countries.includes('FR'),
    rating: film.rating,
    votes: film.votes,
  };
}

export function encodeItems(items: readonly ItemMeta[]): Buffer {
  // Arrays rather than objects: a 40 k-film catalogue stays a couple of megabytes.
  return Buffer.from(JSON.stringify(items.map((i) => [i.tconst, i.title, i.year, i.runtime, i.genres, i.french ? 1 : 0, i.rating, i.votes])), 'utf8');
}

export function decodeItems(bytes: Uint8Array): ItemMeta[] {
  const rows = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as unknown[][];
  return rows.map((r) => ({
    tconst: r[0] as string,
    title: r[1] as string,
    year: r[2] as number | null,
    runtime: r[3] as number | null,
    genres: r[4] as string[],
    french: r[5] === 1,
    rating: r[6] as number | null,
    votes: r[7] as number,
  }));
}

export function encodeVectors(vectors: Float32Array): Buffer {
  const out = Buffer.alloc(vectors.length * 4);
  for (let i = 0; i < vectors.length; i++) out.writeFloatLE(vectors[i]!, i * 4);
  return out;
}

export function decodeVectors(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength >>> 2);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** sha256 over the blobs in order; a version without an encoder hashes as versions did before it. */
export function versionChecksum(items: Uint8Array, vectors: Uint8Array, encoder?: Uint8Array | null): string {
  const hash = createHash('sha256').update(items).update(vectors);
  if (encoder) hash.update(encoder);
  return hash.digest('hex');
}
