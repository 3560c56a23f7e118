import type { ReasonPart } from './recommender.contract';

/**
 * Notifications: the customer's subscription (public, through the gateway) and the notifier's
 * internal HTTP API the gateway forwards to. Types only: the page (gateway/web), the gateway and
 * the notifier import them, so a change shows at compile time on every side.
 *
 * Public routes (gateway, docs/api.md and OpenAPI)          → notifier (NOTIFIER_URL, loopback or compose network)
 *   GET    /api/v1/subscriptions/consent    ConsentWording (the gateway answers from CONSENT_WORDING; the page shows it)
 *   POST   /api/v1/subscriptions            SubscribeRequest  → POST   /v1/subscriptions            202 SubscribeAccepted
 *   POST   /api/v1/subscriptions/confirm    ConfirmRequest    → POST   /v1/subscriptions/confirm    200 ConfirmResponse | 410
 *   GET    /api/v1/subscriptions/me         (Bearer manage)   → GET    /v1/subscriptions/me         200 SubscriptionView | 401
 *   PUT    /api/v1/subscriptions/me         UpdateSubscription→ PUT    /v1/subscriptions/me         200 SubscriptionView
 *   DELETE /api/v1/subscriptions/me                           → DELETE /v1/subscriptions/me         204 (erased)
 *   GET    /api/v1/subscriptions/me/export                    → GET    /v1/subscriptions/me/export  200 SubscriptionExport
 *   POST   /u/{token}  (List-Unsubscribe=One-Click)           → POST   /v1/unsubscribe/{token}      200 (idempotent)
 *   GET    /u/{token}  a page with a button (gateway only; changes nothing)
 *   GET    /api/v1/admin/notifications/stats                  → GET    /v1/admin/stats              NotificationStats
 *   GET    /api/v1/admin/notifications/preview?subscriber=    → GET    /v1/admin/preview            DigestPreview
 *   POST   /api/v1/admin/notifications/digest  DigestRunRequest → POST /v1/admin/digest             DigestRunAccepted
 *
 * `GET /api/v1/admin/films/{tconst}/audience` stays the gateway's: it reads the confirmed
 * subscribers' liked films from the notifier's `subscriber` table (read-only) as its AudienceSource.
 *
 * The gateway checks the owner (session or X-Api-Key) before forwarding an admin route; the
 * notifier trusts its network (it listens on the loopback in `npm start`, on the compose network
 * otherwise). Tokens travel in `Authorization: Bearer`, in a path (`/u/`) or in a URL fragment of
 * the page (`/abonnement#<token>`), never in a query string, and are never logged.
 */

/** Which version of the consent wording the customer saw; the notifier keeps its hash as proof. */
export const CONSENT_WORDING_VERSION = '2026-12-v1';

/**
 * The consent box's exact wording (unticked by default). Changing it means a new version: the
 * proof kept for each subscriber names the version and the SHA-256 of this text.
 */
export const CONSENT_WORDING: Record<string, string> = {
  '2026-12-v1':
    "J'accepte de recevoir par e-mail les séances du cinéma qui correspondent à mes goûts. " +
    'Mon adresse et les films que je choisis ne servent qu’à cela, ne sont jamais transmis à personne, ' +
    'et je peux me désabonner ou tout effacer à tout moment depuis chaque e-mail.',
};

/**
 * The second, optional consent (CNIL: one purpose, one consent): the liked films may also teach
 * the suggestions made to others — counted with everyone's, never with the address or the name.
 * Its own box, unticked, under the first; absent or false means no. Withdrawn from the manage page
 * as easily. The recommender reads a subscriber's films only under a version named here
 * (its LEARNING_CONSENT_VERSIONS); a new text means a new version, as for CONSENT_WORDING.
 */
export const LEARNING_CONSENT_WORDING_VERSION = '2026-12-learn-v1';

export const LEARNING_CONSENT_WORDING: Record<string, string> = {
  '2026-12-learn-v1':
    'Mes films peuvent aussi aider le site à mieux conseiller les autres spectateurs : ' +
    'ils sont comptés avec ceux des autres, sans mon adresse ni mon nom. Je peux retirer cet accord à tout moment.',
};

/** What a consent is for: the emails (the subscription itself) or the suggestions made to others. */
export type ConsentPurpose = 'emails' | 'learning';

export interface ConsentWording {
  version: string;
  text: string;
  /** The optional second box's wording (LEARNING_CONSENT_WORDING); its version is recorded by the notifier. */
  learning: { version: string; text: string };
}

export type NotificationChannel = 'email';

export interface SubscriptionPreferences {
  /** An email when a séance fits the taste. */
  alerts: boolean;
  /** The week's films ranked for the taste, on the digest day. */
  digest: boolean;
  /** Nothing is sent while paused; the subscription is kept. */
  paused?: boolean;
  /** Only séances in these versions (none: any). */
  versions?: Array<'VF' | 'VOST' | 'VO'>;
  /** Only séances with these accessibility features (SME subtitles, audio description). */
  accessibility?: { sme?: boolean; ad?: boolean };
  /** Only séances starting before 18:00 (cinema time). */
  afternoonOnly?: boolean;
}

