import { type Kysely, sql } from 'kysely';

/**
 * The KPIs: one materialized view per KPI in schema `kpi`, plus two shared building blocks
 * (`film_rating`, `actor_career`). Each is refreshed after every import by the post-import hook
 * (the `refresh-kpis` job), so Grafana, the API and the report read precomputed rows: the people
 * KPIs aggregate every credit, far too slow to recompute on each panel load.
 *
 * The views read the public catalogue views (`title`, `credit`, …). An import swaps those with
 * CREATE OR REPLACE VIEW, which keeps their identity, so the KPI views survive every swap.
 *
 * Shared rules (documented in docs/kpis.md, applied identically by the tests' independent reader):
 * - a film is a title of type `movie`, a series is `tvSeries` or `tvMiniSeries`;
 * - a decade is floor(start_year / 10) * 10;
 * - a person's appearance is a distinct (person, title) pair among `actor`/`actress` credits;
 * - a budget or revenue under 1,000 USD is a placeholder in TMDB, treated as unknown (and counted).
 *
 * Never imports application code. Frozen once landed.
 */

/** The SELECT-only role Grafana connects as (given LOGIN and a password by ops, never here). */
const READER_ROLE = 'cine_kpi_reader';

/** IMDb's top list is 250 films long; ours too. */
const TOP_FILMS = 250;
/** The minimum-votes bar m of the weighted rating: the 90th percentile of votes among rated films. */
const MIN_VOTES_PERCENTILE = 0.9;
/** Below this budget or revenue (USD), a TMDB figure is a placeholder (1, 10, 100 …). */
const MONEY_FLOOR = 1000;
/** A group needs this many rated films before it can be recommended to the programmer. */
const HINT_MIN_FILMS = 10;
/** People listed per category (top actors) and per decade and category (top actors by decade). */
const TOP_PEOPLE = 50;
const TOP_PEOPLE_PER_DECADE = 10;

const decade = (column: string) => sql.raw(`((${column}) / 10) * 10`);

