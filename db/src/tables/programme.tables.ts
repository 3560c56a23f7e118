import type { ColumnType, Generated } from 'kysely';

/**
 * The programme's tables (migration `20261208090000_programme`), owned by the gateway: its editor
 * and admin API write them; the customer routes and the notifier read them.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type ScreeningVersion = 'VF' | 'VOST' | 'VO';
export type ScreeningFormat = '2D' | '3D';
export type ScreeningStatus = 'scheduled' | 'cancelled';
export const SCREENING_LABELS = ['art-et-essai', 'cine-seniors', 'cine-gouter', 'avant-premiere', 'debat', 'patrimoine'] as const;
export type ScreeningLabel = (typeof SCREENING_LABELS)[number];

export interface RoomTable {
  id: Generated<number>;
  name: string;
  seats: number;
  wheelchair: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
}

export interface ScreeningTable {
  /** bigserial: read back as a string by both drivers. */
  id: ColumnType<string, never, never>;
  tconst: string;
  starts_at: ColumnType<Date, Date | string, Date | string>;
  /** The programme week's Wednesday in the cinema's time zone, `YYYY-MM-DD`. */
  week_start: ColumnType<string, string, string>;
  room_id: number;
  version: ScreeningVersion;
  format: ColumnType<ScreeningFormat, ScreeningFormat | undefined, ScreeningFormat>;
  sme: ColumnType<boolean, boolean | undefined, boolean>;
  ad: ColumnType<boolean, boolean | undefined, boolean>;
  labels: ColumnType<ScreeningLabel[], ScreeningLabel[] | undefined, ScreeningLabel[]>;
  price_note: string | null;
  booking_url: string | null;
  status: ColumnType<ScreeningStatus, ScreeningStatus | undefined, ScreeningStatus>;
  created_at: Timestamp;
  updated_at: Timestamp;
  cancelled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ProgrammeWeekTable {
  week_start: string;
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The `owner_account.id` that first published the week; null when a script did with the X-Api-Key. */
  published_by: number | null;
}

export interface OwnerAccountTable {
  id: Generated<number>;
  email: string;
  /** scrypt, `scrypt$N$r$p$salt$hash` (base64). */
  password_hash: string;
  created_at: Timestamp;
  failed_logins: ColumnType<number, number | undefined, number>;
  locked_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface OwnerSessionTable {
  /** sha-256 hex of the session token; the token itself is only in the owner's cookie. */
  token_hash: string;
  owner_id: number;
  csrf_token: string;
  created_at: Timestamp;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface ProgrammeTables {
  room: RoomTable;
  screening: ScreeningTable;
  programme_week: ProgrammeWeekTable;
  owner_account: OwnerAccountTable;
  owner_session: OwnerSessionTable;
}
