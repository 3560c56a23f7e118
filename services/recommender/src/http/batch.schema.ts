import { assertSame, type BatchScoreRequest, type BatchScoreResponse, RECOMMEND_BATCH_TASTES_MAX, RECOMMEND_CANDIDATES_MAX, type Same } from '@cine/common';
import { type Static, Type } from '@sinclair/typebox';
import { RecommendResponseSchema } from './recommend.schema';

/**
 * `POST /v1/recommendations/batch`, built to common/src/contracts/recommender.contract.ts like the
 * single route's schemas (recommend.schema.ts): a drift between the two is a compile error.
 */
const Tconst = Type.String({ pattern: '^tt[0-9]{7,10}$', description: 'IMDb title id, e.g. tt0068646' });

export const BatchScoreRequestSchema = Type.Object(
  {
    tastes: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1, maxLength: 64, description: "The caller's id for this taste, echoed" }),
          liked: Type.Array(Tconst, { maxItems: 100 }),
          disliked: Type.Optional(Type.Array(Tconst, { maxItems: 100 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: RECOMMEND_BATCH_TASTES_MAX },
    ),
    candidates: Type.Array(Tconst, { maxItems: RECOMMEND_CANDIDATES_MAX, description: 'The films every taste is scored against' }),
    top: Type.Optional(Type.Integer({ minimum: 1, maximum: RECOMMEND_CANDIDATES_MAX, description: 'Only the n best films of each taste' })),
    reasons: Type.Optional(Type.Boolean({ description: 'Each returned film with its reason (default false)' })),
    fit: Type.Optional(Type.Boolean({ description: "Each taste's fitScore: ranks the whole index per taste (default true)" })),
  },
  { additionalProperties: false },
);
export type BatchScoreRequestBody = Static<typeof BatchScoreRequestSchema>;

const SingleItem = RecommendResponseSchema.properties.items.items;

export const BatchScoreResponseSchema = Type.Object({
  version: Type.Integer(),
  unknown: Type.Array(Type.String()),
  tastes: Type.Array(
    Type.Object({
      id: Type.String(),
      coldStart: Type.Boolean(),
      unknown: Type.Array(Type.String()),
      encoded: Type.Array(Type.String()),
      fitScore: Type.Optional(Type.Number()),
      items: Type.Array(
        Type.Object({
          tconst: Type.String(),
          score: Type.Number(),
          reason: Type.Optional(SingleItem.properties.reason),
          reasons: Type.Optional(SingleItem.properties.reasons),
        }),
      ),
    }),
  ),
});

assertSame<Same<Static<typeof BatchScoreRequestSchema>, BatchScoreRequest>>();
assertSame<Same<Static<typeof BatchScoreResponseSchema>, BatchScoreResponse>>();
