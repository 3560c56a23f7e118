import { Type } from '@sinclair/typebox';
import { NO_NUL } from './api.schema';

/** Admin routes: start an import on the ETL queue and follow it. Not part of the public contract. */

const strict = { additionalProperties: false } as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Sources = (description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 2000, ...NO_NUL }), { minItems: 0, maxItems: 10, description });
const StepState = Type.Unsafe<'waiting' | 'active' | 'completed' | 'failed'>({ type: 'string', enum: ['waiting', 'active', 'completed', 'failed'] });

export const EtlRunBodySchema = Type.Object(
  {
    imdb: Type.Optional(Sources('IMDb folders or base URLs, merged in order; both lists absent: the configured IMDB_SOURCE and TMDB_SOURCE')),
    tmdb: Type.Optional(Sources('TMDB CSV files or URLs')),
    policy: Type.Optional(
      Type.Object(
        {
          movieMinVotes: Type.Optional(Type.Integer({ minimum: 0 })),
          seriesMinVotes: Type.Optional(Type.Integer({ minimum: 0 })),
          minRuntime: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
          maxRuntime: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
          includeAdult: Type.Optional(Type.Boolean()),
          maxRejectShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
        },
        { ...strict, description: 'Overrides of the import filter policy' },
      ),
    ),
    force: Type.Optional(
      Type.Boolean({
        description:
          'Run again an import that was already requested with the same sources, and accept a new catalogue under half of the one served (refused otherwise, so that a truncated download cannot empty it)',
      }),
    ),
    reason: Type.Optional(Type.String({ maxLength: 200, ...NO_NUL })),
  },
  strict,
);

export const EtlRunAcceptedSchema = Type.Object(
  {
    id: Type.String(),
    deduplicated: Type.Boolean({ description: 'The same import was already queued or running: this is that run' }),
    statusUrl: Type.String(),
  },
  strict,
);

export const EtlRunParamsSchema = Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,100}$' }) }, strict);

const ProgressSchema = Type.Object(
  {
    phase: Type.String(),
    file: Nullable(Type.String()),
    fileIndex: Type.Integer(),
    fileCount: Type.Integer(),
    bytesRead: Type.Number(),
    bytesTotal: Nullable(Type.Number()),
    rowsRead: Type.Number(),
    rowsKept: Type.Number(),
  },
  strict,
);

export const EtlRunViewSchema = Type.Object(
  {
    id: Type.String(),
    state: StepState,
    steps: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          name: Type.String(),
          state: StepState,
          progress: Nullable(ProgressSchema),
          error: Nullable(Type.String()),
          result: Type.Unknown({ description: 'What the step reported when it ended (counts)' }),
        },
        strict,
      ),
    ),
    error: Nullable(Type.String()),
  },
  strict,
);

