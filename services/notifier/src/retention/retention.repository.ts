import type { DbHandle } from '@cine/db';
import { tallyDeparturesIn } from '../notification/tally.repository';
import { suppressIn } from '../subscription/subscription.repository';

export interface RetentionCounts {
  pendingDeleted: number;
  inactiveErased: number;
  tokensPurged: number;
}

/**
 * The retention rules' deletions; the ledger rows and consent records of a deleted subscriber go
 * with it (cascade). Each deletion counts its departures in the same transaction (`expired`,
 * `inactive`), those whose address had bounced aside: they left when it bounced, counted then.
 */
export class RetentionRepository {
  constructor(private readonly handle: DbHandle) {}

  /** Unconfirmed addresses asked for before `before`: deleted outright (no consent was ever proved, nothing to remember). */
  async deletePendingBefore(before: Date, now: Date): Promise<number> {
    return this.handle.db.transaction().execute(async (trx) => {
      const { deleted, bounced } = await trx
        .with('gone', (db) => db.deleteFrom('subscriber').where('status', '=', 'pending').where('created_at', '<', before).returning('email_hash'))
        .selectFrom('gone')
        .select((eb) => [
          eb.fn.countAll<number>().as('deleted'),
          eb.fn
            .countAll<number>()
            .filterWhere(({ exists, selectFrom }) =>
              exists(selectFrom('suppression as x').select('x.reason').whereRef('x.email_hash', '=', 'gone.email_hash').where('x.reason', '=', 'bounced')),
            )
            .as('bounced'),
        ])
        .executeTakeFirstOrThrow();
      await tallyDeparturesIn(trx, now, 'expired', Number(deleted) - Number(bounced));
      return Number(deleted);
    });
  }

  /** Confirmed subscribers with no activity since `before`: erased, their hash kept as 'erased'. */
  async eraseInactiveBefore(before: Date, now: Date): Promise<number> {
    return this.handle.db.transaction().execute(async (trx) => {
      const gone = await trx.deleteFrom('subscriber').where('status', '=', 'active').where('last_activity_at', '<', before).returning('email_hash').execute();
      let departed = 0;
      for (const row of gone) if (await suppressIn(trx, Buffer.from(row.email_hash), 'erased', now)) departed++;
      await tallyDeparturesIn(trx, now, 'inactive', departed);
      return gone.length;
    });
  }

  async purgeTokensExpiredBefore(now: Date): Promise<number> {
    const rows = await this.handle.db.deleteFrom('subscriber_token').where('expires_at', '<=', now).returning('subscriber_id').execute();
    return rows.length;
  }
}
