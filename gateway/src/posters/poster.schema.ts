import { Type } from '@sinclair/typebox';
import { TCONST_PATTERN } from '../schemas/api.schema';
import { POSTER_SIZES } from './poster-image';

export const PosterParamsSchema = Type.Object(
  {
    size: Type.Unsafe<(typeof POSTER_SIZES)[number]>({ type: 'string', enum: [...POSTER_SIZES], description: 'TMDB width' }),
    tconst: Type.String({ pattern: TCONST_PATTERN, description: 'IMDb title id', examples: ['tt0068646'] }),
  },
  { additionalProperties: false },
);

export const PosterQuerySchema = Type.Object(
  {
    v: Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$', description: "The poster's version, as the film answers give it (the TMDB file name): a changed poster has a new URL" }),
    ),
  },
  { additionalProperties: false },
);

const binary = { type: 'string', format: 'binary' } as const;

/** The 200 answer: the poster, or the placeholder when there is none to show. */
export const PosterImageResponse = {
  description:
    'The poster (image/jpeg; cached a year, immutable, with an ETag), or a placeholder (image/svg+xml; cached a minute after a failure of TMDB, an hour when the film has no poster).',
  content: { 'image/jpeg': { schema: binary }, 'image/svg+xml': { schema: binary } },
} as const;

export const NotModifiedResponse = { description: 'Not modified (If-None-Match named the ETag)', type: 'null' } as const;
