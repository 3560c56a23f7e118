import type {
  ApiError,
  CatalogueStatus,
  FilmDetail,
  KpiData,
  KpiSummary,
  RecommendationsRequest,
  RecommendationsResponse,
  SearchResponse,
} from '@cine/common';
import { assertSame, RECOMMEND_K_MAX, type Same } from '@cine/common';
import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * The public API's schemas, built to match `common/src/contracts/api.contract.ts`: fastify
 * validates requests and serialises answers with them, and the OpenAPI document is generated from
 * them. The assertions at the end make a drift between the two a compile error.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** A string enum as plain JSON Schema `enum`: clearer validation messages and OpenAPI than a union of constants. */
const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
const strict = { additionalProperties: false } as const;
export const Bilingual = Type.Object({ fr: Type.String(), en: Type.String() }, strict);

/**
 * Free text a customer types: anything but NUL, which PostgreSQL cannot store in text (a NUL
 * would otherwise surface as a 500 from deep inside a query).
 */
export const NO_NUL = { pattern: '^[^\\u0000]*$' } as const;

export const TCONST_PATTERN = '^tt[0-9]{7,10}$';
export const Tconst = Type.String({ pattern: TCONST_PATTERN, description: 'IMDb title id', examples: ['tt0068646'] });

export const ApiErrorSchema = Type.Object(
  { statusCode: Type.Integer(), error: Type.String(), message: Type.String() },
  { ...strict, description: 'Every error answer; never internals' },
);

export const PosterUrlsSchema = Type.Object(
  { w185: Type.String(), w342: Type.String(), w500: Type.String() },
  { ...strict, description: "The film's poster by width: the gateway's /posters/{size}/{tconst}.jpg?v={TMDB file name}, relative to the gateway (a new poster is a new URL)" },
);

export const SearchQuerySchema = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200, ...NO_NUL, description: 'What the customer typed: any case, accents optional, typos forgiven' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
    type: Type.Optional(StringEnum(['movie', 'series', 'all'], { default: 'all', description: 'movie, series (tvSeries and tvMiniSeries) or all' })),
  },
  strict,
);

export const SearchHitSchema = Type.Object(
  {
    tconst: Type.String(),
    title: Type.String({ description: 'French title when known, else the primary title' }),
    primaryTitle: Type.String(),
    originalTitle: Type.String(),
    frenchTitle: Nullable(Type.String()),
    year: Nullable(Type.Integer({ description: 'Start year: tells homonyms apart' })),
    titleType: Type.String(),
    genres: Type.Array(Type.String()),
    rating: Nullable(Type.Number()),
    votes: Type.Integer(),
    poster: Nullable(PosterUrlsSchema),
    match: StringEnum(['exact', 'prefix', 'similar'], { description: 'How the query matched, best first' }),
  },
  strict,
);

export const SearchResponseSchema = Type.Object({ query: Type.String(), items: Type.Array(SearchHitSchema) }, strict);

export const FilmParamsSchema = Type.Object({ tconst: Tconst }, strict);

const PersonRefSchema = Type.Object({ nconst: Type.String(), name: Type.String() }, strict);
const CastMemberSchema = Type.Object(
  { nconst: Type.String(), name: Type.String(), category: Type.String(), characters: Type.Array(Type.String()) },
  strict,
);

const filmDetailProperties = {
  tconst: Type.String(),
  title: Type.String({ description: 'French title when known, else the primary title' }),
  primaryTitle: Type.String(),
  originalTitle: Type.String(),
  frenchTitle: Nullable(Type.String()),
  titleType: Type.String(),
  year: Nullable(Type.Integer()),
  endYear: Nullable(Type.Integer()),
  runtimeMinutes: Nullable(Type.Integer()),
  genres: Type.Array(Type.String()),
  rating: Nullable(Type.Number()),
  votes: Type.Integer(),
  directors: Type.Array(PersonRefSchema),
  writers: Type.Array(PersonRefSchema),
  cast: Type.Array(CastMemberSchema, { description: 'Top-billed cast, in billing order' }),
  overview: Nullable(Type.String()),
  poster: Nullable(PosterUrlsSchema),
  countries: Type.Array(Type.String(), { description: 'ISO 3166-1 alpha-2 production countries (TMDB)' }),
  originalLanguage: Nullable(Type.String()),
  budget: Nullable(Type.Number({ description: 'US dollars; null when unknown' })),
  revenue: Nullable(Type.Number({ description: 'US dollars; null when unknown' })),
  collection: Nullable(Type.String()),
};

export const FilmDetailSchema = Type.Object(filmDetailProperties, strict);

export const EntryList = (description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 200, ...NO_NUL }), { maxItems: 50, description });

export const RecommendFiltersSchema = Type.Object(
  {
    genres: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 40, ...NO_NUL }), { maxItems: 30, description: "IMDb genres ('Drama'…); a film needs one of them" })),
    decades: Type.Optional(Type.Array(Type.Integer({ minimum: 1870, maximum: 2100, multipleOf: 10 }), { maxItems: 30, description: 'Decade starts (1990 = 1990–1999)' })),
    maxRuntime: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Minutes; films of unknown runtime are kept' })),
    frenchOnly: Type.Optional(Type.Boolean({ description: 'Original language fr, or France among the production countries' })),
  },
  strict,
);

