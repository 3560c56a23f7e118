import type { DbHandle } from '@cine/db';
import { sql } from 'kysely';

export interface OwnerAccount {
  id: number;
  email: string;
  passwordHash: string;
  lockedUntil: Date | null;
}

export interface OwnerSession {
  ownerId: number;
  email: string;
  csrfToken: string;
  expiresAt: Date;
}

/** `owner_account` and `owner_session`: the only place that reads or writes them. Emails match case-insensitively (the unique index is on lower(email)). */
export class OwnerRepository {
  constructor(private readonly handle: DbHandle) {}

  async findByEmail(email: string): Promise<OwnerAccount | null> {
    const row = await this.handle.db
      .selectFrom('owner_account')
      .select(['id', 'email', 'password_hash', 'locked_until'])
      .where(sql<string>`lower(email)`, '=', email.toLowerCase())
      .executeTakeFirst();
    return row ? { id: row.id, email: row.email, passwordHash: row.password_hash, lockedUntil: row.locked_until } : null;
  }

  /** False when an account with that email (in any case) already exists. */
  async create(email: string, passwordHash: string): Promise<boolean> {
    const result = await this.handle.db
      .insertInto('owner_account')
      .values({ email, password_hash: passwordHash })
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Removes the account and (cascade) its sessions; false when there was none. */
  async remove(email: string): Promise<boolean> {
    const result = await this.handle.db.deleteFrom('owner_account').where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** A new password: the lock-out is lifted and every open session ends. False when there is no such account. */
  async resetPassword(email: string, passwordHash: string): Promise<boolean> {
    return this.handle.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('owner_account')
        .set({ password_hash: passwordHash, failed_logins: 0, locked_until: null })
        .where(sql<string>`lower(email)`, '=', email.toLowerCase())
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      await trx.deleteFrom('owner_session').where('owner_id', '=', row.id).execute();
      return true;
    });
  }

  /**
   * Counts one failed login, in one statement so that concurrent attempts all count. The failure
   * that reaches `maxFailures` locks the account until `lockUntil` and starts the count again,
   * so after the lock the owner has the same number of tries. Returns the lock, if any.
   */
  async recordFailure(id: number, maxFailures: number, lockUntil: Date): Promise<Date | null> {
    const row = await this.handle.db
      .updateTable('owner_account')
      .set({
        failed_logins: sql<number>`case when failed_logins + 1 >= ${maxFailures} then 0 else failed_logins + 1 end`,
        locked_until: sql<Date | null>`case when failed_logins + 1 >= ${maxFailures} then ${lockUntil}::timestamptz else locked_until end`,
      })
      .where('id', '=', id)
      .returning(['failed_logins', 'locked_until'])
      .executeTakeFirst();
    return row?.locked_until && row.failed_logins === 0 ? row.locked_until : null;
  }

  async clearFailures(id: number): Promise<void> {
    await this.handle.db.updateTable('owner_account').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
  }

  async createSession(session: { tokenHash: string; ownerId: number; csrfToken: string; createdAt: Date; expiresAt: Date }): Promise<void> {
    await this.handle.db
      .insertInto('owner_session')
      .values({ token_hash: session.tokenHash, owner_id: session.ownerId, csrf_token: session.csrfToken, created_at: session.createdAt, expires_at: session.expiresAt })
      .execute();
  }

  async findSession(tokenHash: string): Promise<OwnerSession | null> {
    const row = await this.handle.db
      .selectFrom('owner_session as s')
      .innerJoin('owner_account as a', 'a.id', 's.owner_id')
      .select(['s.owner_id', 'a.email', 's.csrf_token', 's.expires_at'])
      .where('s.token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row ? { ownerId: row.owner_id, email: row.email, csrfToken: row.csrf_token, expiresAt: row.expires_at } : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.handle.db.deleteFrom('owner_session').where('token_hash', '=', tokenHash).execute();
  }

  /** Removes the sessions expired at `now`; returns how many. */
  async sweepExpired(now: Date): Promise<number> {
    const result = await this.handle.db.deleteFrom('owner_session').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
