import type { SubscriptionPreferences } from '@cine/common';
import { type ConsentAction, type ConsentPurpose, type ConsentSource, type Database, type DbHandle, jsonb, type SuppressionReason, type TokenScope } from '@cine/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import { tallyDeparturesIn } from '../notification/tally.repository';

export interface SubscriberRow {
  id: string;
  email: string;
  emailHash: Buffer;
  status: 'pending' | 'active';
  liked: string[];
  disliked: string[];
  preferences: SubscriptionPreferences;
  createdAt: Date;
  confirmedAt: Date | null;
  lastActivityAt: Date;
}

export interface ConsentProof {
  version: string;
  sha256: string;
  source: ConsentSource;
}

export interface SubscriptionRequest {
  email: string;
  emailHash: Buffer;
  liked: string[];
  disliked: string[];
  preferences: SubscriptionPreferences;
  consent: ConsentProof;
  /** The learning consent: its box ticked or not, and the proof of the wording shown (absent: left as it is). */
  learning?: LearningChoice;
}

/** The learning consent wanted, with the proof of its wording (recorded only when it changes what is in force). */
export interface LearningChoice {
  given: boolean;
  proof: ConsentProof;
}

export interface RequestOutcome {
  subscriberId: string;
  state: 'pending' | 'active';
  /** The confirmation email reserved in the ledger; null when the address had its share today. */
  confirmationKey: string | null;
}

type Db = Kysely<Database> | Transaction<Database>;

const SUBSCRIBER_COLUMNS = ['id', 'email', 'email_hash', 'status', 'liked', 'disliked', 'preferences', 'created_at', 'confirmed_at', 'last_activity_at'] as const;

/**
 * The subscribers, their proof of consent, their link tokens and the suppression list: every
 * change of a subscription's state is one transaction here, so a crash leaves no half state
 * (a confirmed subscriber without its consent record, an erased one without its hash kept).
 */
export class SubscriptionRepository {
  constructor(private readonly handle: DbHandle) {}

  async suppressionOf(emailHash: Buffer): Promise<SuppressionReason | null> {
    const row = await this.handle.db.selectFrom('suppression').select('reason').where('email_hash', '=', emailHash).executeTakeFirst();
    return row?.reason ?? null;
  }

  /**
   * Puts the address on the suppression list. A first bounce of a subscriber's address is their
   * departure (`bounced`), counted in the same transaction; a bounce already known, or of an
   * address nobody is subscribed with, is not.
   */
  async suppress(emailHash: Buffer, reason: SuppressionReason, now: Date = new Date()): Promise<void> {
    await this.handle.db.transaction().execute(async (trx) => {
      const written = await suppressIn(trx, emailHash, reason, now);
      if (reason !== 'bounced' || !written) return;
      const subscriber = await trx.selectFrom('subscriber').select('id').where('email_hash', '=', emailHash).executeTakeFirst();
      if (subscriber) await tallyDeparturesIn(trx, now, 'bounced');
    });
  }

