import { createHash } from 'node:crypto';

/** The TMDB sizes we serve: the ones the page's srcset names. */
export const POSTER_SIZES = ['w185', 'w342', 'w500'] as const;
export type PosterSize = (typeof POSTER_SIZES)[number];

/**
 * A TMDB poster path as title_tmdb holds it (`/abc123.jpg`). Anything else is refused before it
 * reaches a URL: the column is imported data, and must not steer the request elsewhere.
 */
const POSTER_PATH = /^\/[A-Za-z0-9_-]{1,100}\.jpg$/;

/** The upstream URL of one poster (`${base}/${size}${posterPath}`), or null for a path we would not ask for. */
export function upstreamPosterUrl(base: string, size: PosterSize, posterPath: string): string | null {
  const path = posterPath.startsWith('/') ? posterPath : `/${posterPath}`;
  if (!POSTER_PATH.test(path)) return null;
  return `${base.replace(/\/+$/, '')}/${size}${path}`;
}

/** A JPEG starts with SOI (FF D8) then a marker (FF): what TMDB sends, and nothing else is kept. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** `image/jpeg`, parameters allowed; an absent or other type is refused with the body. */
export function isJpegContentType(contentType: string | null | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'image/jpeg';
}

/** A strong ETag naming the bytes. */
export function etagOf(bytes: Uint8Array): string {
  return `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 32)}"`;
}

/** Whether an If-None-Match header names this ETag (a list, `*`, or weak forms all count). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * What answers when there is no poster to show: a film camera on grey, static and naming nothing,
 * so it is the same bytes for every film and carries no customer text. SVG rather than JPEG: a few
 * hundred bytes written by hand, and <img> shows it like any image.
 * Square on purpose: no TMDB poster is (they are 2:3), so the page (gateway/web Poster.tsx) tells
 * it apart by its natural size, whatever srcset scaled it by, and draws its own, titled, instead.
 */
export const PLACEHOLDER_SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 300" width="300" height="300">' +
    '<rect width="300" height="300" fill="#3a3a40"/>' +
    '<rect x="100" y="120" width="80" height="60" rx="6" fill="none" stroke="#8a8a94" stroke-width="6"/>' +
    '<path d="M180 140 l30 -15 v50 l-30 -15 z" fill="#8a8a94"/>' +
    '<circle cx="120" cy="105" r="14" fill="#8a8a94"/><circle cx="160" cy="105" r="14" fill="#8a8a94"/>' +
    '</svg>',
  'utf8',
);
export const PLACEHOLDER_CONTENT_TYPE = 'image/svg+xml';

/**
 * The version of a poster in its URL (`?v=`): the TMDB file name without its extension, which
 * TMDB changes when the poster changes. Only URL-safe characters are kept.
 */
export function posterVersion(posterPath: string): string {
  const name = posterPath.slice(posterPath.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return (dot > 0 ? name.slice(0, dot) : name).replace(/[^A-Za-z0-9_-]/g, '').slice(0, 100);
}
