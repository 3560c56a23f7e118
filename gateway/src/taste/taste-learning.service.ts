import type { Logger, ResolvedEntry } from '@cine/common';
import type { TasteCounts, TasteStoreRepository, VisitLedger } from '@cine/db';

/** Who is asking, as far as learning needs to know: the page's visit id and the client's address. Never stored. */
export interface VisitContext {
  visitId: string;
  address: string;
}

/** A request teaches something only from this many liked films: one film alone pairs with nothing. */
export const MIN_LIKED_TO_LEARN = 2;

/**
 * Learning from the customers' visits (issue 17): what a recommendation request's visit liked and
 * did not like, as counts in the taste store, each visit once and one address within its caps
 * (`VisitLedger`). Off (`LEARN_FROM_VISITS=false`): nothing is remembered, not even in memory;
 * the store can still be wiped.
 */
export class TasteLearningService {
  private pausedDay: string | null = null;

  constructor(
    private readonly store: TasteStoreRepository,
    /** Null when learning is switched off. */
    private readonly ledger: VisitLedger | null,
    private readonly log: Logger,
  ) {}

  get enabled(): boolean {
    return this.ledger !== null;
  }

  /**
   * Adds what this request's visit had not taught yet. A recommendation never fails because of
   * learning: a failed write is logged (without the visit or address) and given back to the
   * visit, so a later request of the same visit may count it.
   */
  async learn(visit: VisitContext, resolved: { liked: readonly ResolvedEntry[]; disliked: readonly ResolvedEntry[] }): Promise<void> {
    if (!this.ledger) return;
    const liked = films(resolved.liked);
    if (liked.length < MIN_LIKED_TO_LEARN) return;
    const likedSet = new Set(liked);
    const disliked = films(resolved.disliked).filter((t) => !likedSet.has(t));
    const admission = this.ledger.admit(visit.visitId, visit.address, liked, disliked);
    if (admission.paused) {
      const day = new Date().toISOString().slice(0, 10);
      if (this.pausedDay !== day) this.log.warn('taste store: the day\'s visit memory is full, learning pauses until tomorrow');
      this.pausedDay = day;
      return;
    }
    if (admission.contribution.likes.length + admission.contribution.dislikes.length === 0) return;
    try {
      await this.store.add(admission.contribution);
    } catch (err) {
      admission.undo();
      this.log.warn({ reason: (err as Error).message }, 'taste store: a visit could not be counted');
    }
  }

  /** The owner's wipe: the counts, and the day's memory of visits with them. */
  async wipe(): Promise<TasteCounts> {
    const wiped = await this.store.wipe();
    this.ledger?.clear();
    return wiped;
  }
}

function films(entries: readonly ResolvedEntry[]): string[] {
  return [...new Set(entries.flatMap((e) => (e.status === 'resolved' && e.tconst ? [e.tconst] : [])))];
}
