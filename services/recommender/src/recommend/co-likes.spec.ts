import { CoLikeModel, withCoLikes } from './co-likes';

const rowOf = new Map(['tt0000000', 'tt0000001', 'tt0000002', 'tt0000003', 'tt0000004'].map((t, i) => [t, i]));
const counts = {
  films: [
    { tconst: 'tt0000000', likes: 4, visits: 4 },
    { tconst: 'tt0000001', likes: 3, visits: 3 },
    { tconst: 'tt0000002', likes: 1, visits: 1 },
    { tconst: 'tt0000003', likes: 8, visits: 9 },
    { tconst: 'tt9999999', likes: 5, visits: 5 },
  ],
  pairs: [
    { filmA: 'tt0000000', filmB: 'tt0000001', coLikes: 3 },
    { filmA: 'tt0000000', filmB: 'tt0000002', coLikes: 1 },
    { filmA: 'tt0000000', filmB: 'tt9999999', coLikes: 4 },
  ],
};
const params = { gamma: 0.5, beta: 0.5, kappa: 5, rankScale: 10, neighbours: 50 };

describe('the collaborative block', () => {
  const model = CoLikeModel.from(counts, rowOf, 5);

  it('reads the store on the version rows: films outside the index are left out', () => {
    expect(model.pairs).toBe(2);
    expect(model.likedWith(0, 1)).toBe(3);
    expect(model.likedWith(1, 0)).toBe(3);
    expect(model.evidence(3)).toBe(9);
    expect(model.likedWith(0, 3)).toBe(0);
  });

  it('scores co-liked films with popularity damping: co(b) = Σ w_a · n_ab / (√(likes_a + 1) · (likes_b + 1)^β)', () => {
    const co = model.scores([0], [1], 0.5);
    expect(co.get(1)).toBeCloseTo(3 / Math.sqrt(5) / Math.sqrt(4), 10);
    expect(co.get(2)).toBeCloseTo(1 / Math.sqrt(5) / Math.sqrt(2), 10);
    expect(co.has(0)).toBe(false);
  });

  it('adds the block to the content score by place among the co-liked films, in units of the pool’s content spread, weighted by evidence, and brings in the basket’s neighbours', () => {
    const content = [0, 0.9, 0.8, 0.7, 0.6];
    const candidates = [{ row: 3, score: 0.7 }, { row: 4, score: 0.6 }];
    const { ranked, carried } = withCoLikes(candidates, [0], [1], model, params, (r) => content[r]!, () => true);
    // co(1) = 3 / (√5 · 2) > co(2) = 1 / (√5 · √2): film 1 is first among the co-liked, film 2 second.
    // The pool (3, 4 from content; 1, 2 from the store) spreads 0.9 − 0.6 = 0.3.
    expect(ranked.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(ranked[0]!.score).toBeCloseTo(0.9 + 0.5 * (3 / 8) * 0.3 * (10 / 10), 6);
    expect(ranked[1]!.score).toBeCloseTo(0.8 + 0.5 * (1 / 6) * 0.3 * (10 / 11), 6);
    expect(ranked[2]!.score).toBe(0.7);
    expect([...carried.keys()].sort()).toEqual([1, 2]);
    // A film the filters reject never comes in.
    expect(withCoLikes(candidates, [0], [1], model, params, (r) => content[r]!, (r) => r !== 1).ranked.map((r) => r.row)).toEqual([2, 3, 4]);
  });

  it('bounds the bonus by gamma times the pool’s spread, whatever the counts', () => {
    const heavy = CoLikeModel.from(
      { films: [{ tconst: 'tt0000000', likes: 1e6, visits: 1e6 }, { tconst: 'tt0000004', likes: 1e6, visits: 1e6 }], pairs: [{ filmA: 'tt0000000', filmB: 'tt0000004', coLikes: 1e6 }] },
      rowOf,
      5,
    );
    const candidates = [{ row: 1, score: 0.9 }, { row: 2, score: 0.8 }, { row: 4, score: 0.5 }];
    const { ranked } = withCoLikes(candidates, [0], [1], heavy, params, () => 0, () => true);
    const pushed = ranked.find((r) => r.row === 4)!;
    expect(pushed.score).toBeLessThanOrEqual(0.5 + 0.5 * 0.4 + 1e-9);
    expect(ranked[0]!.row).toBe(1);
  });

  it('changes nothing with an empty store or gamma 0: a new cinema ranks as today', () => {
    const candidates = [{ row: 3, score: 0.7 }, { row: 4, score: 0.6 }];
    expect(withCoLikes(candidates, [0], [1], CoLikeModel.empty(5), params, () => 1, () => true).ranked).toEqual(candidates);
    expect(withCoLikes(candidates, [0], [1], model, { ...params, gamma: 0 }, () => 1, () => true).ranked).toEqual(candidates);
  });
});