  /**
   * A subscription request: a new address becomes a pending subscriber; a pending one takes the
   * request's tastes and starts its 7 days again; an active one is left as it is (whoever typed
   * it has not proved it is theirs). A pending one keeps the proof of what was asked. The
   * confirmation email is reserved in the ledger unless `maxPerDay` were already reserved in the
   * last 24 hours, counted under the subscriber's row lock so concurrent requests cannot exceed it.
   */
  async request(input: SubscriptionRequest, opts: { now: Date; confirmationKey: (subscriberId: string) => string; maxPerDay: number }): Promise<RequestOutcome> {
    const { now } = opts;
    return this.handle.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('subscriber')
        .values({
          email: input.email,
          email_hash: input.emailHash,
          liked: input.liked,
          disliked: input.disliked,
          preferences: jsonb(input.preferences),
          created_at: now,
          last_activity_at: now,
        })
        .onConflict((oc) => oc.column('email_hash').doNothing())
        .execute();
      const row = await trx.selectFrom('subscriber').select(['id', 'status']).where('email_hash', '=', input.emailHash).forUpdate().executeTakeFirstOrThrow();
      if (row.status === 'pending') {
        await trx
          .updateTable('subscriber')
          .set({ email: input.email, liked: input.liked, disliked: input.disliked, preferences: jsonb(input.preferences), created_at: now, last_activity_at: now })
          .where('id', '=', row.id)
          .execute();
        await recordConsent(trx, row.id, 'given', input.consent, now);
        // The pending request's choice stands, as its tastes do: a box ticked before and not now is withdrawn.
        if (input.learning) await setLearningIn(trx, row.id, input.learning, now);
      }
      const since = new Date(now.getTime() - 24 * 3600_000);
      const recent = await trx
        .selectFrom('notification')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('subscriber_id', '=', row.id)
        .where('kind', '=', 'confirmation')
        .where('created_at', '>', since)
        .executeTakeFirstOrThrow();
      let confirmationKey: string | null = null;
      if (Number(recent.n) < opts.maxPerDay) {
        confirmationKey = opts.confirmationKey(row.id);
        await trx.insertInto('notification').values({ key: confirmationKey, subscriber_id: row.id, kind: 'confirmation', created_at: now }).execute();
      }
      return { subscriberId: row.id, state: row.status, confirmationKey };
    });
  }

  /** Undoes a reservation whose job could not be queued (Redis away): the request counts for nothing. */
  async dropReservation(key: string): Promise<void> {
    await this.handle.db.deleteFrom('notification').where('key', '=', key).where('status', '=', 'pending').execute();
  }

  async findById(id: string): Promise<SubscriberRow | null> {
    const row = await this.handle.db.selectFrom('subscriber').select(SUBSCRIBER_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? toRow(row) : null;
  }

  async insertToken(subscriberId: string, hash: Buffer, scope: TokenScope, now: Date, expiresAt: Date): Promise<void> {
    await this.handle.db.insertInto('subscriber_token').values({ token_hash: hash, subscriber_id: subscriberId, scope, created_at: now, expires_at: expiresAt }).execute();
  }

  /** The subscriber a live token of `scope` names (a confirm token only while unused). */
  async findByToken(hash: Buffer, scope: TokenScope, now: Date): Promise<SubscriberRow | null> {
    let query = this.handle.db
      .selectFrom('subscriber_token as t')
      .innerJoin('subscriber as s', 's.id', 't.subscriber_id')
      .select(SUBSCRIBER_COLUMNS.map((c) => `s.${c}` as const))
      .where('t.token_hash', '=', hash)
      .where('t.scope', '=', scope)
      .where('t.expires_at', '>', now);
    if (scope === 'confirm') query = query.where('t.used_at', 'is', null);
    const row = await query.executeTakeFirst();
    return row ? toRow(row) : null;
  }

  /**
   * Double opt-in: a live, unused confirm token makes its subscriber active, once. The token is
   * spent, the consent given is recorded, and an earlier unsubscribe or erasure of the address is
   * lifted (its owner just proved they want the mail); a bounce is not.
   */
  async confirm(hash: Buffer, consent: ConsentProof, now: Date): Promise<string | null> {
    return this.handle.db.transaction().execute(async (trx) => {
      const spent = await trx
        .updateTable('subscriber_token')
        .set({ used_at: now })
        .where('token_hash', '=', hash)
        .where('scope', '=', 'confirm')
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('subscriber_id')
        .executeTakeFirst();
      if (!spent) return null;
      const subscriber = await trx
        .updateTable('subscriber')
        .set({ status: 'active', confirmed_at: sql`coalesce(confirmed_at, ${now})`, last_activity_at: now })
        .where('id', '=', spent.subscriber_id)
        .returning(['id', 'email_hash'])
        .executeTakeFirstOrThrow();
      await recordConsent(trx, subscriber.id, 'given', consent, now);
      await trx.deleteFrom('suppression').where('email_hash', '=', Buffer.from(subscriber.email_hash)).where('reason', 'in', ['unsubscribed', 'erased']).execute();
      return subscriber.id;
    });
  }

  /**
   * The manage page's change. `learning`, when given, is the learning consent wanted now with its
   * proof: a 'learning' row is recorded only when it differs from the one in force, in the same
   * transaction as the rest.
   */
  async update(
    id: string,
    change: { liked?: string[]; disliked?: string[]; preferences?: SubscriptionPreferences; learning?: LearningChoice },
    now: Date,
  ): Promise<void> {
    await this.handle.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('subscriber')
        .set({
          ...(change.liked ? { liked: change.liked } : {}),
          ...(change.disliked ? { disliked: change.disliked } : {}),
          ...(change.preferences ? { preferences: jsonb(change.preferences) } : {}),
          last_activity_at: now,
        })
        .where('id', '=', id)
        .execute();
      if (change.learning) await setLearningIn(trx, id, change.learning, now);
    });
  }

  /** Whether the learning consent is in force: the subscriber's latest 'learning' row is 'given'. */
  async learningGiven(id: string): Promise<boolean> {
    return (await latestLearning(this.handle.db, id)) === 'given';
  }

  /** A click on a link of ours (the manage page opened): the 3-year retention starts again. */
  async touch(id: string, now: Date): Promise<void> {
    await this.handle.db.updateTable('subscriber').set({ last_activity_at: now }).where('id', '=', id).execute();
  }

  /** The subscriber with this address hash, pending or confirmed; null when none. */
  async idByEmailHash(emailHash: Buffer): Promise<string | null> {
    const row = await this.handle.db.selectFrom('subscriber').select('id').where('email_hash', '=', emailHash).executeTakeFirst();
    return row?.id ?? null;
  }

  /** Everything about the subscriber goes (consent, tokens, ledger by cascade); the address's hash stays, suppressed; the departure is counted (`erase`, `unsubscribe`). */
  async erase(id: string, reason: 'erased' | 'unsubscribed', now: Date): Promise<boolean> {
    return this.handle.db.transaction().execute((trx) => eraseIn(trx, id, reason, now));
  }

  /**
   * One-click unsubscribe: a live unsubscribe token erases its subscriber, the hash kept as
   * 'unsubscribed'. The withdrawal is recorded first, in the same transaction, then goes with the
   * rest. 'unknown' when the token names no one (most often: already unsubscribed, its tokens gone
   * with it); 'expired' when it is too old to be trusted.
   */
  async unsubscribe(hash: Buffer, consent: ConsentProof, now: Date): Promise<'done' | 'unknown' | 'expired'> {
    return this.handle.db.transaction().execute(async (trx) => {
      const token = await trx
        .selectFrom('subscriber_token')
        .select(['subscriber_id', 'expires_at'])
        .where('token_hash', '=', hash)
        .where('scope', '=', 'unsubscribe')
        .executeTakeFirst();
      if (!token) return 'unknown';
      if (token.expires_at.getTime() <= now.getTime()) return 'expired';
      // The emails' consent is withdrawn; the learning one goes with the subscriber, its films with it.
      await recordConsent(trx, token.subscriber_id, 'withdrawn', consent, now);
      return (await eraseIn(trx, token.subscriber_id, 'unsubscribed', now)) ? 'done' : 'unknown';
    });
  }

  async consentRecords(id: string) {
    return this.handle.db
      .selectFrom('consent_record')
      .select(['action', 'purpose', 'wording_version', 'wording_sha256', 'source', 'at'])
      .where('subscriber_id', '=', id)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  async notifications(id: string) {
    return this.handle.db
      .selectFrom('notification')
      .select(['kind', 'tconst', 'week', 'screening_ids', 'status', 'created_at', 'sent_at'])
      .where('subscriber_id', '=', id)
      .orderBy('created_at')
      .orderBy('key')
      .execute();
  }

  /**
   * The address to send to now, or null: the subscriber exists, confirmed, not paused, and the
   * address is not suppressed. Read just before each send, so a pause, an unsubscribe or a bounce
   * that happened since the job was queued wins.
   */
  async sendableAddress(id: string): Promise<string | null> {
    const row = await this.handle.db
      .selectFrom('subscriber as s')
      .leftJoin('suppression as x', 'x.email_hash', 's.email_hash')
      .select(['s.email', 's.status', 's.preferences', 'x.reason'])
      .where('s.id', '=', id)
      .executeTakeFirst();
    if (!row || row.status !== 'active' || row.reason !== null || row.preferences.paused === true) return null;
    return row.email;
  }

  async ping(): Promise<void> {
    await sql`SELECT 1`.execute(this.handle.db);
  }
}

