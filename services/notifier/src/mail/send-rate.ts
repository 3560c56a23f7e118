import { setTimeout as sleep } from 'node:timers/promises';

export interface RateClock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const realClock: RateClock = { now: () => performance.now(), sleep: (ms) => sleep(ms) };

/**
 * The process's one send rate (`NOTIFY_RATE_PER_MINUTE`): a token bucket of `burst` tokens that
 * refills at `ratePerMinute`, every attempt (retries included: the relay counts them) taking one.
 * A relay or a mailbox provider that sees a small cinema send 10,000 digests in a burst throttles
 * it or files it as spam; a steady pace is what keeps the cinema's mail in inboxes.
 *
 * Written as its equivalent, the generic cell rate algorithm: one "theoretical arrival time"
 * instead of a token count and a timer, so callers are served first come, first served, and
 * nothing runs between sends.
 */
export class SendRate {
  private readonly intervalMs: number;
  private readonly burst: number;
  private theoreticalArrival = Number.NEGATIVE_INFINITY;

  constructor(
    ratePerMinute: number,
    /** Tokens available at once; one second's worth by default. */
    burst?: number,
    private readonly clock: RateClock = realClock,
  ) {
    if (!(ratePerMinute > 0)) throw new Error('ratePerMinute must be positive');
    this.intervalMs = 60_000 / ratePerMinute;
    this.burst = Math.max(1, Math.floor(burst ?? ratePerMinute / 60));
  }

  /** Resolves when this caller may send; the slot is reserved at once, in call order. */
  async take(): Promise<void> {
    const now = this.clock.now();
    const arrival = Math.max(this.theoreticalArrival, now);
    const allowedAt = arrival - (this.burst - 1) * this.intervalMs;
    this.theoreticalArrival = arrival + this.intervalMs;
    if (allowedAt > now) await this.clock.sleep(allowedAt - now);
  }
}
