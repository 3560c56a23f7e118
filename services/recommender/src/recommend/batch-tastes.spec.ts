import { tconstCode } from '@cine/common';
import type { LoadedVersion } from '../serving/loaded-version';
import { CodeRows, OutsideVectors, profileInto, ResolvedTastes } from './batch-tastes';
import { profileOf } from './ranker';
import { DEFAULT_RANKING } from './ranking';

/** A small version: 40 films × 24 dims in three blocks, one film's vector all zeros. */
function smallVersion(): LoadedVersion {
  const dims = 24;
  const films = 40;
  let seed = 11;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31 - 0.5;
  };
  const vectors = Float32Array.from({ length: films * dims }, (_, i) => (Math.floor(i / dims) === 7 ? 0 : random()));
  const prior = Float32Array.from({ length: films }, () => random() + 0.5);
  const items = Array.from({ length: films }, (_, i) => ({ tconst: `tt${String(1000 + i).padStart(7, '0')}` }));
  return {
    dims,
    blocks: [12, 6, 6],
    vectors,
    prior,
    meanPrior: prior.reduce((s, p) => s + p, 0) / films,
    items,
    rowOf: new Map(items.map((item, i) => [item.tconst, i])),
    vector: (row: number) => vectors.subarray(row * dims, (row + 1) * dims),
  } as unknown as LoadedVersion;
}

const bits = (v: Float32Array) => Array.from(new Uint32Array(v.buffer, v.byteOffset, v.length));

describe('batch tastes: the profiles of many tastes as numbers', () => {
  const version = smallVersion();
  const outsideVector = Float32Array.from({ length: 24 }, (_, k) => Math.sin(k + 1));
  const outside = new OutsideVectors(24, new Map([['tt9999999', outsideVector]]));

  it("profileInto is ranker.ts's profileOf bit for bit: rows, a vector outside the index, disliked, a zero vector, weights past the table", () => {
    const cases: [number[], number[]][] = [
      [[3], []],
      [[3, 9, 21], []],
      [[5, 12, 30, 2, 17, 33], [8, 1]],
      [[7], []],
      [[7, 4], [7]],
      [[-1, 20, 6], [-1]],
      [[], [4, 5]],
    ];
    const mean = new Float32Array(24);
    const q = new Float32Array(24);
    // A table of 3 weights: longer lists compute the rest as the single route does.
    const powers = Float64Array.from({ length: 3 }, (_, i) => DEFAULT_RANKING.recency ** i);
    for (const [liked, disliked] of cases) {
      const ref = (r: number) => (r >= 0 ? r : outsideVector);
      const want = profileOf(version, liked.map(ref), disliked.map(ref), DEFAULT_RANKING.dislike, DEFAULT_RANKING.recency);
      profileInto(version, outside.vectors, liked, disliked, DEFAULT_RANKING, powers, mean, q);
      expect([liked, disliked, bits(q)]).toEqual([liked, disliked, bits(want)]);
    }
  });

  it('a taste from rows and the same taste by tconst resolve alike: inputs once each, liked then disliked, profile, prior weight', () => {
    const tconst = (r: number) => version.items[r]!.tconst;
    const tastes: [number[], number[]][] = [
      [[3, 9, 3, 21], [9, 30, 30]],
      [[], [4]],
      [[12, 12], []],
    ];
    const rows = Int32Array.from(tastes.flatMap(([l, d]) => [...l, ...d]));
    const byRows = new ResolvedTastes(version, tastes.length, rows.length, DEFAULT_RANKING, new OutsideVectors(24, new Map()));
    const byTitles = new ResolvedTastes(version, tastes.length, 0, DEFAULT_RANKING, new OutsideVectors(24, new Map()));
    let at = 0;
    for (const [liked, disliked] of tastes) {
      byRows.addRows(rows, at, liked.length, disliked.length);
      byTitles.addTitles(liked.map(tconst), disliked.map(tconst), false);
      at += liked.length + disliked.length;
    }
    expect(Array.from(byRows.inputsOf(0))).toEqual([3, 9, 21, 30]);
    expect(Array.from(byRows.inputsOf(1))).toEqual([4]);
    expect(Array.from(byRows.inputsOf(2))).toEqual([12]);
    for (let t = 0; t < tastes.length; t++) expect(Array.from(byTitles.inputsOf(t))).toEqual(Array.from(byRows.inputsOf(t)));
    expect(Array.from(byRows.profiled)).toEqual([1, 0, 1]);
    expect(Array.from(byTitles.profiled)).toEqual([1, 0, 1]);
    expect(bits(byTitles.profiles)).toEqual(bits(byRows.profiles));
    expect(Array.from(byTitles.alpha)).toEqual(Array.from(byRows.alpha));
    expect(byRows.alpha[1]).toBe(0);
  });

  it('a title outside the index is placed by its vector, an unknown one is named, and neither is an input row', () => {
    const tastes = new ResolvedTastes(version, 1, 0, DEFAULT_RANKING, outside);
    tastes.addTitles(['tt9999999', version.items[2]!.tconst, 'tt0000001'], [], true);
    expect(tastes.encodedOf(0)).toEqual(['tt9999999']);
    expect(tastes.unknownOf(0)).toEqual(['tt0000001']);
    expect(Array.from(tastes.inputsOf(0))).toEqual([2]);
    expect(tastes.likedOf(0).map((p) => [p.tconst, p.row])).toEqual([
      ['tt9999999', null],
      [version.items[2]!.tconst, 2],
    ]);
    const want = profileOf(version, [outsideVector, 2], [], DEFAULT_RANKING.dislike, DEFAULT_RANKING.recency);
    expect(bits(tastes.profiles)).toEqual(bits(want));
  });
});

describe('batch tastes: title codes → rows', () => {
  it('finds every code, −1 for a code it does not hold, a NaN or a 10-digit id it was not given; the last row of a code met twice', () => {
    const tconsts = Array.from({ length: 5000 }, (_, i) => `tt${String(i * 7919 + 13).padStart(i % 3 === 0 ? 8 : 7, '0')}`);
    tconsts.push('tt9876543210', tconsts[10]!);
    const table = new CodeRows(tconsts.map(tconstCode));
    const want = tconsts.map((_, row) => (row === 10 ? 5001 : row));
    want[5001] = 5001;
    expect(tconsts.map((t) => table.get(tconstCode(t)!))).toEqual(want);
    expect(table.get(tconstCode('tt9876543210')!)).toBe(5000);
    expect(table.get(tconstCode('tt0000002')!)).toBe(-1);
    expect(table.get(tconstCode('tt9876543211')!)).toBe(-1);
    expect(table.get(Number.NaN)).toBe(-1);
    expect(table.get(-1)).toBe(-1);
  });
});