async function recordConsent(db: Db, subscriberId: string, action: ConsentAction, consent: ConsentProof, now: Date, purpose: ConsentPurpose = 'emails'): Promise<void> {
  await db
    .insertInto('consent_record')
    .values({ subscriber_id: subscriberId, action, purpose, wording_version: consent.version, wording_sha256: consent.sha256, source: consent.source, at: now })
    .execute();
}

async function latestLearning(db: Db, subscriberId: string): Promise<ConsentAction | null> {
  const row = await db
    .selectFrom('consent_record')
    .select('action')
    .where('subscriber_id', '=', subscriberId)
    .where('purpose', '=', 'learning')
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.action ?? null;
}

/**
 * Records the learning consent given or withdrawn when that changes what is in force (never
 * given counts as withdrawn): one row per change, none for a save that leaves it as it was.
 */
async function setLearningIn(db: Db, subscriberId: string, { given, proof }: LearningChoice, now: Date): Promise<void> {
  const inForce = (await latestLearning(db, subscriberId)) === 'given';
  if (inForce === given) return;
  await recordConsent(db, subscriberId, given ? 'given' : 'withdrawn', proof, now, 'learning');
}

/**
 * A bounce stays a bounce: an unsubscribe or an erasure of that address does not turn it back into
 * something mail may go to. False when the address had bounced already (nothing written): its
 * subscriber, if any, left then.
 */
