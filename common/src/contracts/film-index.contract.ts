/**
 * The programme editor's search of films to programme (`GET /api/v1/admin/films/search`): any
 * film of the IMDb files (the film index), not only the catalogue's.
 */
export interface FilmIndexHit {
  tconst: string;
  /** 'movie' or 'tvMovie'. */
  titleType: string;
  title: string;
  originalTitle: string;
  /** The catalogue's French title, when the film is in the catalogue and has one. */
  frenchTitle: string | null;
  year: number | null;
  runtimeMinutes: number | null;
  genres: string[];
  averageRating: number | null;
  /** Null: IMDb has no rating for it. */
  numVotes: number | null;
  /** The catalogue has its page (else customers see the séance without the film's details until the next import). */
  inCatalogue: boolean;
  /** 0 exact title, 1 title prefix, 2 similar title. */
  rank: 0 | 1 | 2;
}

export interface FilmIndexSearchResponse {
  query: string;
  items: FilmIndexHit[];
}