/** Each materialized view with the unique key that lets it refresh CONCURRENTLY (readers never wait). */
const VIEWS: Array<{ name: string; key: string[]; body: ReturnType<typeof sql> }> = [
  {
    name: 'catalogue_by_type',
    key: ['title_type'],
    body: sql`
      SELECT title_type,
             CASE WHEN title_type = 'movie' THEN 'film' ELSE 'series' END AS kind,
             count(*)::int AS titles,
             count(average_rating)::int AS rated,
             round(avg(average_rating::numeric), 2)::float8 AS mean_rating,
             coalesce(sum(num_votes), 0)::float8 AS votes
      FROM public.title
      GROUP BY title_type`,
  },
  {
    name: 'catalogue_by_genre',
    key: ['kind', 'genre'],
    body: sql`
      SELECT CASE WHEN t.title_type = 'movie' THEN 'film' ELSE 'series' END AS kind,
             g.genre,
             count(*)::int AS titles,
             round(avg(t.average_rating::numeric), 2)::float8 AS mean_rating
      FROM public.title t
      CROSS JOIN LATERAL unnest(CASE WHEN t.genres = '{}' THEN ARRAY['unknown'] ELSE t.genres END) AS g(genre)
      GROUP BY 1, 2`,
  },
  {
    name: 'catalogue_by_decade',
    key: ['kind', 'decade'],
    body: sql`
      SELECT CASE WHEN title_type = 'movie' THEN 'film' ELSE 'series' END AS kind,
             ${decade('start_year')}::int AS decade,
             count(*)::int AS titles,
             round(avg(average_rating::numeric), 2)::float8 AS mean_rating
      FROM public.title
      GROUP BY 1, 2`,
  },
  {
    name: 'runtime_by_year',
    key: ['year'],
    body: sql`
      SELECT start_year::int AS year,
             count(*)::int AS films,
             round(avg(runtime_minutes)::numeric, 2)::float8 AS mean_runtime,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY runtime_minutes)::float8 AS median_runtime
      FROM public.title
      WHERE title_type = 'movie' AND start_year IS NOT NULL AND runtime_minutes IS NOT NULL
      GROUP BY start_year`,
  },
  // One row per actor or actress: films, series and active period. Shared by the people KPIs.
  {
    name: 'actor_career',
    key: ['nconst'],
    body: sql`
      WITH appearance AS (
        SELECT DISTINCT c.nconst, c.tconst, c.category, t.title_type, t.start_year
        FROM public.credit c JOIN public.title t ON t.tconst = c.tconst
        WHERE c.category IN ('actor', 'actress')
      ),
      per_person AS (
        SELECT nconst,
               mode() WITHIN GROUP (ORDER BY category) AS category,
               count(DISTINCT tconst) FILTER (WHERE title_type = 'movie')::int AS films,
               count(DISTINCT tconst) FILTER (WHERE title_type <> 'movie')::int AS series,
               min(start_year) FILTER (WHERE title_type = 'movie')::int AS first_year,
               max(start_year) FILTER (WHERE title_type = 'movie')::int AS last_year
        FROM appearance GROUP BY nconst
      ),
      peak AS (
        SELECT DISTINCT ON (nconst) nconst, decade AS peak_decade, n AS peak_decade_films
        FROM (
          SELECT nconst, ${decade('start_year')}::int AS decade, count(DISTINCT tconst)::int AS n
          FROM appearance WHERE title_type = 'movie' AND start_year IS NOT NULL
          GROUP BY 1, 2
        ) d
        ORDER BY nconst, n DESC, decade
      )
      SELECT p.nconst, coalesce(n.primary_name, p.nconst) AS name, n.birth_year::int AS birth_year, p.category,
             p.films, p.series, p.first_year, p.last_year, k.peak_decade, k.peak_decade_films
      FROM per_person p
      LEFT JOIN public.person n ON n.nconst = p.nconst
      LEFT JOIN peak k ON k.nconst = p.nconst`,
  },
  {
    name: 'top_actors',
    key: ['category', 'rank'],
    body: sql`
      SELECT * FROM (
        SELECT category,
               row_number() OVER (PARTITION BY category ORDER BY films DESC, nconst)::int AS rank,
               nconst, name, films, series, first_year, last_year, peak_decade, peak_decade_films
        FROM kpi.actor_career WHERE films > 0
      ) ranked WHERE rank <= ${sql.lit(TOP_PEOPLE)}`,
  },
  {
    name: 'top_actors_by_decade',
    key: ['decade', 'category', 'rank'],
    body: sql`
      WITH per_decade AS (
        SELECT ${decade('t.start_year')}::int AS decade, a.category, c.nconst, count(DISTINCT c.tconst)::int AS films
        FROM public.credit c
        JOIN public.title t ON t.tconst = c.tconst
        JOIN kpi.actor_career a ON a.nconst = c.nconst
        WHERE c.category IN ('actor', 'actress') AND t.title_type = 'movie' AND t.start_year IS NOT NULL
        GROUP BY 1, 2, 3
      )
      SELECT r.decade, r.category, r.rank, r.nconst, a.name, r.films, a.films AS career_films, a.first_year, a.last_year
      FROM (
        SELECT *, row_number() OVER (PARTITION BY decade, category ORDER BY films DESC, nconst)::int AS rank FROM per_decade
      ) r
      JOIN kpi.actor_career a ON a.nconst = r.nconst
      WHERE r.rank <= ${sql.lit(TOP_PEOPLE_PER_DECADE)}`,
  },
  {
    name: 'actors_cinema_vs_series',
    key: ['segment'],
    body: sql`
      SELECT s.segment, s.sort, coalesce(c.people, 0)::int AS people,
             coalesce(round(100.0 * c.people / nullif(sum(c.people) OVER (), 0), 2), 0)::float8 AS share_pct
      FROM (VALUES ('films_only', 1), ('series_only', 2), ('both', 3)) AS s(segment, sort)
      LEFT JOIN (
        SELECT CASE WHEN films > 0 AND series > 0 THEN 'both' WHEN films > 0 THEN 'films_only' ELSE 'series_only' END AS segment,
               count(*) AS people
        FROM kpi.actor_career GROUP BY 1
      ) c ON c.segment = s.segment`,
  },
  {
    name: 'actors_in_both',
    key: ['rank'],
    body: sql`
      SELECT * FROM (
        SELECT row_number() OVER (ORDER BY least(films, series) DESC, films + series DESC, nconst)::int AS rank,
               nconst, name, category, films, series
        FROM kpi.actor_career WHERE films > 0 AND series > 0
      ) ranked WHERE rank <= ${sql.lit(TOP_PEOPLE)}`,
  },
  {
    name: 'actor_age_by_decade',
    key: ['decade', 'category'],
    body: sql`
      WITH appearance AS (
        SELECT DISTINCT c.nconst, c.tconst, c.category, t.start_year, p.birth_year
        FROM public.credit c
        JOIN public.title t ON t.tconst = c.tconst
        LEFT JOIN public.person p ON p.nconst = c.nconst
        WHERE c.category IN ('actor', 'actress') AND t.title_type = 'movie' AND t.start_year IS NOT NULL
      ),
      aged AS (
        SELECT *, CASE WHEN start_year - birth_year BETWEEN 0 AND 100 THEN start_year - birth_year END AS age FROM appearance
      )
      SELECT ${decade('start_year')}::int AS decade, category,
             count(*)::int AS appearances,
             count(age)::int AS with_age,
             round(avg(age)::numeric, 2)::float8 AS mean_age,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY age)::float8 AS median_age
      FROM aged GROUP BY 1, 2`,
  },
  // Every rated film with its IMDb-style weighted rating WR = v/(v+m)·R + m/(v+m)·C.
  {
    name: 'film_rating',
    key: ['tconst'],
    body: sql`
      WITH rated AS (
        SELECT tconst, coalesce(french_title, primary_title) AS title, primary_title, start_year::int AS start_year,
               runtime_minutes, genres, average_rating::numeric::float8 AS rating, num_votes
        FROM public.title
        WHERE title_type = 'movie' AND average_rating IS NOT NULL AND num_votes > 0
      ),
      params AS (
        SELECT avg(rating) AS c,
               percentile_disc(${sql.lit(MIN_VOTES_PERCENTILE)}) WITHIN GROUP (ORDER BY num_votes) AS m
        FROM rated
      ),
      scored AS (
        SELECT r.*, p.c AS mean_rating, p.m::int AS min_votes,
               (r.num_votes::float8 / (r.num_votes + p.m)) * r.rating + (p.m::float8 / (r.num_votes + p.m)) * p.c AS weighted_rating
        FROM rated r CROSS JOIN params p
      )
      SELECT s.*,
             CASE WHEN s.num_votes >= s.min_votes
                  THEN row_number() OVER (PARTITION BY s.num_votes >= s.min_votes ORDER BY s.weighted_rating DESC, s.num_votes DESC, s.tconst)
             END::int AS rank
      FROM scored s`,
  },
  {
    name: 'best_rated_films',
    key: ['rank'],
    body: sql`
      SELECT rank, tconst, title, primary_title, start_year AS year, genres,
             rating AS average_rating, num_votes, round(weighted_rating::numeric, 3)::float8 AS weighted_rating,
             min_votes, round(mean_rating::numeric, 3)::float8 AS mean_rating
      FROM kpi.film_rating WHERE rank <= ${sql.lit(TOP_FILMS)}`,
  },
  {
    name: 'best_rated_lift',
    key: ['dimension', 'value'],
    body: sql`
      WITH film AS (
        SELECT f.*, coalesce(f.rank <= ${sql.lit(TOP_FILMS)}, false) AS is_top, tm.production_countries, tm.original_language
        FROM kpi.film_rating f LEFT JOIN public.title_tmdb tm ON tm.imdb_id = f.tconst
      ),
      fact AS (
        SELECT tconst, is_top, 'genre' AS dimension, g AS value FROM film, unnest(genres) g
        UNION ALL
        SELECT tconst, is_top, 'decade', (${decade('start_year')})::text FROM film WHERE start_year IS NOT NULL
        UNION ALL
        SELECT tconst, is_top, 'runtime_band',
               CASE WHEN runtime_minutes < 90 THEN 'under_90' WHEN runtime_minutes < 120 THEN '90_119'
                    WHEN runtime_minutes < 150 THEN '120_149' ELSE '150_plus' END
        FROM film WHERE runtime_minutes IS NOT NULL
        UNION ALL
        SELECT tconst, is_top, 'country', c FROM film, unnest(production_countries) c
        UNION ALL
        SELECT tconst, is_top, 'language', original_language FROM film WHERE original_language IS NOT NULL
      ),
      total AS (
        SELECT dimension, count(DISTINCT tconst) FILTER (WHERE is_top) AS top_total, count(DISTINCT tconst) AS all_total
        FROM fact GROUP BY dimension
      ),
      grouped AS (
        SELECT dimension, value,
               count(DISTINCT tconst) FILTER (WHERE is_top) AS top_films, count(DISTINCT tconst) AS catalogue_films
        FROM fact GROUP BY dimension, value
      )
      SELECT g.dimension, g.value, g.top_films::int, g.catalogue_films::int,
             round(100.0 * g.top_films / nullif(t.top_total, 0), 2)::float8 AS top_share_pct,
             round(100.0 * g.catalogue_films / t.all_total, 2)::float8 AS catalogue_share_pct,
             round((g.top_films::numeric / nullif(t.top_total, 0)) / (g.catalogue_films::numeric / t.all_total), 3)::float8 AS lift
      FROM grouped g JOIN total t USING (dimension)`,
  },
  {
    name: 'money_by_genre',
    key: ['genre'],
    body: moneyBy(sql`g.genre`, 'genre'),
  },
  {
    name: 'money_by_decade',
    key: ['decade'],
    body: moneyBy(decade('f.start_year'), 'decade', sql`WHERE f.start_year IS NOT NULL`),
  },
  {
    name: 'france_vs_us',
    key: ['decade', 'country'],
    body: sql`
      WITH film AS (
        SELECT t.tconst, ${decade('t.start_year')}::int AS decade, t.average_rating::numeric AS rating,
               CASE WHEN tm.budget >= ${sql.lit(MONEY_FLOOR)} THEN tm.budget END AS budget, tm.production_countries
        FROM public.title t JOIN public.title_tmdb tm ON tm.imdb_id = t.tconst
        WHERE t.title_type = 'movie' AND t.start_year IS NOT NULL AND tm.production_countries <> '{}'
      ),
      per_decade AS (SELECT decade, count(*) AS films FROM film GROUP BY decade)
      SELECT d.decade, c.country, count(f.tconst)::int AS films,
             round(100.0 * count(f.tconst) / d.films, 2)::float8 AS share_pct,
             round(avg(f.rating), 2)::float8 AS mean_rating,
             count(f.budget)::int AS budget_known,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY f.budget)::float8 AS median_budget
      FROM per_decade d
      CROSS JOIN (VALUES ('FR'), ('US')) AS c(country)
      LEFT JOIN film f ON f.decade = d.decade AND c.country = ANY (f.production_countries)
      GROUP BY d.decade, d.films, c.country`,
  },
  {
    name: 'programming_hints',
    key: ['dimension', 'value'],
    body: sql`
      WITH overall AS (
        SELECT avg(weighted_rating) AS wr, percentile_cont(0.5) WITHIN GROUP (ORDER BY num_votes) AS votes FROM kpi.film_rating
      ),
      grp AS (
        SELECT 'decade' AS dimension, (${decade('start_year')})::text AS value, weighted_rating, num_votes FROM kpi.film_rating WHERE start_year IS NOT NULL
        UNION ALL
        SELECT 'genre', g, weighted_rating, num_votes FROM kpi.film_rating, unnest(genres) g
      ),
      stats AS (
        SELECT dimension, value, count(*) AS films, avg(weighted_rating) AS wr,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY num_votes) AS votes
        FROM grp GROUP BY dimension, value
      )
      SELECT s.dimension, s.value, s.films::int,
             round(s.wr::numeric, 3)::float8 AS mean_weighted_rating,
             round((s.wr - o.wr)::numeric, 3)::float8 AS rating_gap,
             s.votes::float8 AS median_votes,
             round((s.votes / o.votes)::numeric, 3)::float8 AS votes_ratio,
             -- 1 = the best of its dimension on both counts, 0 = the worst on both.
             round(((percent_rank() OVER (PARTITION BY s.dimension ORDER BY s.wr)
                   + percent_rank() OVER (PARTITION BY s.dimension ORDER BY s.votes)) / 2)::numeric, 3)::float8 AS score,
             (s.films >= ${sql.lit(HINT_MIN_FILMS)} AND s.wr > o.wr AND s.votes > o.votes) AS recommended
      FROM stats s CROSS JOIN overall o`,
  },
];

