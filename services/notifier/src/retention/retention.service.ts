import type { Logger } from '@cine/common';
import type { RetentionCounts, RetentionRepository } from './retention.repository';

/** An unconfirmed address is forgotten after this; its confirmation link expires with it. */
export const PENDING_RETENTION_DAYS = 7;
/** A subscriber with no click, no change, no confirmation for this long is erased. */
export const INACTIVE_RETENTION_YEARS = 3;

/** The daily `notifier-retention` job: what the privacy notice promises, applied. */
export class RetentionService {
  constructor(
    private readonly retention: RetentionRepository,
    private readonly log: Logger,
  ) {}

  async run(now: Date): Promise<RetentionCounts> {
    const pendingBefore = new Date(now.getTime() - PENDING_RETENTION_DAYS * 24 * 3600_000);
    const inactiveBefore = new Date(now);
    inactiveBefore.setUTCFullYear(inactiveBefore.getUTCFullYear() - INACTIVE_RETENTION_YEARS);
    const counts = {
      pendingDeleted: await this.retention.deletePendingBefore(pendingBefore, now),
      inactiveErased: await this.retention.eraseInactiveBefore(inactiveBefore, now),
      tokensPurged: await this.retention.purgeTokensExpiredBefore(now),
    };
    // Counts only: never who.
    this.log.info(counts, 'retention applied');
    return counts;
  }
}
