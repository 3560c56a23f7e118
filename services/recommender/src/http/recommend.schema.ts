import { assertSame, type ErrorBody, RECOMMEND_CANDIDATES_MAX, RECOMMEND_K_MAX, type RecommendFilters, type RecommendRequest, type RecommendResponse, type Same } from '@cine/common';
import { type Static, Type } from '@sinclair/typebox';

/**
 * Route schemas built to the shape of common/src/contracts/recommender.contract.ts, which the
 * gateway imports: the assertions at the end make a drift between the two a compile error.
 */
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
    candidates: Type.Optional(Type.Array(Tconst, { maxItems: RECOMMEND_CANDIDATES_MAX, description: 'Score these films only, all of them, best first' })),
  },
  { additionalProperties: false },
);
export type RecommendRequestBody = Static<typeof RecommendRequestSchema>;

/** A string enum whose static type is the union of its values (a union built by `map` would be `string`). */
const StringEnum = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

const ReasonPartSchema = Type.Object({
  kind: StringEnum(['director', 'writer', 'cast', 'collection', 'genres', 'decade', 'country', 'language', 'popular', 'similar', 'colike']),
  values: Type.Array(Type.String()),
  because: Type.Optional(Type.Array(Type.String())),
});

export const RecommendResponseSchema = Type.Object({
  version: Type.Integer(),
  coldStart: Type.Boolean(),
  unknown: Type.Array(Type.String()),
  encoded: Type.Array(Type.String()),
  fitScore: Type.Optional(Type.Number({ description: 'With candidates: the score of the 100th film of the index for this taste' })),
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

assertSame<Same<Static<typeof RecommendFiltersSchema>, RecommendFilters>>();
// The request schema is stricter (patterns, bounds) but accepts exactly the contract's fields.
assertSame<Same<Static<typeof RecommendRequestSchema>, RecommendRequest>>();
assertSame<Same<Static<typeof RecommendResponseSchema>, RecommendResponse>>();
assertSame<Same<Static<typeof ErrorBodySchema>, ErrorBody>>();
