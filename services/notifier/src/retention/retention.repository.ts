import type { DbHandle } from '@cine/db';
import { suppressIn } from '../subscription/subscription.repository';

export interface RetentionCounts {
  pendingDeleted: number;
  inactiveErased: number;
  tokensPurged: number;
}

/** The retention rules' deletions; the ledger rows and consent records of a deleted subscriber go with it (cascade). */
export class RetentionRepository {
  constructor(private readonly handle: DbHandle) {}

  /** Unconfirmed addresses asked for before `before`: deleted outright (no consent was ever proved, nothing to remember). */
  async deletePendingBefore(before: Date): Promise<number> {
    const rows = await this.handle.db.deleteFrom('subscriber').where('status', '=', 'pending').where('created_at', '<', before).returning('id').execute();
    return rows.length;
  }

  /** Confirmed subscribers with no activity since `before`: erased, their hash kept as 'erased'. */
  async eraseInactiveBefore(before: Date, now: Date): Promise<number> {
    return this.handle.db.transaction().execute(async (trx) => {
      const gone = await trx.deleteFrom('subscriber').where('status', '=', 'active').where('last_activity_at', '<', before).returning('email_hash').execute();
      for (const row of gone) await suppressIn(trx, Buffer.from(row.email_hash), 'erased', now);
      return gone.length;
    });
  }

  async purgeTokensExpiredBefore(now: Date): Promise<number> {
    const rows = await this.handle.db.deleteFrom('subscriber_token').where('expires_at', '<=', now).returning('subscriber_id').execute();
    return rows.length;
  }
}
