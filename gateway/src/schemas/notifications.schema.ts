import {
  assertSame,
  type ConfirmRequest,
  type ConfirmResponse,
  type ConsentWording,
  type DigestPreview,
  type DigestRunAccepted,
  type DigestRunRequest,
  type NotificationStats,
  type Same,
  type SubscribeAccepted,
  type SubscribeRequest,
  type SubscriptionExport,
  type SubscriptionView,
  type UpdateSubscription,
} from '@cine/common';
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Bilingual, EntryList, NO_NUL, ReasonPartSchema } from './api.schema';

/**
 * The notification routes' schemas (common/src/contracts/notifications.contract.ts): the
 * customer's subscription, the one-click unsubscribe, the owner's figures. The gateway validates
 * here, resolves titles, then forwards to the notifier, which validates again on its side.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string } = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
const strict = { additionalProperties: false } as const;

/**
 * A token of an email's link or of the manage page: random, URL-safe (base64url or hex). Bounded
 * so that no path or header of absurd length reaches the notifier.
 */
export const TOKEN_PATTERN = '^[A-Za-z0-9_-]{16,200}$';
const Token = Type.String({ pattern: TOKEN_PATTERN, description: 'A token from an email (never logged)' });

const Version = StringEnum(['VF', 'VOST', 'VO'] as const);

export const ConsentWordingSchema = Type.Object(
  {
    version: Type.String({ description: 'Sent back with the subscription: the proof kept names it' }),
    text: Type.String({ description: 'The consent box’s exact wording, shown next to it, unticked' }),
    learning: Type.Object(
      {
        version: Type.String({ description: 'The learning wording’s version (recorded by the notifier with its SHA-256)' }),
        text: Type.String({ description: 'The optional second box’s exact wording (liked films counted for the suggestions made to others), shown under the first, unticked' }),
      },
      strict,
    ),
  },
  strict,
);

export const PreferencesSchema = Type.Object(
  {
    alerts: Type.Boolean({ description: 'An email when a séance fits the taste' }),
    digest: Type.Boolean({ description: "The week's films ranked for the taste, on the digest day" }),
    paused: Type.Optional(Type.Boolean({ description: 'Nothing is sent while paused; the subscription is kept' })),
    versions: Type.Optional(Type.Array(Version, { maxItems: 3, uniqueItems: true, description: 'Only séances in these versions (none: any)' })),
    accessibility: Type.Optional(Type.Object({ sme: Type.Optional(Type.Boolean()), ad: Type.Optional(Type.Boolean()) }, { ...strict, description: 'Only séances with these features' })),
    afternoonOnly: Type.Optional(Type.Boolean({ description: 'Only séances starting before 18:00, cinema time' })),
  },
  strict,
);

/** Like EntryList, but a subscription without a liked film would match nothing: at least one. */
const likedList = (description: string) => Type.Array(Type.String({ minLength: 1, maxLength: 200, ...NO_NUL }), { minItems: 1, maxItems: 50, description });

export const SubscribeRequestSchema = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254, description: 'Where the emails go; never logged' }),
    liked: likedList('tconsts or titles, as POST /api/v1/recommendations takes them (1 to 50); a title that resolves to no film is a 400 naming the entry'),
    disliked: Type.Optional(EntryList('tconsts or titles never suggested ("pas pour moi")')),
    preferences: PreferencesSchema,
    consent: Type.Object(
      {
        wordingVersion: Type.String({ maxLength: 40, description: 'The version of GET /api/v1/subscriptions/consent the customer saw (the current one)' }),
        accepted: Type.Literal(true, { description: 'The box was ticked by the customer' }),
        learning: Type.Optional(Type.Boolean({ description: 'The optional second box (the learning wording) was ticked; false or absent means no' })),
      },
      strict,
    ),
    source: Type.Optional(StringEnum(['page', 'widget'] as const, { description: 'Where the form was (kept with the proof of consent)' })),
  },
  strict,
);

