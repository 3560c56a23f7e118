import {
  assertSame,
  type ConfirmRequest,
  type ConfirmResponse,
  type ErrorBody,
  type NotificationStats,
  type Same,
  type SubscribeAccepted,
  type SubscribeRequest,
  type SubscriptionExport,
  type SubscriptionPreferences,
  type SubscriptionView,
  type UpdateSubscription,
} from '@cine/common';
import { type Static, Type } from '@sinclair/typebox';

/**
 * The notifier's internal API, built to the shapes of common/src/contracts/notifications.contract.ts
 * (the gateway and the page import them): the assertions at the end make a drift a compile error.
 * The schemas check types and bounds; the service checks meaning (known films, the consent
 * wording) and answers in French naming the field.
 */

/** A string enum whose static type is the union of its values. */
const StringEnum = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

const FilmIds = Type.Array(Type.String({ maxLength: 20 }), { maxItems: 200 });

export const PreferencesSchema = Type.Object(
  {
    alerts: Type.Boolean(),
    digest: Type.Boolean(),
    paused: Type.Optional(Type.Boolean()),
    versions: Type.Optional(Type.Array(StringEnum(['VF', 'VOST', 'VO'] as const), { maxItems: 3 })),
    accessibility: Type.Optional(Type.Object({ sme: Type.Optional(Type.Boolean()), ad: Type.Optional(Type.Boolean()) }, { additionalProperties: false })),
    afternoonOnly: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const SubscribeRequestSchema = Type.Object(
  {
    email: Type.String({ maxLength: 320 }),
    liked: FilmIds,
    disliked: Type.Optional(FilmIds),
    preferences: PreferencesSchema,
    consent: Type.Object(
      { wordingVersion: Type.String({ maxLength: 40 }), accepted: Type.Literal(true), learning: Type.Optional(Type.Boolean()) },
      { additionalProperties: false },
    ),
    source: Type.Optional(StringEnum(['page', 'widget'] as const)),
  },
  { additionalProperties: false },
);

export const SubscribeAcceptedSchema = Type.Object({ status: Type.Literal('pending'), message: Type.String() });

export const ConfirmRequestSchema = Type.Object({ token: Type.String({ maxLength: 200 }) }, { additionalProperties: false });

const FilmSchema = Type.Object({ tconst: Type.String(), title: Type.String(), year: Type.Union([Type.Integer(), Type.Null()]) });

export const SubscriptionViewSchema = Type.Object({
  email: Type.String(),
  status: StringEnum(['pending', 'active', 'paused', 'unsubscribed'] as const),
  channel: Type.Literal('email'),
  liked: Type.Array(FilmSchema),
  disliked: Type.Array(FilmSchema),
  preferences: PreferencesSchema,
  learning: Type.Boolean(),
  confirmedAt: Type.Union([Type.String(), Type.Null()]),
});

export const ConfirmResponseSchema = Type.Object({ subscription: SubscriptionViewSchema, manageToken: Type.String() });

export const UpdateSubscriptionSchema = Type.Object(
  { liked: Type.Optional(FilmIds), disliked: Type.Optional(FilmIds), preferences: Type.Optional(PreferencesSchema), learning: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);

export const SubscriptionExportSchema = Type.Object({
  exportedAt: Type.String(),
  subscription: Type.Intersect([SubscriptionViewSchema, Type.Object({ createdAt: Type.String(), lastActivityAt: Type.String() })]),
  consent: Type.Array(
    Type.Object({
      at: Type.String(),
      wordingVersion: Type.String(),
      wordingSha256: Type.String(),
      source: Type.String(),
      action: StringEnum(['given', 'withdrawn'] as const),
      purpose: StringEnum(['emails', 'learning'] as const),
    }),
  ),
  notifications: Type.Array(
    Type.Object({
      kind: StringEnum(['confirmation', 'alert', 'digest', 'cancellation'] as const),
      tconst: Type.Union([Type.String(), Type.Null()]),
      week: Type.Union([Type.String(), Type.Null()]),
      sentAt: Type.Union([Type.String(), Type.Null()]),
      status: Type.String(),
    }),
  ),
});

export const NotificationStatsSchema = Type.Object({
  subscribers: Type.Integer(),
  confirmed: Type.Integer(),
  paused: Type.Integer(),
  pending: Type.Integer(),
  alertsSent: Type.Integer(),
  digestsSent: Type.Integer(),
  cancellationsSent: Type.Integer(),
  bounced: Type.Integer(),
  unsubscribed: Type.Integer(),
  confirmationsSent: Type.Integer(),
  departures: Type.Object({
    total: Type.Integer(),
    unsubscribe: Type.Integer(),
    erase: Type.Integer(),
    expired: Type.Integer(),
    inactive: Type.Integer(),
    bounced: Type.Integer(),
  }),
});

export const UnsubscribedSchema = Type.Object({ status: Type.Literal('unsubscribed'), message: Type.String() });

export const OwnerEraseRequestSchema = Type.Object({ email: Type.String({ maxLength: 300 }) }, { additionalProperties: false });
export const OwnerEraseResultSchema = Type.Object({ erased: Type.Boolean() });

export const ErrorBodySchema = Type.Object({ statusCode: Type.Integer(), error: Type.String(), message: Type.String() });

export const TokenParamsSchema = Type.Object({ token: Type.String({ maxLength: 200 }) });

export type SubscribeRequestBody = Static<typeof SubscribeRequestSchema>;
export type ConfirmRequestBody = Static<typeof ConfirmRequestSchema>;
export type UpdateSubscriptionBody = Static<typeof UpdateSubscriptionSchema>;

assertSame<Same<Static<typeof PreferencesSchema>, SubscriptionPreferences>>();
assertSame<Same<SubscribeRequestBody, SubscribeRequest>>();
assertSame<Same<Static<typeof SubscribeAcceptedSchema>, SubscribeAccepted>>();
assertSame<Same<ConfirmRequestBody, ConfirmRequest>>();
assertSame<Same<Static<typeof SubscriptionViewSchema>, SubscriptionView>>();
assertSame<Same<Static<typeof ConfirmResponseSchema>, ConfirmResponse>>();
assertSame<Same<UpdateSubscriptionBody, UpdateSubscription>>();
assertSame<Same<Static<typeof SubscriptionExportSchema>, SubscriptionExport>>();
assertSame<Same<Static<typeof NotificationStatsSchema>, NotificationStats>>();
assertSame<Same<Static<typeof ErrorBodySchema>, ErrorBody>>();
