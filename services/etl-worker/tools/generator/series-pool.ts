import type { Rng } from './prng';

/**
 * Series that are still getting episodes. Episodes are dealt to open series in proportion to
 * each series' planned length, so a 5 000-episode soap keeps pace with a 10-episode sitcom and
 * both finish. The pool has a fixed capacity (typed arrays, no per-series objects): when it is
 * full the slot under a rotating pointer is closed early, which bounds memory at any scale.
 */

const CAPACITY = 4096; // power of two, for the Fenwick descent
const SEASON_LENGTHS = [6, 8, 10, 12, 13, 20, 22, 24, 26];
const DAILY_SEASON_LENGTHS = [100, 200, 250, 260];

export class SeriesPool {
  private readonly title = new Int32Array(CAPACITY);
  private readonly start = new Int16Array(CAPACITY);
  private readonly runtimeMin = new Int16Array(CAPACITY);
  private readonly genres = new Int32Array(CAPACITY);
  private readonly adult = new Uint8Array(CAPACITY);
  private readonly numbered = new Uint8Array(CAPACITY);
  private readonly pop = new Float32Array(CAPACITY);
  private readonly seasonLength = new Int32Array(CAPACITY);
  private readonly seasonNo = new Int32Array(CAPACITY);
  private readonly episodeNo = new Int32Array(CAPACITY);
  private readonly remaining = new Int32Array(CAPACITY);
  private readonly weight = new Float64Array(CAPACITY);
  /** Fenwick tree over weights, 1-based. Weights are integers, so sums stay exact in doubles. */
  private readonly tree = new Float64Array(CAPACITY + 1);
  private readonly freeSlots = new Int32Array(CAPACITY);
  private freeCount = CAPACITY;
  private evictAt = 0;
  private totalWeight = 0;

  constructor() {
    for (let k = 0; k < CAPACITY; k++) this.freeSlots[k] = CAPACITY - 1 - k;
  }

  get isEmpty(): boolean {
    return this.totalWeight <= 0;
  }

  open(
    rng: Rng,
    titleIndex: number,
    miniSeries: boolean,
    startYear: number,
    runtime: number,
    genreMask: number,
    isAdult: boolean,
    popularity: number,
  ): void {
    let slot: number;
    if (this.freeCount > 0) slot = this.freeSlots[--this.freeCount] as number;
    else {
      slot = this.evictAt;
      this.evictAt = (this.evictAt + 1) % CAPACITY;
      this.close(slot, false);
    }
    // Planned length: lognormal, median 16, mean ≈ 38, a few in the thousands (soaps, talk shows).
    const budget = miniSeries
      ? 2 + Math.min(28, rng.count(5))
      : Math.max(1, Math.min(15_000, Math.round(Math.exp(2.8 + 1.3 * rng.normal()))));
    const seasonLength = miniSeries
      ? budget
      : budget > 1000
        ? rng.pick(DAILY_SEASON_LENGTHS)
        : rng.pick(SEASON_LENGTHS);
    this.title[slot] = titleIndex;
    this.start[slot] = startYear;
    this.runtimeMin[slot] = runtime;
    this.genres[slot] = genreMask;
    this.adult[slot] = isAdult ? 1 : 0;
    this.numbered[slot] = rng.chance(0.84) ? 1 : 0;
    this.pop[slot] = popularity;
    this.seasonLength[slot] = seasonLength;
    this.seasonNo[slot] = 1;
    this.episodeNo[slot] = 0;
    this.remaining[slot] = budget;
    this.weight[slot] = budget;
    this.addWeight(slot, budget);
  }

  /** The slot owning the share u ∈ [0, 1) of the total weight. Requires a non-empty pool. */
  pick(u: number): number {
    let target = u * this.totalWeight;
    let pos = 0;
    for (let step = CAPACITY; step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= CAPACITY && (this.tree[next] as number) <= target) {
        pos = next;
        target -= this.tree[next] as number;
      }
    }
    // Rounding at the very top of the range could land past the last live slot.
    return pos < CAPACITY && (this.weight[pos] as number) > 0 ? pos : this.lastLiveSlot();
  }

  /**
   * Count one more episode for the series; returns whether it is numbered (has season and
   * episode numbers). Closes the series when its planned length is reached; its fields stay
   * readable until the slot is reused by `open`.
   */
  nextEpisode(slot: number): boolean {
    let ep = (this.episodeNo[slot] as number) + 1;
    if (ep > (this.seasonLength[slot] as number)) {
      this.seasonNo[slot] = (this.seasonNo[slot] as number) + 1;
      ep = 1;
    }
    this.episodeNo[slot] = ep;
    const left = (this.remaining[slot] as number) - 1;
    this.remaining[slot] = left;
    if (left <= 0) this.close(slot, true);
    return this.numbered[slot] === 1;
  }

  titleIndex(slot: number): number {
    return this.title[slot] as number;
  }
  startYear(slot: number): number {
    return this.start[slot] as number;
  }
  runtime(slot: number): number {
    return this.runtimeMin[slot] as number;
  }
  genreMask(slot: number): number {
    return this.genres[slot] as number;
  }
  isAdult(slot: number): boolean {
    return this.adult[slot] === 1;
  }
  popularity(slot: number): number {
    return this.pop[slot] as number;
  }
  season(slot: number): number {
    return this.seasonNo[slot] as number;
  }
  episodeInSeason(slot: number): number {
    return this.episodeNo[slot] as number;
  }

  private close(slot: number, release: boolean): void {
    const w = this.weight[slot] as number;
    if (w > 0) {
      this.addWeight(slot, -w);
      this.weight[slot] = 0;
    }
    if (release) this.freeSlots[this.freeCount++] = slot;
  }

  private addWeight(slot: number, delta: number): void {
    this.totalWeight += delta;
    for (let k = slot + 1; k <= CAPACITY; k += k & -k) this.tree[k] = (this.tree[k] as number) + delta;
  }

  private lastLiveSlot(): number {
    for (let k = CAPACITY - 1; k >= 0; k--) if ((this.weight[k] as number) > 0) return k;
    throw new Error('SeriesPool.pick on an empty pool');
  }
}