export interface SubscribeRequest {
  email: string;
  /** tconsts or titles, as `POST /api/v1/recommendations` takes them (1..50). */
  liked: string[];
  disliked?: string[];
  preferences: SubscriptionPreferences;
  /** `learning`: the second box (LEARNING_CONSENT_WORDING), ticked; false or absent means no. */
  consent: { wordingVersion: string; accepted: true; learning?: boolean };
  /** Where the form was: the page or the widget (kept with the proof of consent). */
  source?: 'page' | 'widget';
}

/** The same body whether the address was known or not. */
export interface SubscribeAccepted {
  status: 'pending';
  message: string;
}

export interface ConfirmRequest {
  token: string;
}

/** The confirm page goes on to the manage page with the manage token it gets here. */
export interface ConfirmResponse {
  subscription: SubscriptionView;
  manageToken: string;
}

export interface SubscribedFilm {
  tconst: string;
  title: string;
  year: number | null;
}

export interface SubscriptionView {
  /** The address, shown to its owner only (the manage token proves it). */
  email: string;
  status: 'pending' | 'active' | 'paused' | 'unsubscribed';
  channel: NotificationChannel;
  liked: SubscribedFilm[];
  disliked: SubscribedFilm[];
  preferences: SubscriptionPreferences;
  /**
   * The learning consent in force (the latest 'learning' record is 'given'). Not a preference:
   * it is a consent, kept as proof in consent_record, not in the preferences' JSON.
   */
  learning: boolean;
  confirmedAt: string | null;
}

export interface UpdateSubscription {
  liked?: string[];
  disliked?: string[];
  preferences?: SubscriptionPreferences;
  /** Give (true) or withdraw (false) the learning consent; absent leaves it as it is. */
  learning?: boolean;
}

/** Everything kept about one address (`GET /subscriptions/me/export`), as JSON. */
export interface SubscriptionExport {
  exportedAt: string;
  subscription: SubscriptionView & { createdAt: string; lastActivityAt: string };
  consent: Array<{ at: string; wordingVersion: string; wordingSha256: string; source: string; action: 'given' | 'withdrawn'; purpose: ConsentPurpose }>;
  notifications: Array<{ kind: NotificationKind; tconst: string | null; week: string | null; sentAt: string | null; status: string }>;
}

export type NotificationKind = 'confirmation' | 'alert' | 'digest' | 'cancellation';

/**
 * How a subscriber left: the one-click unsubscribe (an email's link, the page behind it, or the
 * mail program's button), « Me désabonner et tout effacer », never confirmed within 7 days, erased
 * after 3 years without activity, or their address refused for good by its server. One way each:
 * a subscriber whose address bounced left then, and is not counted again when erased later.
 */
export type DepartureWay = 'unsubscribe' | 'erase' | 'expired' | 'inactive' | 'bounced';

export type NotificationDepartures = { total: number } & { [W in DepartureWay]: number };

/**
 * The owner's figures, counts only. Subscribers, confirmed, paused, pending and bounced are read
 * now; the emails sent and the departures are running totals that survive the erasure of whom they
 * counted (the notifier's `notification_tally`).
 */
export interface NotificationStats {
  subscribers: number;
  confirmed: number;
  paused: number;
  pending: number;
  alertsSent: number;
  digestsSent: number;
  cancellationsSent: number;
  /** Addresses on the suppression list because their server refused them for good. */
  bounced: number;
  /** The same as `departures.unsubscribe` (kept for the clients that read it). */
  unsubscribed: number;
  confirmationsSent: number;
  departures: NotificationDepartures;
}

/** One film of a digest or an alert, as the emails and the preview show it. */
export interface MatchedFilm {
  tconst: string;
  title: string;
  year: number | null;
  score: number;
  reason: { fr: string; en: string };
  reasons: ReasonPart[];
  posterUrl: string | null;
  screenings: Array<{ id: string; startsAt: string; room: string; version: 'VF' | 'VOST' | 'VO'; accessibility: { sme: boolean; ad: boolean }; icsUrl: string; bookingUrl: string | null }>;
}

export interface DigestPreview {
  /** The ISO date of the week's Wednesday (the French release day) the digest covers. */
  week: string;
  films: MatchedFilm[];
  subject: string;
  text: string;
  html: string;
}

export interface DigestRunRequest {
  dryRun?: boolean;
}

export interface DigestRunAccepted {
  week: string;
  dryRun: boolean;
  /** Subscribers a digest would go to (dry run) or was queued for. */
  subscribers: number;
}

/**
 * `POST /api/v1/admin/subscribers/erase`: a customer asks the cinema (by letter, at the desk) to be
 * erased. The owner types the address; it is never logged nor stored, only its hash kept on the
 * suppression list, as when the customer erases from the manage page.
 */
export interface OwnerEraseRequest {
  email: string;
}

export interface OwnerEraseResult {
  /** False: no subscriber had that address (never subscribed, or already gone): nothing to erase. */
  erased: boolean;
}
