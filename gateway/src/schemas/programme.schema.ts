import { type AdminWeek, assertSame, type FilmAudience, type Same, type ScreeningMatchesRequest, type ScreeningMatchesResponse, type ScreeningsResponse } from '@cine/common';
import { SCREENING_LABELS } from '@cine/db';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Bilingual, EntryList, NO_NUL, PosterUrlsSchema, ReasonPartSchema, ResolvedEntrySchema, Tconst } from './api.schema';

/** The programme's routes: the owner's editor (admin) and what customers read. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
const strict = { additionalProperties: false } as const;

export const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const LocalDate = (description: string) => Type.String({ pattern: DATE_PATTERN, description, examples: ['2026-12-16'] });
/** ISO 8601 with an explicit offset (or Z): a séance time without one would be ambiguous. */
const OFFSET_DATE_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2})$';

export const Version = StringEnum(['VF', 'VOST', 'VO'] as const, { description: 'VF dubbed in French, VOST original with French subtitles, VO original' });
export const Format = StringEnum(['2D', '3D'] as const);
export const Label = StringEnum(SCREENING_LABELS);
const Accessibility = Type.Object(
  {
    sme: Type.Boolean({ description: 'Subtitles for the deaf and hard of hearing (sous-titres SME)' }),
    ad: Type.Boolean({ description: 'Audio description' }),
  },
  strict,
);

// ---- rooms ----
export const RoomInputSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60, ...NO_NUL }),
    seats: Type.Integer({ minimum: 1, maximum: 5000 }),
    wheelchair: Type.Optional(Type.Boolean()),
  },
  strict,
);
export const RoomSchema = Type.Object({ id: Type.Integer(), name: Type.String(), seats: Type.Integer(), wheelchair: Type.Boolean() }, strict);
export const RoomListSchema = Type.Object({ items: Type.Array(RoomSchema) }, strict);

// ---- séances, as the owner writes them ----
const screeningInputProperties = {
  tconst: Tconst,
  startsAt: Type.String({ pattern: OFFSET_DATE_TIME, description: 'ISO 8601 with offset', examples: ['2026-12-16T20:30:00+01:00'] }),
  room: Type.String({ minLength: 1, maxLength: 60, ...NO_NUL, description: "A room's name" }),
  version: Version,
  format: Type.Optional(Format),
  accessibility: Type.Optional(Type.Object({ sme: Type.Optional(Type.Boolean()), ad: Type.Optional(Type.Boolean()) }, strict)),
  labels: Type.Optional(Type.Array(Label, { maxItems: 6, uniqueItems: true })),
  priceNote: Type.Optional(Nullable(Type.String({ maxLength: 200, ...NO_NUL }))),
  bookingUrl: Type.Optional(Nullable(Type.String({ maxLength: 500, pattern: '^https://[^\\s]+$', description: 'https only' }))),
};
export const ScreeningInputSchema = Type.Object(screeningInputProperties, strict);
export type ScreeningInput = Static<typeof ScreeningInputSchema>;
export const ScreeningPatchSchema = Type.Partial(Type.Object(screeningInputProperties, strict), { ...strict, minProperties: 1 });
export type ScreeningPatch = Static<typeof ScreeningPatchSchema>;

export const ScreeningParamsSchema = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }) }, strict);
export const WeekQuerySchema = Type.Object({ week: LocalDate('Any day of the programme week (Wednesday to Tuesday)') }, strict);
export const WeekParamsSchema = Type.Object({ weekStart: LocalDate('The Wednesday the programme week starts on') }, strict);
export const DuplicateBodySchema = Type.Object({ to: LocalDate('The Wednesday of the week to fill') }, strict);

/** A séance's own fields, for the owner and the customers alike (the contract's ScreeningDetails). */
const screeningDetails = {
  room: Type.String(),
  version: Version,
  format: Format,
  accessibility: Accessibility,
  labels: Type.Array(Label),
  priceNote: Nullable(Type.String()),
  bookingUrl: Nullable(Type.String()),
  status: StringEnum(['scheduled', 'cancelled'] as const, { description: 'A cancelled séance stays listed, marked so' }),
};

export const AdminScreeningSchema = Type.Object(
  {
    id: Type.String(),
    tconst: Type.String(),
    title: Nullable(Type.String({ description: "The display title: the catalogue's (French when known), else the IMDb files' primary title; null when neither holds the film" })),
    startsAt: Type.String(),
    weekStart: Type.String(),
    ...screeningDetails,
  },
  strict,
);
export const AdminWeekSchema = Type.Object(
  {
    weekStart: Type.String(),
    publishedAt: Nullable(Type.String({ description: 'null: a draft, customers do not see it' })),
    items: Type.Array(AdminScreeningSchema),
  },
  strict,
);
export const ImportResultSchema = Type.Object({ created: Type.Integer(), weeks: Type.Array(Type.String()) }, strict);
export const PublishResultSchema = Type.Object({ weekStart: Type.String(), publishedAt: Type.String(), screenings: Type.Integer() }, strict);
export const DuplicateResultSchema = Type.Object({ from: Type.String(), to: Type.String(), created: Type.Integer() }, strict);