/** `crypto.randomUUID()`'s shape: a version-4 UUID in lower case. */
export const VISIT_ID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$';

export const RecommendationsRequestSchema = Type.Object(
  {
    liked: EntryList('tconsts ("tt0110912") or titles ("pulp fiction", "le parrain"), films or series (a title resolves to a film first); empty: well-rated popular films'),
    disliked: Type.Optional(EntryList('tconsts or titles pushed away and never returned')),
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: RECOMMEND_K_MAX, default: 10 })),
    filters: Type.Optional(RecommendFiltersSchema),
    diversity: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 0, description: '1 asks for the most varied list' })),
    visitId: Type.Optional(
      Type.String({
        pattern: VISIT_ID_PATTERN,
        description:
          'A random UUID v4 the page makes once per visit (lower case). With it, the liked and disliked films of the visit are counted once in the taste store (counts per film and per pair only; the id itself is never stored). Without it nothing is learned.',
        examples: ['3f0e6f57-6a43-4f6b-9f0a-2f7c2b7f5d10'],
      }),
    ),
  },
  strict,
);

export const ResolvedEntrySchema = Type.Object(
  {
    input: Type.String(),
    status: StringEnum(['resolved', 'not_found']),
    tconst: Nullable(Type.String()),
    title: Nullable(Type.String()),
    year: Nullable(Type.Integer()),
  },
  strict,
);

export const ReasonPartSchema = Type.Object(
  {
    kind: StringEnum(['director', 'writer', 'cast', 'collection', 'genres', 'decade', 'country', 'language', 'popular', 'similar', 'colike']),
    values: Type.Array(Type.String()),
    because: Type.Optional(Type.Array(Type.String())),
  },
  strict,
);

export const RecommendationSchema = Type.Object(
  { ...filmDetailProperties, score: Type.Number(), reason: Bilingual, reasons: Type.Array(ReasonPartSchema) },
  strict,
);

export const RecommendationsResponseSchema = Type.Object(
  {
    version: Type.Integer({ description: 'The embedding version that answered' }),
    coldStart: Type.Boolean({ description: 'True when nothing liked could be used: well-rated popular films' }),
    resolved: Type.Object({ liked: Type.Array(ResolvedEntrySchema), disliked: Type.Array(ResolvedEntrySchema) }, strict),
    items: Type.Array(RecommendationSchema),
  },
  strict,
);

const KpiColumnSchema = Type.Object({ name: Type.String(), type: Type.String(), description: Bilingual }, strict);
const kpiSummaryProperties = {
  name: Type.String(),
  title: Bilingual,
  description: Bilingual,
  columns: Type.Array(KpiColumnSchema),
};
export const KpiSummarySchema = Type.Object(kpiSummaryProperties, strict);
export const KpiListSchema = Type.Array(KpiSummarySchema);
export const KpiDataSchema = Type.Object(
  { ...kpiSummaryProperties, rows: Type.Array(Type.Record(Type.String(), Type.Unknown()), { description: 'One object per row, keys as in columns' }) },
  strict,
);
export const KpiParamsSchema = Type.Object({ name: Type.String({ pattern: '^[a-z][a-z0-9_]{0,62}$' }) }, strict);

export const CatalogueStatusSchema = Type.Object(
  {
    films: Type.Integer(),
    series: Type.Integer(),
    ready: Type.Boolean({ description: 'True once a catalogue has been imported' }),
    learnsFromVisits: Type.Boolean({ description: 'True when the install learns from visits (LEARN_FROM_VISITS): the page sends its visit id and says what is kept' }),
    import: Type.Object(
      {
        state: StringEnum(['idle', 'queued', 'running', 'failed']),
        progress: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
        step: Nullable(Type.String({ description: 'The running step from a fixed list ("title.basics 41 %"); never a path or an error' })),
        finishedAt: Nullable(Type.String({ description: 'ISO 8601 end of the last import' })),
        message: Type.Object({ fr: Type.String(), en: Type.String() }, { ...strict, description: 'One plain sentence for the state, from a fixed list' }),
      },
      strict,
    ),
  },
  strict,
);

/** Compile-time proof that the schemas and the contract describe the same shapes, both ways. */
assertSame<Same<Static<typeof ApiErrorSchema>, ApiError>>();
assertSame<Same<Static<typeof SearchResponseSchema>, SearchResponse>>();
assertSame<Same<Static<typeof FilmDetailSchema>, FilmDetail>>();
assertSame<Same<Static<typeof RecommendationsResponseSchema>, RecommendationsResponse>>();
assertSame<Same<Static<typeof KpiSummarySchema>, KpiSummary>>();
assertSame<Same<Static<typeof KpiDataSchema>, KpiData>>();
assertSame<Same<Static<typeof CatalogueStatusSchema>, CatalogueStatus>>();
// The request schema is stricter (lengths, bounds) but accepts exactly the contract's fields.
assertSame<Same<Static<typeof RecommendationsRequestSchema>, RecommendationsRequest>>();

/** Error answers a route may give, for its response schema (and the OpenAPI document). */
export function errorResponses<const C extends readonly number[]>(...codes: C): { [K in C[number]]: typeof ApiErrorSchema } {
  return Object.fromEntries(codes.map((code) => [code, ApiErrorSchema])) as { [K in C[number]]: typeof ApiErrorSchema };
}
