/** One film as the embedding build reads it: the catalogue row and its TMDB complement. */
export interface FilmRow {
  tconst: string;
  title: string;
  year: number | null;
  runtime: number | null;
  genres: string[];
  rating: number | null;
  votes: number;
  language: string | null;
  countries: string[];
  overview: string | null;
  collection: string | null;
  tmdbGenres: string[];
  companies: string[];
}

export interface PersonLink {
  tconst: string;
  nconst: string;
  /** 'director' | 'writer' | 'cast' */
  role: 'director' | 'writer' | 'cast';
  ordering: number;
}
