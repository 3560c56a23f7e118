import type { DepartureWay, SubscriptionPreferences } from '@cine/common';
import type { ColumnType, Generated } from 'kysely';

/**
 * The notifier's tables (migration `20261212090000_notifications`), owned by the notifier; the
 * gateway reads `subscriber` (confirmed subscribers' liked films, for a film's audience) and
 * Grafana reads `notification_stats` and `notification_tally` (migration
 * `20261214090000_notification_tally`) only.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** bytea: a Buffer from postgres.js, a Uint8Array from PGlite; either is accepted on write. */
type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;

export type SubscriberStatus = 'pending' | 'active';
export type ConsentAction = 'given' | 'withdrawn';
export type ConsentSource = 'page' | 'widget' | 'email-link';
/** What a consent is for (migration 20261213090000_learning_consent): the emails, or teaching the suggestions made to others. */
export type ConsentPurpose = 'emails' | 'learning';
export type TokenScope = 'confirm' | 'manage' | 'unsubscribe';
export type LedgerKind = 'confirmation' | 'alert' | 'digest' | 'cancellation';
export type LedgerStatus = 'pending' | 'sent' | 'failed' | 'suppressed';
export type SuppressionReason = 'bounced' | 'unsubscribed' | 'erased';

export interface SubscriberTable {
  id: Generated<string>;
  /** As typed, trimmed: the address mail goes to. */
  email: string;
  /** SHA-256 of the trimmed, lower-cased address. */
  email_hash: Bytes;
  channel: ColumnType<'email', 'email' | undefined, 'email'>;
  status: ColumnType<SubscriberStatus, SubscriberStatus | undefined, SubscriberStatus>;
  liked: ColumnType<string[], string[] | undefined, string[]>;
  disliked: ColumnType<string[], string[] | undefined, string[]>;
  /** Write through `jsonb()` (db/src/json.ts). */
  preferences: ColumnType<SubscriptionPreferences, unknown, unknown>;
  created_at: Timestamp;
  confirmed_at: NullableTimestamp;
  /** A click, a change, a confirmation: what the 3-year retention counts from. */
  last_activity_at: Timestamp;
}

export interface ConsentRecordTable {
  /** bigserial: read back as a string by both drivers. */
  id: ColumnType<string, never, never>;
  subscriber_id: string;
  action: ConsentAction;
  wording_version: string;
  /** Hex SHA-256 of CONSENT_WORDING[wording_version]. */
  wording_sha256: string;
  source: ConsentSource;
  /** 'emails' for every row before the learning consent existed. */
  purpose: ColumnType<ConsentPurpose, ConsentPurpose | undefined, ConsentPurpose>;
  at: Timestamp;
}

export interface SubscriberTokenTable {
  /** SHA-256 of the random token; the token itself is never stored. */
  token_hash: Bytes;
  subscriber_id: string;
  scope: TokenScope;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  used_at: NullableTimestamp;
}

export interface NotificationTable {
  /** `alert:<subscriber>:<tconst>`, `digest:<subscriber>:<week>`, `cancellation:<subscriber>:<screening>`, `confirmation:<subscriber>:<request>`. */
  key: string;
  subscriber_id: string;
  kind: LedgerKind;
  tconst: string | null;
  /** `YYYY-MM-DD`, the week's Wednesday. */
  week: string | null;
  screening_ids: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<LedgerStatus, LedgerStatus | undefined, LedgerStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  created_at: Timestamp;
  /** A sender's lease on a pending row (null: reserved, or released after a temporary failure). */
  claimed_at: NullableTimestamp;
  sent_at: NullableTimestamp;
}

export interface SuppressionTable {
  email_hash: Bytes;
  reason: SuppressionReason;
  at: Timestamp;
}

/** A tally row: emails of a kind sent, or departures by way ('departure'). */
export type TallyKind = LedgerKind | 'departure';
export type TallyOutcome = 'sent' | DepartureWay;

/** Running totals per day: days and counts only, never whom they counted. */
export interface NotificationTallyTable {
  /** `YYYY-MM-DD`, the event's UTC date. */
  day: string;
  kind: TallyKind;
  outcome: TallyOutcome;
  n: number;
}

/** Counts only (the row Grafana's read-only role may select). */
export interface NotificationStatsView {
  subscribers: ColumnType<number, never, never>;
  confirmed: ColumnType<number, never, never>;
  paused: ColumnType<number, never, never>;
  pending: ColumnType<number, never, never>;
  alerts_sent: ColumnType<number, never, never>;
  digests_sent: ColumnType<number, never, never>;
  cancellations_sent: ColumnType<number, never, never>;
  bounced: ColumnType<number, never, never>;
  unsubscribed: ColumnType<number, never, never>;
  confirmations_sent: ColumnType<number, never, never>;
  departures: ColumnType<number, never, never>;
  departures_unsubscribe: ColumnType<number, never, never>;
  departures_erase: ColumnType<number, never, never>;
  departures_expired: ColumnType<number, never, never>;
  departures_inactive: ColumnType<number, never, never>;
  departures_bounced: ColumnType<number, never, never>;
}

export interface NotificationTables {
  subscriber: SubscriberTable;
  consent_record: ConsentRecordTable;
  subscriber_token: SubscriberTokenTable;
  notification: NotificationTable;
  suppression: SuppressionTable;
  notification_tally: NotificationTallyTable;
  notification_stats: NotificationStatsView;
}
