/**
 * @jest-environment ./services/recommender/test/onnx-environment.js
 */
import { restrictBuild } from '../bench/quality/catalogue';
import { computeEmbeddings } from '../src/embedding/compute-embeddings';
import type { FilmRow } from '../src/embedding/film-row';
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
});