export const SubscribeAcceptedSchema = Type.Object(
  { status: Type.Literal('pending'), message: Type.String({ description: 'The same words whether the address was known or not' }) },
  strict,
);

export const ConfirmRequestSchema = Type.Object({ token: Token }, strict);

const SubscribedFilmSchema = Type.Object({ tconst: Type.String(), title: Type.String(), year: Nullable(Type.Integer()) }, strict);

const subscriptionViewProperties = {
  email: Type.String({ description: 'Shown to its owner only (the manage token proves it)' }),
  status: StringEnum(['pending', 'active', 'paused', 'unsubscribed'] as const),
  channel: Type.Literal('email'),
  liked: Type.Array(SubscribedFilmSchema),
  disliked: Type.Array(SubscribedFilmSchema),
  preferences: PreferencesSchema,
  learning: Type.Boolean({ description: 'The learning consent is in force (the liked films count for the suggestions made to others)' }),
  confirmedAt: Nullable(Type.String({ description: 'ISO 8601' })),
};
export const SubscriptionViewSchema = Type.Object(subscriptionViewProperties, strict);

export const ConfirmResponseSchema = Type.Object(
  { subscription: SubscriptionViewSchema, manageToken: Type.String({ description: 'For the manage page (sent as Authorization: Bearer)' }) },
  strict,
);

export const UpdateSubscriptionSchema = Type.Object(
  {
    liked: Type.Optional(likedList('tconsts or titles (1 to 50); a title that resolves to no film is a 400 naming the entry')),
    disliked: Type.Optional(EntryList('tconsts or titles never suggested')),
    preferences: Type.Optional(PreferencesSchema),
    learning: Type.Optional(Type.Boolean({ description: 'Give (true) or withdraw (false) the learning consent; absent leaves it' })),
  },
  strict,
);

export const SubscriptionExportSchema = Type.Object(
  {
    exportedAt: Type.String(),
    subscription: Type.Object({ ...subscriptionViewProperties, createdAt: Type.String(), lastActivityAt: Type.String() }, strict),
    consent: Type.Array(
      Type.Object(
        {
          at: Type.String(),
          wordingVersion: Type.String(),
          wordingSha256: Type.String(),
          source: Type.String(),
          action: StringEnum(['given', 'withdrawn'] as const),
          purpose: StringEnum(['emails', 'learning'] as const, { description: 'What the consent is for: the emails, or the suggestions made to others' }),
        },
        strict,
      ),
    ),
    notifications: Type.Array(
      Type.Object(
        {
          kind: StringEnum(['confirmation', 'alert', 'digest', 'cancellation'] as const),
          tconst: Nullable(Type.String()),
          week: Nullable(Type.String()),
          sentAt: Nullable(Type.String()),
          status: Type.String(),
        },
        strict,
      ),
    ),
  },
  { ...strict, description: 'Everything kept about the address' },
);

export const UnsubscribeParamsSchema = Type.Object({ token: Token }, strict);

export const UnsubscribedSchema = Type.Object({ status: Type.Literal('unsubscribed'), message: Type.String() }, strict);

// ---- the owner's ----
const count = Type.Integer({ minimum: 0 });
const countOf = (description: string) => Type.Integer({ minimum: 0, description });
export const NotificationStatsSchema = Type.Object(
  {
    subscribers: count,
    confirmed: count,
    paused: count,
    pending: count,
    alertsSent: count,
    digestsSent: count,
    cancellationsSent: count,
    bounced: countOf('Addresses refused for good by their server (the suppression list)'),
    unsubscribed: countOf('One-click unsubscribes, ever: the same as departures.unsubscribe'),
    confirmationsSent: count,
    departures: Type.Object(
      {
        total: count,
        unsubscribe: countOf('One-click unsubscribe (an email’s link, its page, the mail program’s button)'),
        erase: countOf('« Me désabonner et tout effacer » on the manage page'),
        expired: countOf('Never confirmed: deleted after 7 days'),
        inactive: countOf('Erased after 3 years without activity'),
        bounced: countOf('Their address refused for good by its server (counted once: not again when erased later)'),
      },
      { ...strict, description: 'Subscribers who left, ever, by way: running totals that survive the erasure of whom they counted' },
    ),
  },
  {
    ...strict,
    description: 'Counts only: no address. Emails sent and departures are running totals (an erasure does not lower them); the rest is read now',
  },
);

