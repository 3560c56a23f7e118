/**
 * The collaborative block learned from the taste store (issue 17): item-item co-like scores with
 * popularity damping, added to the content score of the films the content search proposed and
 * of the films the basket is most often liked with. Its weight grows with each film's evidence
 * (the distinct visits that named it), so an empty store ranks exactly as the content model
 * does and a film nobody named falls back on content.
 *
 *   co(b)    = Σ over basket films a of w_a · likedWith(a, b) / (√(likes_a + 1) · (likes_b + 1)^β)
 *   final(b) = content(b) + γ · visits_b / (visits_b + κ) · Δ · r / (r + i_b)
 *
 * where i_b is b's place (0 = first) among the pool's films ordered by co, and Δ the spread of
 * the pool's content scores (best − worst): the block speaks in the content score's own units,
 * by rank rather than by magnitude. Why by rank: co divided by its maximum gave the whole weight
 * to the basket's one strongest neighbour and almost nothing to the next ones; on the warm-up
 * protocol (docs/recommender.md §9) the rank form gained where the magnitude form did not.
 * γ ≤ 1 keeps a film's bonus within the pool's own spread whatever the counts.
 *
 * w_a is the basket's recency weight (the profile's). The ONNX search is still one call; the
 * neighbours the store adds are scored for their content exactly, one dot product each.
 */
export interface CoLikeParams {
  /** Weight of the collaborative block, as a share of the pool's content spread (0: content only). */
  gamma: number;
  /** Popularity damping of the candidate (0: the most co-liked win; 1: divided by its likes). */
  beta: number;
  /** Visits at which a film's collaborative weight reaches half of gamma. */
  kappa: number;
  /** How slowly the bonus falls with the place among the co-liked films (r: the (r+1)-th gets half the first's). */
  rankScale: number;
  /** Films the store adds as candidates beyond the content search's, per request. */
  neighbours: number;
}

export const DEFAULT_CO_LIKES: CoLikeParams = { gamma: 0.5, beta: 0.65, kappa: 2, rankScale: 5, neighbours: 50 };

export interface StoreCounts {
  films: readonly { tconst: string; likes: number; visits: number }[];
  pairs: readonly { filmA: string; filmB: string; coLikes: number }[];
}

/** A subscriber's films that count, as a visit's do: the last 20 of their list. */
export const SUBSCRIBER_FILMS = 20;

/**
 * The store's counts plus the confirmed subscribers' liked lists (the second source): each list
 * counts as one visit that liked its last `SUBSCRIBER_FILMS` distinct films — each film one like
 * and one visit of evidence, each pair of them one co-like. Returns new counts; the lists are not
 * kept. A subscriber who also taught the store as a visitor counts twice, as two visits would.
 */
export function withLikedLists(counts: StoreCounts, lists: readonly (readonly string[])[]): StoreCounts {
  if (lists.length === 0) return counts;
  const films = new Map(counts.films.map((f) => [f.tconst, { tconst: f.tconst, likes: f.likes, visits: f.visits }]));
  const pairs = new Map(counts.pairs.map((p) => [`${p.filmA} ${p.filmB}`, { ...p }]));
  for (const list of lists) {
    const liked = [...new Set(list)].slice(-SUBSCRIBER_FILMS).sort();
    for (const [i, a] of liked.entries()) {
      const f = films.get(a) ?? { tconst: a, likes: 0, visits: 0 };
      f.likes += 1;
      f.visits += 1;
      films.set(a, f);
      for (const b of liked.slice(i + 1)) {
        const key = `${a} ${b}`;
        const p = pairs.get(key) ?? { filmA: a, filmB: b, coLikes: 0 };
        p.coLikes += 1;
        pairs.set(key, p);
      }
    }
  }
  return { films: [...films.values()], pairs: [...pairs.values()] };
}

/** The store's counts on one version's rows: what a request reads, in memory. */
export class CoLikeModel {
  private constructor(
    private readonly likes: Float32Array,
    private readonly visits: Float32Array,
    private readonly neighbours: ReadonlyMap<number, ReadonlyArray<readonly [number, number]>>,
    readonly pairs: number,
  ) {}

  static empty(rows: number): CoLikeModel {
    return new CoLikeModel(new Float32Array(rows), new Float32Array(rows), new Map(), 0);
  }