/** Money by one grouping: films with a TMDB row, known and unknown figures counted, medians of the known. */
function moneyBy(group: ReturnType<typeof sql>, column: string, where = sql``) {
  return sql`
    WITH film AS (
      SELECT t.tconst, t.start_year, t.genres,
             CASE WHEN tm.budget >= ${sql.lit(MONEY_FLOOR)} THEN tm.budget END::float8 AS budget,
             CASE WHEN tm.revenue >= ${sql.lit(MONEY_FLOOR)} THEN tm.revenue END::float8 AS revenue
      FROM public.title t JOIN public.title_tmdb tm ON tm.imdb_id = t.tconst
      WHERE t.title_type = 'movie'
    )
    SELECT ${group}::${sql.raw(column === 'decade' ? 'int' : 'text')} AS ${sql.id(column)},
           count(*)::int AS films,
           count(f.budget)::int AS budget_known,
           (count(*) - count(f.budget))::int AS budget_unknown,
           count(f.revenue)::int AS revenue_known,
           (count(*) - count(f.revenue))::int AS revenue_unknown,
           count(f.revenue / f.budget)::int AS roi_known,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY f.budget)::float8 AS median_budget,
           round(avg(f.budget)::numeric, 0)::float8 AS mean_budget,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY f.revenue)::float8 AS median_revenue,
           coalesce(sum(f.budget), 0)::float8 AS total_budget,
           coalesce(sum(f.revenue) FILTER (WHERE f.budget IS NOT NULL), 0)::float8 AS total_revenue_with_budget,
           round(percentile_cont(0.5) WITHIN GROUP (ORDER BY f.revenue / f.budget)::numeric, 3)::float8 AS median_roi
    FROM film f
    ${column === 'genre' ? sql`CROSS JOIN LATERAL unnest(CASE WHEN f.genres = '{}' THEN ARRAY['unknown'] ELSE f.genres END) AS g(genre)` : sql``}
    ${where}
    GROUP BY 1`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE SCHEMA kpi`.execute(db);
  for (const view of VIEWS) {
    await sql`CREATE MATERIALIZED VIEW ${sql.table(`kpi.${view.name}`)} AS ${view.body}`.execute(db);
    await sql`CREATE UNIQUE INDEX ON ${sql.table(`kpi.${view.name}`)} (${sql.join(view.key.map((k) => sql.id(k)))})`.execute(db);
  }
  await sql`CREATE INDEX ON kpi.film_rating (rank) WHERE rank IS NOT NULL`.execute(db);
  await sql`CREATE INDEX ON kpi.actor_career (films DESC)`.execute(db);

  // Roles belong to the whole cluster while every database runs this migration, some at the
  // same moment (tests): a role created by a concurrent migration is not an error.
  await sql
    .raw(
      `DO $$ BEGIN
         CREATE ROLE ${READER_ROLE} NOLOGIN;
       EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
       END $$`,
    )
    .execute(db);
  await sql.raw(`GRANT USAGE ON SCHEMA kpi TO ${READER_ROLE}`).execute(db);
  await sql.raw(`GRANT SELECT ON ALL TABLES IN SCHEMA kpi TO ${READER_ROLE}`).execute(db);
  await sql.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA kpi GRANT SELECT ON TABLES TO ${READER_ROLE}`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // The role stays: other databases of the cluster may still grant it.
  await sql.raw(`ALTER DEFAULT PRIVILEGES IN SCHEMA kpi REVOKE SELECT ON TABLES FROM ${READER_ROLE}`).execute(db);
  await sql`DROP SCHEMA IF EXISTS kpi CASCADE`.execute(db);
}
