import type { DbHandle } from '@cine/db';
import { sql } from 'kysely';

/** How many top-billed cast members a film carries. */
export const TOP_CAST = 10;

export interface FilmRow {
  tconst: string;
  title_type: string;
  primary_title: string;
  original_title: string;
  french_title: string | null;
  start_year: number | null;
  end_year: number | null;
  runtime_minutes: number | null;
  genres: string[];
  average_rating: number | null;
  num_votes: number;
  overview: string | null;
  poster_path: string | null;
  production_countries: string[] | null;
  original_language: string | null;
  budget: number | null;
  revenue: number | null;
  collection_name: string | null;
}

export interface CrewRow {
  tconst: string;
  role: 'director' | 'writer';
  nconst: string;
  name: string | null;
}

export interface CastRow {
  tconst: string;
  nconst: string;
  name: string | null;
  category: string;
  characters: string[] | null;
}

/** Reads films with their TMDB metadata, crew and cast: a batch at a time, three queries in all. */
export class FilmRepository {
  constructor(private readonly handle: DbHandle) {}

  async films(tconsts: readonly string[]): Promise<FilmRow[]> {
    if (tconsts.length === 0) return [];
    return this.handle.db
      .selectFrom('title as t')
      .leftJoin('title_tmdb as tm', 'tm.imdb_id', 't.tconst')
      .select([
        't.tconst',
        't.title_type',
        't.primary_title',
        't.original_title',
        't.french_title',
        't.start_year',
        't.end_year',
        't.runtime_minutes',
        't.genres',
        't.average_rating',
        't.num_votes',
        'tm.overview',
        'tm.poster_path',
        'tm.production_countries',
        'tm.original_language',
        'tm.budget',
        'tm.revenue',
        'tm.collection_name',
      ])
      .where('t.tconst', 'in', tconsts)
      .execute();
  }

  async crew(tconsts: readonly string[]): Promise<CrewRow[]> {
    if (tconsts.length === 0) return [];
    return this.handle.db
      .selectFrom('crew as c')
      .leftJoin('person as p', 'p.nconst', 'c.nconst')
      .select(['c.tconst', 'c.role', 'c.nconst', 'p.primary_name as name'])
      .where('c.tconst', 'in', tconsts)
      .orderBy('c.tconst')
      .orderBy('c.role')
      .orderBy('c.ordering')
      .execute();
  }

  async cast(tconsts: readonly string[]): Promise<CastRow[]> {
    if (tconsts.length === 0) return [];
    return this.handle.db
      .selectFrom('credit as c')
      .leftJoin('person as p', 'p.nconst', 'c.nconst')
      .select(['c.tconst', 'c.nconst', 'p.primary_name as name', 'c.category', 'c.characters'])
      .where('c.tconst', 'in', tconsts)
      .where('c.category', 'in', ['actor', 'actress', 'self'])
      .orderBy('c.tconst')
      .orderBy('c.ordering')
      .execute();
  }

  /**
   * Names the catalogue's state: changes when an IMDb import swaps schemas or any import (TMDB
   * included, which does not swap) succeeds. Cached details are valid while it stays the same.
   */
  async catalogueStamp(): Promise<string> {
    const { rows } = await sql<{ stamp: string }>`
      select concat_ws('/', s.active_schema, s.import_run_id, s.swapped_at,
                       (select max(id) from import_run where status = 'succeeded')) as stamp
      from catalogue_state s`.execute(this.handle.db);
    return rows[0]?.stamp ?? '';
  }
}
