import type { DbHandle } from '@cine/db';
import { sql } from 'kysely';

export interface FilmIndexRow {
  tconst: string;
  title_type: string;
  primary_title: string;
  original_title: string;
  french_title: string | null;
  start_year: number | null;
  runtime_minutes: number | null;
  genres: string[];
  average_rating: number | null;
  num_votes: number | null;
  in_catalogue: boolean;
  rank: 0 | 1 | 2;
  similarity: number;
}

/** The least word similarity of a similar title, and the fallback when nothing passes it (as the customers' search). */
const MIN_SIMILARITY = 0.5;
const FALLBACK_SIMILARITY = 0.4;
/** Shorter queries share trigrams with too many titles: only equal names are shown ("M", "Up"). */
const SIMILAR_MIN_CHARS = 3;
const WORDLESS = /^[^\p{L}\p{N}]*$/u;

/**
 * The programme editor's forgiving search over the film index (every film of the IMDb files):
 * case- and accent-insensitive through `search_norm`, typos through trigram word similarity on
 * `film_index.search_text` and, for the films the catalogue holds, on `title.search_text` (which
 * adds the French title; both through their GIN index), a leading article ignored on the query's side. Exact
 * names first, then names starting with the query, then similar ones; within each, by similarity
 * tenth, then votes. The similarity threshold is set for the transaction only.
 */
export class FilmIndexRepository {
  constructor(private readonly handle: DbHandle) {}

  async search(query: string, limit: number): Promise<FilmIndexRow[]> {
    if (WORDLESS.test(query)) return [];
    const onlyEqual = [...query.trim()].length < SIMILAR_MIN_CHARS;
    return this.handle.db.transaction().execute(async (trx) => {
      for (const threshold of onlyEqual ? [null] : [MIN_SIMILARITY, FALLBACK_SIMILARITY]) {
        if (threshold !== null) await sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(threshold)}, true)`.execute(trx);
        const core = sql`(SELECT coalesce(nullif(public.search_strip_article(public.search_norm(${query})), ''), public.search_norm(${query})))`;
        // Equal names still go through the trigram index (LIKE), then are checked line by line.
        const match = (names: ReturnType<typeof sql.ref>) =>
          onlyEqual
            ? sql`${names} LIKE '%' || ${core} || '%' AND ${core} = ANY (SELECT public.search_strip_article(l) FROM unnest(string_to_array(${names}, E'\n')) l)`
            : sql`${names} %> ${core}`;
        // A film is found by its IMDb names (the film index) or, when the catalogue holds it, by
        // the catalogue's names too, its French title among them: the owner types "Le Parrain".
        const { rows } = await sql<FilmIndexRow>`
          WITH hits AS (
            SELECT f.tconst FROM public.film_index f WHERE ${match(sql.ref('f.search_text'))}
            UNION
            SELECT t.tconst FROM public.title t WHERE ${match(sql.ref('t.search_text'))}
          )
          SELECT f.tconst, f.title_type, f.primary_title, f.original_title, t.french_title, f.start_year, f.runtime_minutes,
                 f.genres, f.average_rating, f.num_votes, t.tconst IS NOT NULL AS in_catalogue, m.rank, m.similarity
          FROM hits h
          JOIN public.film_index f ON f.tconst = h.tconst
          LEFT JOIN public.title t ON t.tconst = f.tconst
          CROSS JOIN LATERAL (SELECT coalesce(t.search_text, f.search_text) AS names) n
          CROSS JOIN LATERAL (
            SELECT CASE
                     WHEN ${core} = ANY (SELECT public.search_strip_article(l) FROM unnest(string_to_array(n.names, E'\n')) l) THEN 0
                     WHEN EXISTS (SELECT 1 FROM unnest(string_to_array(n.names, E'\n')) l WHERE starts_with(public.search_strip_article(l), ${core})) THEN 1
                     ELSE 2
                   END AS rank,
                   word_similarity(${core}, n.names)::float8 AS similarity
          ) m
          ORDER BY m.rank, round((m.similarity * 10)::numeric) DESC, f.num_votes DESC NULLS LAST, f.tconst
          LIMIT ${limit}`.execute(trx);
        if (rows.length > 0) return rows;
      }
      return [];
    });
  }
}