  /** Films and pairs outside the version's index are left out (a film imported since). */
  static from(counts: StoreCounts, rowOf: ReadonlyMap<string, number>, rows: number): CoLikeModel {
    const likes = new Float32Array(rows);
    const visits = new Float32Array(rows);
    for (const f of counts.films) {
      const r = rowOf.get(f.tconst);
      if (r === undefined) continue;
      likes[r] = f.likes;
      visits[r] = f.visits;
    }
    const lists = new Map<number, Array<readonly [number, number]>>();
    let pairs = 0;
    const link = (a: number, b: number, n: number) => {
      let list = lists.get(a);
      if (!list) lists.set(a, (list = []));
      list.push([b, n]);
    };
    for (const p of counts.pairs) {
      const a = rowOf.get(p.filmA);
      const b = rowOf.get(p.filmB);
      if (a === undefined || b === undefined || p.coLikes <= 0) continue;
      link(a, b, p.coLikes);
      link(b, a, p.coLikes);
      pairs++;
    }
    // Most co-liked first: a request reads a film's strongest neighbours first.
    for (const list of lists.values()) list.sort((x, y) => y[1] - x[1] || x[0] - y[0]);
    return new CoLikeModel(likes, visits, lists, pairs);
  }

  get empty(): boolean {
    return this.pairs === 0;
  }

  /** The distinct visits that named a film: its evidence. */
  evidence(row: number): number {
    return this.visits[row] ?? 0;
  }

  /** How many visits liked both films (0 when never). */
  likedWith(a: number, b: number): number {
    return this.neighbours.get(a)?.find(([r]) => r === b)?.[1] ?? 0;
  }

  /** co(b) for every film some basket film was liked with (basket films themselves excluded). */
  scores(basket: readonly number[], weights: readonly number[], beta: number): Map<number, number> {
    const out = new Map<number, number>();
    const inBasket = new Set(basket);
    basket.forEach((a, i) => {
      const list = this.neighbours.get(a);
      if (!list) return;
      const wa = (weights[i] ?? 1) / Math.sqrt(this.likes[a]! + 1);
      for (const [b, n] of list) {
        if (inBasket.has(b)) continue;
        out.set(b, (out.get(b) ?? 0) + (wa * n) / (this.likes[b]! + 1) ** beta);
      }
    });
    return out;
  }
}

export interface Scored {
  row: number;
  score: number;
}

/**
 * Adds the collaborative block to content-scored candidates and the store's strongest
 * neighbours of the basket (`contentScore` scores those exactly), best first. With gamma 0 or an
 * empty store, the candidates come back as given.
 */
export function withCoLikes(
  candidates: readonly Scored[],
  basket: readonly number[],
  weights: readonly number[],
  model: CoLikeModel,
  params: CoLikeParams,
  contentScore: (row: number) => number,
  keep: (row: number) => boolean,
): { ranked: Scored[]; carried: Map<number, number> } {
  if (params.gamma <= 0 || model.empty) return { ranked: [...candidates], carried: new Map() };
  const co = model.scores(basket, weights, params.beta);
  if (co.size === 0) return { ranked: [...candidates], carried: new Map() };
  const pool = new Map(candidates.map((c) => [c.row, c.score]));
  const strongest = [...co].filter(([row]) => keep(row)).sort((x, y) => y[1] - x[1] || x[0] - y[0]);
  for (const [row] of strongest.slice(0, params.neighbours)) if (!pool.has(row)) pool.set(row, contentScore(row));
  let best = -Infinity;
  let worst = Infinity;
  for (const content of pool.values()) {
    best = Math.max(best, content);
    worst = Math.min(worst, content);
  }
  const spread = best - worst;
  const byCo = [...pool.keys()].filter((row) => (co.get(row) ?? 0) > 0).sort((x, y) => co.get(y)! - co.get(x)! || x - y);
  const carried = new Map<number, number>();
  byCo.forEach((row, place) => {
    const e = model.evidence(row);
    const bonus = ((params.gamma * e) / (e + params.kappa)) * spread * (params.rankScale / (params.rankScale + place));
    if (bonus > 0) carried.set(row, bonus);
  });
  const ranked = [...pool].map(([row, content]) => ({ row, score: content + (carried.get(row) ?? 0) }));
  ranked.sort((a, b) => b.score - a.score || a.row - b.row);
  return { ranked, carried };
}
