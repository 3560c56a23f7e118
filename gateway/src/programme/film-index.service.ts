import type { FilmIndexSearchResponse } from '@cine/common';
import type { FilmIndexRepository } from './film-index.repository';

/** The films the owner may programme: any film of the IMDb files, found by a forgiving search. */
export class FilmIndexService {
  constructor(private readonly films: FilmIndexRepository) {}

  async search(query: string, limit: number): Promise<FilmIndexSearchResponse> {
    const rows = await this.films.search(query, limit);
    return {
      query,
      items: rows.map((r) => ({
        tconst: r.tconst,
        titleType: r.title_type,
        title: r.primary_title,
        originalTitle: r.original_title,
        frenchTitle: r.french_title,
        year: r.start_year,
        runtimeMinutes: r.runtime_minutes,
        genres: r.genres,
        averageRating: r.average_rating === null ? null : Math.round(r.average_rating * 10) / 10,
        numVotes: r.num_votes,
        inCatalogue: r.in_catalogue,
        rank: r.rank,
      })),
    };
  }
}
