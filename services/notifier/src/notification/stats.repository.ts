import type { NotificationStats } from '@cine/common';
import type { DbHandle } from '@cine/db';

/** The owner's counts, from the same counts-only view Grafana reads. */
export class StatsRepository {
  constructor(private readonly handle: DbHandle) {}

  async read(): Promise<NotificationStats> {
    const r = await this.handle.db.selectFrom('notification_stats').selectAll().executeTakeFirstOrThrow();
    return {
      subscribers: Number(r.subscribers),
      confirmed: Number(r.confirmed),
      paused: Number(r.paused),
      pending: Number(r.pending),
      alertsSent: Number(r.alerts_sent),
      digestsSent: Number(r.digests_sent),
      cancellationsSent: Number(r.cancellations_sent),
      bounced: Number(r.bounced),
      unsubscribed: Number(r.unsubscribed),
    };
  }
}
