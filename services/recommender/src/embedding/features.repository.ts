import type { DbHandle } from '@cine/db';
import { type RawBuilder, sql } from 'kysely';
import type { FilmRow, PersonLink } from './film-row';

/** How many billed actors count as the film's cast: the leads carry the audience's memory. */
export const TOP_CAST = 5;

/** A film as the build reads it: the catalogue row completed by TMDB (aliases `t` and `tm`). */
const FILM_COLUMNS = sql`
  t.tconst, t.primary_title AS title, t.start_year AS year,
  coalesce(t.runtime_minutes, tm.runtime) AS runtime, t.genres,
  coalesce(t.average_rating, tm.vote_average) AS rating,
  greatest(t.num_votes, coalesce(tm.vote_count, 0)) AS votes,
  tm.original_language AS language, coalesce(tm.production_countries, '{}') AS countries,
  tm.overview, tm.collection_name AS collection, coalesce(tm.genres, '{}') AS "tmdbGenres",
  coalesce(tm.production_companies, '{}') AS companies`;

function filmRow(r: FilmRow): FilmRow {
  return { ...r, votes: Number(r.votes ?? 0), rating: r.rating === null ? null : Number(r.rating) };
}

/** Films per read: a page of the catalogue costs the embedded database tens of milliseconds. */
const FILM_PAGE = 4000;

/**
 * Reads what the embeddings are learned from: the films of the catalogue (title_type 'movie';
 * series are never recommended) with their TMDB complement and their people.
 */
export class FeatureRepository {
  constructor(private readonly handle: DbHandle) {}

  /**
   * The films, read in pages of `FILM_PAGE` by tconst: on the embedded PGlite a query runs on
   * the caller's thread, so one 40 000-film read would hold the event loop for its whole length.
   */
  async films(): Promise<FilmRow[]> {
    const out: FilmRow[] = [];
    for (let after = ''; ; ) {
      const page = await this.filmsAfter(after, FILM_PAGE);
      for (const r of page) out.push(r);
      if (page.length < FILM_PAGE) return out;
      after = page[page.length - 1]!.tconst;
    }
  }

  async filmsAfter(after: string, limit: number): Promise<FilmRow[]> {
    const { rows } = await sql<FilmRow>`
      SELECT ${FILM_COLUMNS}
      FROM title t LEFT JOIN title_tmdb tm ON tm.imdb_id = t.tconst
      WHERE t.title_type = 'movie' AND NOT t.is_adult AND t.tconst > ${after}
      ORDER BY t.tconst
      LIMIT ${limit}`.execute(this.handle.db);
    return rows.map(filmRow);
  }

  /**
   * Titles of any type (series included, adult ones excepted) with their people, as the build
   * reads films: what the encoder needs to embed titles outside the index.
   */
  async titlesWithPeople(tconsts: readonly string[]): Promise<{ film: FilmRow; people: PersonLink[] }[]> {
    if (tconsts.length === 0) return [];
    const ids = [...new Set(tconsts)];
    const { rows } = await sql<FilmRow>`
      SELECT ${FILM_COLUMNS}
      FROM title t LEFT JOIN title_tmdb tm ON tm.imdb_id = t.tconst
      WHERE t.tconst = ANY(${ids}::text[]) AND NOT t.is_adult
      ORDER BY t.tconst`.execute(this.handle.db);
    if (rows.length === 0) return [];
    const people = await this.peopleWhere(sql`c.tconst = ANY(${ids}::text[])`, false);
    const byTitle = new Map<string, PersonLink[]>();
    for (const p of people) {
      let list = byTitle.get(p.tconst);
      if (!list) byTitle.set(p.tconst, (list = []));
      list.push(p);
    }
    return rows.map((r) => ({ film: filmRow(r), people: byTitle.get(r.tconst) ?? [] }));
  }

  /** Directors and writers (crew, completed by the principals) and the top-billed cast of films, by tconst range. */
  async people(): Promise<PersonLink[]> {
    const { rows: bounds } = await sql<{ tconst: string }>`
      SELECT tconst FROM (
        SELECT tconst, row_number() OVER (ORDER BY tconst) AS n FROM title WHERE title_type = 'movie'
      ) t WHERE n % ${FILM_PAGE} = 0 ORDER BY tconst`.execute(this.handle.db);
    const out: PersonLink[] = [];
    let from = '';
    for (const upTo of [...bounds.map((b) => b.tconst), null]) {
      for (const r of await this.peopleBetween(from, upTo)) out.push(r);
      if (upTo !== null) from = upTo;
    }
    return out;
  }

  /** People of the films with from < tconst ≤ upTo (no upper bound when upTo is null). */
  async peopleBetween(from: string, upTo: string | null): Promise<PersonLink[]> {
    return this.peopleWhere(sql`c.tconst > ${from} AND (${upTo}::text IS NULL OR c.tconst <= ${upTo})`, true);
  }

  /**
   * Directors and writers (crew, completed by the principals) and the top-billed cast of the
   * titles whose `c.tconst` matches `match`; films only when `moviesOnly`.
   */
  private async peopleWhere(match: RawBuilder<unknown>, moviesOnly: boolean): Promise<PersonLink[]> {
    const movies = moviesOnly ? sql`JOIN title t ON t.tconst = c.tconst AND t.title_type = 'movie'` : sql``;
    const { rows } = await sql<PersonLink>`
      SELECT c.tconst, c.nconst, c.role, min(c.ordering)::int AS ordering FROM (
        SELECT tconst, nconst, role, ordering FROM crew
        UNION ALL
        SELECT tconst, nconst, category AS role, ordering FROM credit WHERE category IN ('director', 'writer')
      ) c ${movies}
      WHERE ${match}
      GROUP BY c.tconst, c.nconst, c.role
      UNION ALL
      SELECT tconst, nconst, 'cast' AS role, ordering FROM (
        SELECT c.tconst, c.nconst, c.ordering,
               row_number() OVER (PARTITION BY c.tconst ORDER BY c.ordering) AS rank
        FROM credit c ${movies}
        WHERE c.category IN ('actor', 'actress', 'self') AND ${match}
      ) ranked WHERE rank <= ${TOP_CAST}`.execute(this.handle.db);
    return rows;
  }

  /** Whether the catalogue holds any film the build would read. */
  async hasFilms(): Promise<boolean> {
    const row = await this.handle.db
      .selectFrom('title')
      .select('tconst')
      .where('title_type', '=', 'movie')
      .where('is_adult', '=', false)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The import run the serving catalogue came from, to tag a version. */
  async importRunId(): Promise<number | null> {
    const row = await this.handle.db.selectFrom('catalogue_state').select('import_run_id').executeTakeFirst();
    return row?.import_run_id ?? null;
  }
}
