/**
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { OnnxEncoder } from '../onnx/onnx-encoder';
import { vectorCosine as cosine } from '../recommend/ranker';
import { computeEmbeddings } from './compute-embeddings';
import { decodeEncoder, encodeEncoder, FeatureEncoder } from './encoder';
import type { FilmRow, PersonLink } from './film-row';
import { gaussian } from './svd';

/** A small catalogue with structure: directors with several films, genres, decades, overview words. */
function catalogue(n: number): { films: FilmRow[]; people: PersonLink[] } {
  const normal = gaussian(5);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.abs(normal() * 1e6)) % xs.length]!;
  const genres = ['Drama', 'Comedy', 'Crime', 'Western', 'Romance', 'Horror', 'Sci-Fi', 'Animation'];
  const words = ['mafia', 'family', 'love', 'paris', 'space', 'ranch', 'ghost', 'heist', 'war', 'robot', 'village', 'secret'];
  const films: FilmRow[] = [];
  const people: PersonLink[] = [];
  for (let i = 0; i < n; i++) {
    const tconst = `tt${String(1000 + i).padStart(7, '0')}`;
    films.push({
      tconst,
      title: `Film ${i}`,
      year: 1930 + (i % 90),
      runtime: 80 + (i % 70),
      genres: [pick(genres), pick(genres)],
      rating: 5 + (i % 40) / 10,
      votes: 100 * (1 + (i % 300)),
      language: i % 5 === 0 ? 'fr' : 'en',
      countries: i % 5 === 0 ? ['FR'] : ['US'],
      overview: `${pick(words)} ${pick(words)} ${pick(words)} story`,
      collection: i % 40 === 0 ? `Saga ${i % 3}` : null,
      tmdbGenres: [],
      companies: [],
    });
    people.push({ tconst, nconst: `nm${String(i % 60).padStart(7, '0')}`, role: 'director', ordering: 1 });
    for (let c = 0; c < 3; c++) people.push({ tconst, nconst: `nm${String(100 + ((i * 7 + c * 13) % 150)).padStart(7, '0')}`, role: 'cast', ordering: 2 + c });
  }
  return { films, people };
}

describe('the encoder: features → the learned block, in TypeScript and in ONNX', () => {
  const { films, people } = catalogue(600);
  const built = computeEmbeddings(films, people, { dims: 16 });
  const data = built.encoder!;
  const features = new FeatureEncoder(data);
  const peopleOf = (tconst: string) => people.filter((p) => p.tconst === tconst);
  const svdBlock = (row: number) => built.vectors.subarray(row * built.dims, row * built.dims + 16);
  let onnx: OnnxEncoder;

  beforeAll(async () => {
    onnx = await OnnxEncoder.create(data);
  });
  afterAll(async () => {
    await onnx?.close();
  });

  it("folds the build's own films back onto their stored vectors", () => {
    expect(data.rank).toBe(16);
    expect(data.tokens.length).toBe(built.stats.features);
    let worst = 1;
    let sum = 0;
    films.forEach((film, row) => {
      const v = features.embed(features.row(film, peopleOf(film.tconst)))!;
      const c = cosine(v, svdBlock(row));
      worst = Math.min(worst, c);
      sum += c;
    });
    // The randomized SVD is not exact, so fold-in is close, not equal.
    expect(sum / films.length).toBeGreaterThan(0.999);
    expect(worst).toBeGreaterThan(0.95);
  });

  it('ONNX encodes a batch as the TypeScript reference does; a title with no known token gets nothing', async () => {
    const stranger: FilmRow = { ...films[0]!, tconst: 'tt9999999', year: null, genres: ['Nonexistent'], language: 'xx', countries: [], overview: 'zzz', collection: null, rating: null, votes: 0, runtime: null };
    const titles = [films[3]!, stranger, films[10]!, films[3]!];
    const rows = titles.map((f) => features.row(f, f === stranger ? [] : peopleOf(f.tconst)));
    expect(rows[1]!.indices.length).toBe(0);
    const out = await onnx.encode(rows);
    expect(out[1]).toBeNull();
    for (const i of [0, 2, 3]) {
      const expected = features.embed(rows[i]!)!;
      const got = out[i]!;
      expect(got.length).toBe(16);
      for (let k = 0; k < 16; k++) expect(Math.abs(got[k]! - expected[k]!)).toBeLessThan(1e-5);
    }
    expect(Array.from(out[3]!)).toEqual(Array.from(out[0]!));
    // A different film is a different vector.
    expect(cosine(out[0]!, out[2]!)).toBeLessThan(0.999);
  });

  it('a new title sharing a film\'s director, cast, genres and words lands next to that film', async () => {
    const source = films[42]!;
    const copy: FilmRow = { ...source, tconst: 'tt8888888', title: 'Remake' };
    const [v] = await onnx.encode([features.row(copy, peopleOf(source.tconst).map((p) => ({ ...p, tconst: copy.tconst })))]);
    const sims = films.map((_, row) => cosine(v!, svdBlock(row)));
    const best = sims.indexOf(Math.max(...sims));
    // Its nearest film is the source itself, or one the SVD cannot tell from it.
    expect(sims[best]! - sims[42]!).toBeLessThan(1e-3);
    expect(sims[42]!).toBeGreaterThan(0.99);
  });

  it('keeps only the most frequent tokens when the vocabulary is capped', () => {
    const capped = computeEmbeddings(films, people, { dims: 16, encoderMaxFeatures: 50 }).encoder!;
    expect(capped.tokens.length).toBe(50);
    const threshold = Math.min(...capped.df);
    const left = data.tokens.filter((t) => !capped.tokens.includes(t));
    for (const t of left) expect(data.df[data.tokens.indexOf(t)]!).toBeLessThanOrEqual(threshold);
    // The tokens kept have the projection rows of the full vocabulary.
    const j = capped.tokens.length - 1;
    const full = data.tokens.indexOf(capped.tokens[j]!);
    expect(Array.from(capped.projection.subarray(j * 16, (j + 1) * 16))).toEqual(Array.from(data.projection.subarray(full * 16, (full + 1) * 16)));
  });

  it('round-trips through its blob, and a damaged blob is refused with what is wrong', () => {
    const blob = encodeEncoder(data);
    const back = decodeEncoder(blob);
    expect(back.tokens).toEqual(data.tokens);
    expect(back.df).toEqual(data.df);
    expect(back.projection).toEqual(data.projection);
    expect(back.weights).toEqual(data.weights);
    expect(() => decodeEncoder(blob.subarray(0, blob.length - 4))).toThrow(/projection holds .* bytes, expected/);
    const nan = Buffer.from(blob);
    nan.writeFloatLE(Number.NaN, nan.length - 4);
    expect(() => decodeEncoder(nan)).toThrow('non-finite value in the encoder projection');
    expect(() => decodeEncoder(Buffer.from([1, 0]))).toThrow('shorter than its header length');
  });
});
