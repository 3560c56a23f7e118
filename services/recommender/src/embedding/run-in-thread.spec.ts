import { computeEncodedEmbeddings } from './compute-embeddings';
import type { FilmRow, PersonLink } from './film-row';
import { computeEmbeddingsInThread } from './run-in-thread';

/** More films than one message carries (2 000), so the thread reassembles several slices. */
function catalogue(n: number): { films: FilmRow[]; people: PersonLink[] } {
  const genres = ['Drama', 'Comedy', 'Crime', 'Western', 'Romance', 'Horror'];
  const words = ['mafia', 'family', 'love', 'paris', 'space', 'ranch', 'ghost', 'heist'];
  const films: FilmRow[] = [];
  const people: PersonLink[] = [];
  for (let i = 0; i < n; i++) {
    const tconst = `tt${String(100_000 + i).padStart(7, '0')}`;
    films.push({
      tconst,
      title: `Film ${i}`,
      year: 1930 + (i % 90),
      runtime: 80 + (i % 70),
      genres: [genres[i % 6]!, genres[(i * 7) % 6]!],
      rating: 5 + (i % 40) / 10,
      votes: 100 * (1 + (i % 300)),
      language: i % 5 === 0 ? 'fr' : 'en',
      countries: i % 5 === 0 ? ['FR'] : ['US'],
      overview: `${words[i % 8]} ${words[(i * 3) % 8]} story`,
      collection: null,
      tmdbGenres: [],
      companies: [],
    });
    people.push({ tconst, nconst: `nm${String(i % 90).padStart(7, '0')}`, role: 'director', ordering: 1 });
    for (let c = 0; c < 3; c++) people.push({ tconst, nconst: `nm${String(100 + ((i * 7 + c * 13) % 400)).padStart(7, '0')}`, role: 'cast', ordering: 2 + c });
  }
  return { films, people };
}

describe('the embedding build in a worker thread', () => {
  it('stores what the same compute gives on the caller thread, blob for blob', async () => {
    const { films, people } = catalogue(2_300);
    const opts = { dims: 8 };
    const inThread = await computeEmbeddingsInThread(films, people, opts);
    const here = computeEncodedEmbeddings(films, people, opts);
    expect(inThread.films).toBe(2_300);
    expect(inThread.dims).toBe(here.dims);
    expect(inThread.checksum).toBe(here.checksum);
    expect(inThread.items.equals(here.items)).toBe(true);
    expect(inThread.vectors.equals(here.vectors)).toBe(true);
    expect(inThread.encoder && here.encoder && inThread.encoder.equals(here.encoder)).toBe(true);
  });

  it("rejects with the thread's error when the compute refuses its options", async () => {
    const { films, people } = catalogue(10);
    await expect(computeEmbeddingsInThread(films, people, { dims: 1 })).rejects.toThrow(/worker thread.*dims must be an integer in 2\.\.256, got 1/s);
  });
});
