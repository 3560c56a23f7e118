import { RECOMMEND_K_MAX } from '@cine/common';
import { type Static, Type } from '@sinclair/typebox';

/** Route schemas built to the shape of common/src/contracts/recommender.contract.ts. */
const Tconst = Type.String({ pattern: '^tt[0-9]{7,10}$', description: 'IMDb title id, e.g. tt0068646' });

export const RecommendFiltersSchema = Type.Object(
  {
    genres: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 30 })),
    decades: Type.Optional(Type.Array(Type.Integer({ minimum: 1870, maximum: 2100, multipleOf: 10 }), { maxItems: 30 })),
    maxRuntime: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    frenchOnly: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const RecommendRequestSchema = Type.Object(
  {
    liked: Type.Array(Tconst, { maxItems: 100 }),
    disliked: Type.Optional(Type.Array(Tconst, { maxItems: 100 })),
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: RECOMMEND_K_MAX })),
    filters: Type.Optional(RecommendFiltersSchema),
    diversity: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);
export type RecommendRequestBody = Static<typeof RecommendRequestSchema>;

const ReasonPartSchema = Type.Object({
  kind: Type.Union(
    ['director', 'writer', 'cast', 'collection', 'genres', 'decade', 'country', 'language', 'popular', 'similar'].map((k) => Type.Literal(k)),
  ),
  values: Type.Array(Type.String()),
  because: Type.Optional(Type.Array(Type.String())),
});

export const RecommendResponseSchema = Type.Object({
  version: Type.Integer(),
  coldStart: Type.Boolean(),
  unknown: Type.Array(Type.String()),
  encoded: Type.Array(Type.String()),
  items: Type.Array(
    Type.Object({
      tconst: Type.String(),
      score: Type.Number(),
      reason: Type.Object({ fr: Type.String(), en: Type.String() }),
      reasons: Type.Array(ReasonPartSchema),
    }),
  ),
});

export const ErrorBodySchema = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
});
