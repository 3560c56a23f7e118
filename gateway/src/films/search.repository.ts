import type { DbHandle } from '@cine/db';
import { type RawBuilder, sql } from 'kysely';

export type TitleKind = 'movie' | 'series' | 'all';

const TITLE_TYPES: Record<TitleKind, readonly string[]> = {
  movie: ['movie'],
  series: ['tvSeries', 'tvMiniSeries'],
  all: ['movie', 'tvSeries', 'tvMiniSeries'],
};

/**
 * A leading article says nothing about which film is meant: "godfather" is "The Godfather",
 * "parrain" is "Le Parrain". Exact and prefix matches compare titles without it.
 */
const LEADING_ARTICLE = "^((the|an?|les?|la|une?|des|der|die|das|el|los|las|il|lo) +|l')";

/**
 * Below this many characters a word-similarity probe (`<%`) matches a large share of the
 * catalogue ("the", "a"): short queries use whole-title similarity and equality only.
 */
const WORD_PROBE_MIN_CHARS = 4;
/**
 * Above pg_trgm's defaults (0.3, 0.6): the index then discards more candidates before the costly
 * recheck, and a typo still passes ("godfater" is 0.67 from "godfather").
 */
const SIMILARITY_THRESHOLD = 0.4;
const WORD_SIMILARITY_THRESHOLD = 0.7;
/** One or two characters are similar to thousands of titles: only equal titles are worth showing. */
const SIMILARITY_MIN_CHARS = 3;

export interface SearchRow {
  tconst: string;
  title_type: string;
  primary_title: string;
  original_title: string;
  french_title: string | null;
  start_year: number | null;
  genres: string[];
  average_rating: number | null;
  num_votes: number;
  poster_path: string | null;
  /** 0 exact, 1 prefix, 2 similar. */
  rank: number;
  similarity: number;
}

/**
 * Fuzzy title search over the primary, original and French titles, all compared through
 * `search_norm()` (lower-cased, unaccented) so the pg_trgm GIN indexes of the first migration
 * serve the `%` (similarity) and `<%` (word similarity) probes. Settings are transaction-local
 * (`set_config(…, true)`), so they never leak to another query on a pooled connection.
 */
export class SearchRepository {
  constructor(private readonly handle: DbHandle) {}

  async search(query: string, limit: number, kind: TitleKind): Promise<SearchRow[]> {
    const q = sql<string>`public.search_norm(${query})`;
    const core = sql<string>`coalesce(nullif(regexp_replace(public.search_norm(${query}), ${LEADING_ARTICLE}, ''), ''), public.search_norm(${query}))`;
    const norm = (column: string) => sql<string>`public.search_norm(${sql.ref(`t.${column}`)})`;
    const columns = ['primary_title', 'original_title', 'french_title'];

    // Probing with the article-free query keeps "the godf" from matching every title with "the".
    const length = query.trim().length;
    const probes: RawBuilder<unknown>[] = [];
    if (length >= SIMILARITY_MIN_CHARS) probes.push(...columns.map((c) => sql`${norm(c)} % ${core}`));
    if (length >= WORD_PROBE_MIN_CHARS) probes.push(...columns.map((c) => sql`${core} <% ${norm(c)}`));
    // A very short title ("M", "Up", "Ran") has too few trigrams to be similar to anything: match it whole.
    else probes.push(...columns.map((c) => sql`${norm(c)} = ${core}`));
    // One probe per statement: a bitmap recheck then evaluates one condition per candidate, where
    // an OR of six would normalise each candidate's titles up to six times.
    const hits = sql.join(
      probes.map((probe) => sql`select t.tconst from public.title t where ${probe}`),
      sql` union `,
    );

    const types = TITLE_TYPES[kind];
    const statement = sql<SearchRow>`
      select t.tconst, t.title_type, t.primary_title, t.original_title, t.french_title, t.start_year,
             t.genres, t.average_rating, t.num_votes, tm.poster_path, m.rank, m.similarity
      from (${hits}) hit
      join public.title t on t.tconst = hit.tconst
      cross join lateral (
        select case
                 when ${core} in (n.p, n.o, n.f) then 0
                 when left(n.p, length(${core})) = ${core} or left(n.o, length(${core})) = ${core}
                   or left(n.f, length(${core})) = ${core} then 1
                 else 2
               end as rank,
               greatest(similarity(n.p, ${core}), similarity(n.o, ${core}), coalesce(similarity(n.f, ${core}), 0),
                        word_similarity(${core}, n.p), word_similarity(${core}, n.o), coalesce(word_similarity(${core}, n.f), 0))::float8 as similarity
        from (
          select regexp_replace(public.search_norm(t.primary_title), ${LEADING_ARTICLE}, '') as p,
                 regexp_replace(public.search_norm(t.original_title), ${LEADING_ARTICLE}, '') as o,
                 regexp_replace(public.search_norm(t.french_title), ${LEADING_ARTICLE}, '') as f
        ) n
      ) m
      left join public.title_tmdb tm on tm.imdb_id = t.tconst
      where t.title_type in (${sql.join(types)})
      order by m.rank, round((m.similarity * 10)::numeric) desc, t.num_votes desc, t.tconst
      limit ${limit}`;
    // The planner prices search_norm() (unaccent) like a cheap operator and scans a small
    // catalogue row by row, normalising every title several times; the trigram indexes are
    // what keeps a query in milliseconds, whatever the catalogue's size.
    const result = await this.handle.db.transaction().execute(async (trx) => {
      await sql`select set_config('enable_seqscan', 'off', true), set_config('pg_trgm.similarity_threshold', ${String(SIMILARITY_THRESHOLD)}, true),
                       set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY_THRESHOLD)}, true)`.execute(trx);
      return statement.execute(trx);
    });
    return result.rows;
  }
}
