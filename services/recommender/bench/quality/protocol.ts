import type { Rating } from './movielens.repository';

/**
 * The held-out protocol: for each user with at least two liked films (rating ≥ 4) in the
 * catalogue, the most recent liked film is held out and the (at most 20) liked films before it
 * are the basket. Users are split by id parity: odd ids tune, even ids report.
 */
export interface EvalUser {
  userId: number;
  basket: number[];
  heldOut: number;
}

export const LIKED_MIN_RATING = 4.0;
export const BASKET_MAX = 20;

export function evalUsers(ratings: readonly Rating[], rowOfMovie: ReadonlyMap<number, number>): EvalUser[] {
  const byUser = new Map<number, { row: number; timestamp: number; movieId: number }[]>();
  for (const r of ratings) {
    if (r.rating < LIKED_MIN_RATING) continue;
    const row = rowOfMovie.get(r.movieId);
    if (row === undefined) continue;
    let list = byUser.get(r.userId);
    if (!list) byUser.set(r.userId, (list = []));
    list.push({ row, timestamp: r.timestamp, movieId: r.movieId });
  }
  const users: EvalUser[] = [];
  for (const [userId, liked] of [...byUser].sort((a, b) => a[0] - b[0])) {
    // Two MovieLens ids can map to one tconst: a film counts once, at its latest like.
    const latest = new Map<number, { row: number; timestamp: number; movieId: number }>();
    for (const l of liked) {
      const cur = latest.get(l.row);
      if (!cur || l.timestamp > cur.timestamp) latest.set(l.row, l);
    }
    const ordered = [...latest.values()].sort((a, b) => a.timestamp - b.timestamp || a.movieId - b.movieId);
    if (ordered.length < 2) continue;
    const heldOut = ordered[ordered.length - 1]!.row;
    users.push({ userId, heldOut, basket: ordered.slice(0, -1).slice(-BASKET_MAX).map((l) => l.row) });
  }
  return users;
}

export interface Metrics {
  users: number;
  hr: number;
  ndcg: number;
  coverage: number;
  meanVotes: number;
}

export type Recommender = (basket: number[], k: number, user: EvalUser) => Promise<number[]> | number[];

export async function evaluate(users: readonly EvalUser[], recommend: Recommender, catalogueSize: number, votes: ArrayLike<number>, k = 10): Promise<Metrics> {
  let hits = 0;
  let ndcg = 0;
  let votesSum = 0;
  let recs = 0;
  const seen = new Set<number>();
  for (const user of users) {
    const list = await recommend(user.basket, k, user);
    const at = list.slice(0, k).indexOf(user.heldOut);
    if (at >= 0) {
      hits++;
      ndcg += 1 / Math.log2(at + 2);
    }
    for (const row of list.slice(0, k)) {
      seen.add(row);
      votesSum += votes[row]!;
      recs++;
    }
  }
  const n = Math.max(1, users.length);
  return { users: users.length, hr: hits / n, ndcg: ndcg / n, coverage: seen.size / catalogueSize, meanVotes: votesSum / Math.max(1, recs) };
}
