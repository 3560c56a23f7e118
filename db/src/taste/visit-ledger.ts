import { createHmac, randomBytes } from 'node:crypto';

/** How much one visit and one address may teach the taste store in a day. */
export interface TasteLimits {
  /** Films one visit can add at most (liked and disliked together): the bench's basket, 20. */
  maxFilmsPerVisit: number;
  /** Visits from one address bucket that may count a given film in a day. */
  maxVisitsPerAddressAndFilm: number;
  /**
   * Visits one address bucket may have remembered in a day: a script that invents visits cannot
   * fill the day's memory from one address (a household or a village's shared address stays far below).
   */
  maxVisitsPerAddress: number;
  /** Visits remembered in a day; past it, learning pauses until the next day (memory stays bounded). */
  maxVisitsPerDay: number;
}

export const DEFAULT_TASTE_LIMITS: TasteLimits = { maxFilmsPerVisit: 20, maxVisitsPerAddressAndFilm: 3, maxVisitsPerAddress: 500, maxVisitsPerDay: 100_000 };

/** What one request adds to the store: each film and pair at most once per visit. */
export interface Contribution {
  likes: string[];
  dislikes: string[];
  /** Each pair once, as [smaller tconst, larger tconst]. */
  pairs: Array<[string, string]>;
}

export interface Admission {
  contribution: Contribution;
  /** The day's memory was full: nothing was admitted, and nothing will be until the day changes. */
  paused: boolean;
  /** Gives the films back to the visit and the address (the write failed): a retry may count them. */
  undo(): void;
}

interface VisitState {
  liked: Set<string>;
  disliked: Set<string>;
}

/**
 * The day's memory of who already taught what, so that a visit counts once and one address
 * cannot push a film: kept in this process's memory only, never in the database, and forgotten
 * whole when the day changes (UTC), salt included.
 *
 * Why memory and not a table wiped daily: the salt is what makes an address bucket
 * unreadable, and an IPv4 address hashed with a known salt is found again by trying the 2^32
 * addresses. Written to a table, the salt would sit in the same database (and its backups) as the
 * buckets it salts. In memory it dies with the day or the process. What that costs: a restart
 * starts a new day's memory (a visit spanning it may count again, within the caps), and with
 * several gateway replicas each keeps its own, so a client spread over R replicas has R times
 * the caps. Both stay bounded.
 *
 * Visits and address buckets are remembered only by an HMAC under the day's salt; the films are
 * what the counts need anyway. No visit id, address or basket is logged or written anywhere.
 */
export class VisitLedger {
  private day = '';
  private salt: Buffer = Buffer.alloc(0);
  private generation = 0;
  private readonly visits = new Map<string, VisitState>();
  /** Per address bucket, how many visits counted each film today, and how many visits it has remembered. */
  private readonly buckets = new Map<string, { films: Map<string, number>; visits: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: TasteLimits = DEFAULT_TASTE_LIMITS,
    private readonly now: () => Date = () => new Date(),
    private readonly newSalt: () => Buffer = () => randomBytes(32),
  ) {
    this.rotateIfNewDay();
  }

  /**
   * Admits what this request adds: the films the visit had not counted yet (liked first, in the
   * order given, then disliked), within the visit's and the address's caps, and the pairs the
   * newly liked films make with the visit's other liked films.
   */
  admit(visitId: string, address: string, liked: readonly string[], disliked: readonly string[]): Admission {
    this.rotateIfNewDay();
    const nothing = (paused: boolean): Admission => ({ contribution: { likes: [], dislikes: [], pairs: [] }, paused, undo: () => undefined });
    const visitKey = this.key('visit', visitId);
    const bucketKey = this.key('address', addressBucket(address));
    let bucket = this.buckets.get(bucketKey);
    const known = this.visits.get(visitKey);
    if (!known) {
      if (this.visits.size >= this.limits.maxVisitsPerDay) return nothing(true);
      if (bucket && bucket.visits >= this.limits.maxVisitsPerAddress) return nothing(false);
    }
    // A new visit is remembered only once it teaches something: capped visits cost no memory.
    const visit = known ?? { liked: new Set<string>(), disliked: new Set<string>() };
    const films = bucket?.films ?? new Map<string, number>();
    const contribution: Contribution = { likes: [], dislikes: [], pairs: [] };
    const take = (tconst: string, into: Set<string>, list: string[], likedFilm: boolean) => {
      if (visit.liked.has(tconst) || visit.disliked.has(tconst)) return;
      if (visit.liked.size + visit.disliked.size >= this.limits.maxFilmsPerVisit) return;
      const counted = films.get(tconst) ?? 0;
      if (counted >= this.limits.maxVisitsPerAddressAndFilm) return;
      films.set(tconst, counted + 1);
      if (likedFilm) for (const other of visit.liked) contribution.pairs.push(other < tconst ? [other, tconst] : [tconst, other]);
      into.add(tconst);
      list.push(tconst);
    };
    for (const tconst of liked) take(tconst, visit.liked, contribution.likes, true);
    for (const tconst of disliked) take(tconst, visit.disliked, contribution.dislikes, false);
    if (contribution.likes.length + contribution.dislikes.length === 0) return nothing(false);
    if (!bucket) {
      bucket = { films, visits: 0 };
      this.buckets.set(bucketKey, bucket);
    }
    if (!known) {
      this.visits.set(visitKey, visit);
      bucket.visits += 1;
    }

    const generation = this.generation;
    const admittedVisit = visit;
    const admittedBucket = films;
    return {
      contribution,
      paused: false,
      undo: () => {
        if (generation !== this.generation) return;
        for (const tconst of [...contribution.likes, ...contribution.dislikes]) {
          admittedVisit.liked.delete(tconst);
          admittedVisit.disliked.delete(tconst);
          const counted = admittedBucket.get(tconst) ?? 0;
          if (counted <= 1) admittedBucket.delete(tconst);
          else admittedBucket.set(tconst, counted - 1);
        }
      },
    };
  }

  /** Forgets the day (the owner wiped the store): a new salt, no visit, no bucket. */
  clear(): void {
    this.day = '';
    this.rotateIfNewDay();
  }

  /**
   * Forgets the day at midnight (UTC) even when no request comes to notice it: the salt is never
   * kept past its day. The timer never keeps the process alive; `close()` stops it.
   */
  start(): void {
    this.close();
    const current = this.now();
    const midnight = Date.UTC(current.getUTCFullYear(), current.getUTCMonth(), current.getUTCDate() + 1);
    this.timer = setTimeout(
      () => {
        this.rotateIfNewDay();
        this.start();
      },
      Math.max(1000, midnight - current.getTime() + 1000),
    );
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private rotateIfNewDay(): void {
    const today = this.now().toISOString().slice(0, 10);
    if (today === this.day) return;
    this.day = today;
    this.salt = this.newSalt();
    this.generation += 1;
    this.visits.clear();
    this.buckets.clear();
  }

  private key(kind: 'visit' | 'address', value: string): string {
    return createHmac('sha256', this.salt).update(kind).update('\0').update(value).digest('base64url');
  }
}

/**
 * The bucket an address falls in: an IPv4 address is its own (an IPv4-mapped IPv6 address is
 * its IPv4); an IPv6 address counts by its /64, the block one subscriber line is given, so a
 * script cannot escape the cap by walking the addresses of its own block.
 */
export function addressBucket(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.toLowerCase().split('%')[0]!.split('::') as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => (g.replace(/^0+/, '') || '0'))
    .join(':')}::/64`;
}