export const PreviewQuerySchema = Type.Object(
  {
    subscriber: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: "A subscriber's id (never an address: a query string is logged)" })),
    liked: Type.Optional(
      Type.String({ pattern: '^tt\\d{7,10}(,tt\\d{7,10}){0,49}$', description: 'A sample taste: liked tconsts, comma-separated (without subscriber nor liked: the most-voted films)' }),
    ),
  },
  strict,
);

const MatchedFilmSchema = Type.Object(
  {
    tconst: Type.String(),
    title: Type.String(),
    year: Nullable(Type.Integer()),
    score: Type.Number(),
    reason: Bilingual,
    reasons: Type.Array(ReasonPartSchema),
    posterUrl: Nullable(Type.String()),
    screenings: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          startsAt: Type.String(),
          room: Type.String(),
          version: Version,
          accessibility: Type.Object({ sme: Type.Boolean(), ad: Type.Boolean() }, strict),
          icsUrl: Type.String(),
          bookingUrl: Nullable(Type.String()),
        },
        strict,
      ),
    ),
  },
  strict,
);

export const DigestPreviewSchema = Type.Object(
  {
    week: Type.String({ description: "The ISO date of the week's Wednesday" }),
    films: Type.Array(MatchedFilmSchema),
    subject: Type.String(),
    text: Type.String(),
    html: Type.String(),
  },
  strict,
);

export const DigestRunRequestSchema = Type.Object({ dryRun: Type.Optional(Type.Boolean({ description: 'Count who would get one, send nothing' })) }, strict);

export const DigestRunAcceptedSchema = Type.Object({ week: Type.String(), dryRun: Type.Boolean(), subscribers: count }, strict);

export const OwnerEraseRequestSchema = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 300, description: 'The address the customer asked the cinema to erase, as typed (the notifier trims it and checks it); never logged nor kept (only its hash, on the suppression list)' }) },
  strict,
);
export const OwnerEraseResultSchema = Type.Object(
  { erased: Type.Boolean({ description: 'False: no subscriber has that address (never subscribed, or already gone); nothing was erased' }) },
  strict,
);

/** Compile-time proof that the schemas and the contract describe the same shapes, both ways. */
assertSame<Same<Static<typeof ConsentWordingSchema>, ConsentWording>>();
assertSame<Same<Static<typeof SubscribeRequestSchema>, SubscribeRequest>>();
assertSame<Same<Static<typeof SubscribeAcceptedSchema>, SubscribeAccepted>>();
assertSame<Same<Static<typeof ConfirmRequestSchema>, ConfirmRequest>>();
assertSame<Same<Static<typeof ConfirmResponseSchema>, ConfirmResponse>>();
assertSame<Same<Static<typeof SubscriptionViewSchema>, SubscriptionView>>();
assertSame<Same<Static<typeof UpdateSubscriptionSchema>, UpdateSubscription>>();
assertSame<Same<Static<typeof SubscriptionExportSchema>, SubscriptionExport>>();
assertSame<Same<Static<typeof NotificationStatsSchema>, NotificationStats>>();
assertSame<Same<Static<typeof DigestPreviewSchema>, DigestPreview>>();
assertSame<Same<Static<typeof DigestRunRequestSchema>, DigestRunRequest>>();
assertSame<Same<Static<typeof DigestRunAcceptedSchema>, DigestRunAccepted>>();
