import type { NotificationStats } from '@cine/common';
import type { DbHandle } from '@cine/db';

/** The owner's counts, from the same counts-only view Grafana reads (sent and departures: running totals). */
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
      confirmationsSent: Number(r.confirmations_sent),
      departures: {
        total: Number(r.departures),
        unsubscribe: Number(r.departures_unsubscribe),
        erase: Number(r.departures_erase),
        expired: Number(r.departures_expired),
        inactive: Number(r.departures_inactive),
        bounced: Number(r.departures_bounced),
      },
    };
  }
}
