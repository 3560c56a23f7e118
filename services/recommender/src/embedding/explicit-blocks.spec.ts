import { GENRE_BLOCK_DIMS, GENRES, writeGenreBlock, writeYearBlock, YEAR_BLOCK_DIMS } from './explicit-blocks';
import type { ItemMeta } from './version';

const film = (year: number | null, genres: string[]): ItemMeta => ({ tconst: 'tt0000001', title: 'x', year, runtime: 100, genres, french: false, rating: 7, votes: 10 });

function yearBlock(year: number | null, weight = 1): Float32Array {
  const out = new Float32Array(YEAR_BLOCK_DIMS + 2);
  writeYearBlock(film(year, []), weight, out, 1);
  return out;
}
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const norm = (a: Float32Array) => Math.sqrt(dot(a, a));

describe('explicit year and genre blocks', () => {
  it('writes a year block of length `weight` inside its own slice only', () => {
    const b = yearBlock(1994, 0.4);
    expect(norm(b)).toBeCloseTo(0.4, 5);
    expect(b[0]).toBe(0);
    expect(b[b.length - 1]).toBe(0);
  });

  it('makes near years similar and far years not: 1994 is closer to 1996 than to 1974', () => {
    const near = dot(yearBlock(1994), yearBlock(1996));
    const far = dot(yearBlock(1994), yearBlock(1974));
    expect(near).toBeGreaterThan(0.9);
    expect(far).toBeLessThan(0.05);
    expect(dot(yearBlock(1994), yearBlock(1994))).toBeCloseTo(1, 5);
  });

  it('leaves the year block empty when the year is unknown or far outside the centres', () => {
    expect(norm(yearBlock(null))).toBe(0);
    expect(norm(yearBlock(1500))).toBe(0);
  });

  it('one-hots the genres in a fixed order, unit length times the weight, ignoring unknown names', () => {
    const out = new Float32Array(GENRE_BLOCK_DIMS);
    writeGenreBlock(film(1990, ['Drama', 'crime', 'Not-A-Genre', 'Drama']), 0.5, out, 0);
    expect(norm(out)).toBeCloseTo(0.5, 5);
    const on = [...out.keys()].filter((i) => out[i]! > 0).map((i) => GENRES[i]);
    expect(on).toEqual(['Crime', 'Drama']);
    const none = new Float32Array(GENRE_BLOCK_DIMS);
    writeGenreBlock(film(1990, ['Not-A-Genre']), 0.5, none, 0);
    expect(norm(none)).toBe(0);
  });
});
