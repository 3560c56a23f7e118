import { assertSame, type FilmIndexSearchResponse, type Same } from '@cine/common';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { NO_NUL, Tconst } from './api.schema';

/** The programme editor's search of films to programme, over the film index. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const strict = { additionalProperties: false } as const;

export const FilmIndexSearchQuerySchema = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200, ...NO_NUL, description: 'A title as the owner types it: any case, accents optional, typos forgiven' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })),
  },
  strict,
);

const FilmIndexHitSchema = Type.Object(
  {
    tconst: Tconst,
    titleType: Type.String({ description: "'movie' or 'tvMovie'" }),
    title: Type.String(),
    originalTitle: Type.String(),
    frenchTitle: Nullable(Type.String()),
    year: Nullable(Type.Integer()),
    runtimeMinutes: Nullable(Type.Integer()),
    genres: Type.Array(Type.String()),
    averageRating: Nullable(Type.Number()),
    numVotes: Nullable(Type.Integer({ description: 'Null when IMDb has no rating for the film' })),
    inCatalogue: Type.Boolean({ description: "The catalogue has the film's page" }),
    rank: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)], { description: '0 exact title, 1 title prefix, 2 similar title' }),
  },
  strict,
);

export const FilmIndexSearchResponseSchema = Type.Object({ query: Type.String(), items: Type.Array(FilmIndexHitSchema) }, strict);

assertSame<Same<Static<typeof FilmIndexSearchResponseSchema>, FilmIndexSearchResponse>>();