export async function suppressIn(db: Db, emailHash: Buffer, reason: SuppressionReason, now: Date): Promise<boolean> {
  const written = await db
    .insertInto('suppression')
    .values({ email_hash: emailHash, reason, at: now })
    .onConflict((oc) => oc.column('email_hash').doUpdateSet({ reason, at: now }).where('suppression.reason', '<>', 'bounced'))
    .returning('reason')
    .execute();
  return written.length === 1;
}

/** The subscriber goes, their hash stays suppressed, and their departure is counted by its way (unless their address had bounced: counted then). */
async function eraseIn(trx: Transaction<Database>, id: string, reason: 'erased' | 'unsubscribed', now: Date): Promise<boolean> {
  const gone = await trx.deleteFrom('subscriber').where('id', '=', id).returning('email_hash').executeTakeFirst();
  if (!gone) return false;
  if (await suppressIn(trx, Buffer.from(gone.email_hash), reason, now)) await tallyDeparturesIn(trx, now, reason === 'erased' ? 'erase' : 'unsubscribe');
  return true;
}

function toRow(row: {
  id: string;
  email: string;
  email_hash: Uint8Array;
  status: 'pending' | 'active';
  liked: string[];
  disliked: string[];
  preferences: SubscriptionPreferences;
  created_at: Date;
  confirmed_at: Date | null;
  last_activity_at: Date;
}): SubscriberRow {
  return {
    id: row.id,
    email: row.email,
    emailHash: Buffer.from(row.email_hash),
    status: row.status,
    liked: row.liked,
    disliked: row.disliked,
    preferences: typeof row.preferences === 'string' ? (JSON.parse(row.preferences) as SubscriptionPreferences) : row.preferences,
    createdAt: row.created_at,
    confirmedAt: row.confirmed_at,
    lastActivityAt: row.last_activity_at,
  };
}