// ---- séances, as customers read them ----
export const ScreeningsQuerySchema = Type.Object(
  {
    from: Type.Optional(LocalDate('First day (cinema time zone); default today')),
    to: Type.Optional(LocalDate('Last day, included; default 14 days after from; at most 62 days after from')),
  },
  strict,
);
const ScreeningFilmSchema = Type.Object(
  {
    tconst: Type.String(),
    title: Type.String({ description: 'French title when known, else the primary title' }),
    primaryTitle: Nullable(Type.String()),
    originalTitle: Nullable(Type.String()),
    frenchTitle: Nullable(Type.String()),
    year: Nullable(Type.Integer()),
    runtimeMinutes: Nullable(Type.Integer()),
    genres: Type.Array(Type.String()),
    poster: Nullable(PosterUrlsSchema),
    originalLanguage: Nullable(Type.String()),
  },
  strict,
);
export const ScreeningSchema = Type.Object(
  {
    id: Type.String(),
    film: ScreeningFilmSchema,
    startsAt: Type.String({ description: 'ISO 8601 with the cinema offset' }),
    endsAt: Type.String({ description: 'From the runtime; 2 h when unknown' }),
    ...screeningDetails,
    icsUrl: Type.String(),
  },
  strict,
);
export const ScreeningsResponseSchema = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    timeZone: Type.String(),
    items: Type.Array(ScreeningSchema, { description: 'In start order; grouping by film is left to the page' }),
  },
  strict,
);
export const IcsParamsSchema = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,17}$' }) }, strict);
export const CalendarSchema = Type.String({ description: 'text/calendar (RFC 5545)' });


// ---- the programme for one taste ----
export const MatchesRequestSchema = Type.Object(
  {
    liked: EntryList('tconsts or titles, as for the recommendations; empty: the films in the order of their first séance, no scores'),
    disliked: Type.Optional(EntryList('tconsts or titles pushed away')),
    from: Type.Optional(LocalDate('First day (cinema time zone); default today')),
    to: Type.Optional(LocalDate('Last day, included; default 14 days after from; at most 62 days after from')),
    visitId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$', description: "The page's random id of this visit; accepted, not used yet" })),
  },
  strict,
);
const FilmMatchSchema = Type.Object(
  {
    film: ScreeningFilmSchema,
    score: Nullable(Type.Number({ description: 'null when the taste says nothing of this film' })),
    forYou: Type.Boolean({ description: 'The film fits the taste ("pour vous"); such films come first' }),
    reason: Nullable(Bilingual),
    reasons: Type.Array(ReasonPartSchema),
    screenings: Type.Array(Type.Omit(ScreeningSchema, ['film']), { description: 'Its scheduled séances in the period, in start order' }),
  },
  strict,
);
export const MatchesResponseSchema = Type.Object(
  {
    from: Type.String(),
    to: Type.String(),
    timeZone: Type.String(),
    coldStart: Type.Boolean({ description: 'Nothing liked could be used: films in the order of their first séance' }),
    resolved: Type.Object({ liked: Type.Array(ResolvedEntrySchema), disliked: Type.Array(ResolvedEntrySchema) }, strict),
    items: Type.Array(FilmMatchSchema, { description: 'Fitting films first, best first; then the others' }),
  },
  strict,
);

// ---- a film's audience, for the owner ----
export const AudienceParamsSchema = Type.Object({ tconst: Tconst }, strict);
export const AudienceSchema = Type.Object(
  {
    tconst: Type.String(),
    tastes: Type.Integer({ description: 'Tastes the source knows' }),
    fits: Type.Integer({ description: 'Of those, how many the film fits' }),
    reasons: Type.Array(
      Type.Object({ kind: ReasonPartSchema.properties.kind, value: Type.String(), count: Type.Integer() }, strict),
      { description: 'The reasons most given, most frequent first' },
    ),
    source: Type.String({ description: "Where the tastes come from; 'none' while the product keeps none" }),
    message: Type.Optional(Type.String()),
  },
  strict,
);

assertSame<Same<Static<typeof ScreeningsResponseSchema>, ScreeningsResponse>>();
assertSame<Same<Static<typeof MatchesRequestSchema>, ScreeningMatchesRequest>>();
assertSame<Same<Static<typeof MatchesResponseSchema>, ScreeningMatchesResponse>>();
assertSame<Same<Static<typeof AudienceSchema>, FilmAudience>>();
assertSame<Same<Static<typeof AdminWeekSchema>, AdminWeek>>();
