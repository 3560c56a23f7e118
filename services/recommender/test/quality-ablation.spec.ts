/**
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { restrictBuild, thinFeatures } from '../bench/quality/catalogue';
import { computeEmbeddings } from '../src/embedding/compute-embeddings';
import type { FilmRow, PersonLink } from '../src/embedding/film-row';
import { DEFAULT_RANKING } from '../src/recommend/ranking';
import { LoadedVersion } from '../src/serving/loaded-version';

/**
 * The harness's ablation rows rank with builds computed in memory: they must be served as the
 * build stands (block by block), not as one block, or a row measures another ranking.
 */
describe('quality harness: an ablation build is served with its block layout', () => {
  const films: FilmRow[] = Array.from({ length: 120 }, (_, i) => ({
    tconst: `tt${String(5000 + i).padStart(7, '0')}`,
    title: `Film ${i}`,
    year: 1950 + (i % 60),
    runtime: 85 + (i % 50),
    genres: [['Drama', 'Comedy', 'Western', 'Crime'][i % 4]!, ['Romance', 'War'][i % 2]!],
    rating: 6 + (i % 30) / 10,
    votes: 1000 + 37 * i,
    language: i % 3 === 0 ? 'fr' : 'en',
    countries: i % 3 === 0 ? ['FR'] : ['US'],
    overview: ['a village secret', 'a heist in paris', 'love at war'][i % 3]!,
    collection: null,
    tmdbGenres: [],
    companies: [],
  }));

  it('keeps the learned, year and genre blocks, and only the films kept', async () => {
    const built = computeEmbeddings(films, [], { dims: 8 });
    const kept = new Set(films.filter((_, i) => i % 2 === 0).map((f) => f.tconst));
    const version = restrictBuild(built, (t) => kept.has(t));
    const loaded = await LoadedVersion.load(version, DEFAULT_RANKING);
    try {
      expect(loaded.blocks).toEqual(built.stats.blocks);
      expect(loaded.blocks.length).toBe(3);
      expect(loaded.blocks[0]).toBe(8);
      expect(loaded.items.map((i) => i.tconst)).toEqual([...kept]);
      expect(Array.from(loaded.vector(1))).toEqual(Array.from(built.vectors.subarray(2 * built.dims, 3 * built.dims)));
    } finally {
      await loaded.close();
    }
  });

  it('--thin strips cast, writers, overview, countries and collections, and keeps the rest', () => {
    const people: PersonLink[] = [
      { tconst: films[0]!.tconst, nconst: 'nm0000001', role: 'director', ordering: 1 },
      { tconst: films[0]!.tconst, nconst: 'nm0000002', role: 'writer', ordering: 2 },
      { tconst: films[0]!.tconst, nconst: 'nm0000003', role: 'cast', ordering: 3 },
    ];
    const withCollection = films.map((f, i) => (i === 0 ? { ...f, collection: 'Une saga' } : f));
    const thin = thinFeatures(withCollection, people);
    expect(thin.people).toEqual([people[0]]);
    expect(thin.films.every((f) => f.overview === null && f.countries.length === 0 && f.collection === null)).toBe(true);
    const { overview: _o, countries: _c, collection: _k, ...kept } = withCollection[0]!;
    expect(thin.films[0]).toMatchObject(kept);
    // The input is left as it was: the full build of the same run reads it after.
    expect(withCollection[0]!.collection).toBe('Une saga');
  });
});
