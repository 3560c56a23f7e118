import { type Kysely, sql } from 'kysely';
// The KPI migration, not application code: as frozen as this one. Undoing this migration re-creates its views.

/**
 * Title search: one normalised search column per catalogue title, its indexes, and the search
 * function the gateway calls.
 *
 * `search_text` holds the distinct normalised titles (primary, original, French), one per line,
 * computed once when a row is written (COPY, then the French-title UPDATE of the import, which
 * recomputes it). Searching through `search_norm()` of each title column took six index probes and
 * ran `unaccent()` again on every candidate: 40–80 ms of database CPU per search.
 *
 * Two kinds of index serve `public.search_titles()`:
 * - one btree (text_pattern_ops) per name line, on the name without its leading article: exact
 *   and prefix matches are range scans, however many titles share a common word;
 * - one trigram GIN index on `search_text` for similar titles, probed narrow first (titles of a
 *   high similarity tenth), wider only while the page is not settled. Without fastupdate: the
 *   import's COPY left its rows in the pending list, which every probe then read through (8–11 ms
 *   per probe on the scale-0.1 catalogue after an import, 0.06 ms once merged).
 *
 * The function runs the whole search in one round trip (the gateway used four to eight: a
 * transaction for its transaction-local settings, and a second probe), with its own planner
 * settings, restored when it returns so they never leak to another query on a pooled connection.
 * The gateway owns the policy: result count, title types, thresholds.
 *
 * Never imports application code. Frozen once landed: a later change is a new migration.
 */
const CATALOGUE_SCHEMAS = ['catalogue_a', 'catalogue_b'] as const;

/** A leading article says nothing about which film is meant: "godfather" is "The Godfather", "parrain" is "Le Parrain". */
const LEADING_ARTICLE = "^((the|an?|les?|la|une?|des|der|die|das|el|los|las|il|lo) +|l')";

/** Every title has one to three names (primary, original, French): one line each in `search_text`. */
const NAME_LINES = [1, 2, 3] as const;

/** The n-th name without its article, as indexed; the function must spell it the same way for the planner to use the index. */
const nameLine = (n: number) => `public.search_strip_article(split_part(t.search_text, E'\\n', ${n}))`;

const SEARCH_FUNCTION = `
CREATE FUNCTION public.search_titles(
  query text, max_rows integer, types text[], only_equal boolean, min_similarity real, fallback_similarity real)
RETURNS TABLE (tconst text, rank integer, similarity double precision, num_votes integer)
LANGUAGE plpgsql STABLE
-- Without them a small catalogue is scanned row by row, and each call would be planned again; the
-- function's settings are restored when it returns.
SET enable_seqscan = off
SET plan_cache_mode = force_generic_plan
SET pg_trgm.word_similarity_threshold = 0.5
ROWS 20
AS $fn$
DECLARE
  norm text := public.search_norm(query);
  core text := coalesce(nullif(public.search_strip_article(norm), ''), norm);
  -- [core, core || chr(1)) holds core alone; [core, core || U+10FFFF) every name starting with it.
  upper_bound text := core || CASE WHEN only_equal THEN chr(1) ELSE chr(1114111) END;
  named text[] := '{}';
  hit record;
  found_rows integer := 0;
  tenth integer;
  settled integer;
  ids text[] := '{}';
  sims float8[] := '{}';
  votes integer[] := '{}';
BEGIN
  -- Exact (rank 0) and prefix (rank 1) matches, all of them: they come first.
  FOR hit IN
    SELECT t.tconst, t.title_type, t.num_votes, t.search_text,
           core IN (${NAME_LINES.map(nameLine).join(', ')}) AS exact
    FROM public.title t
    WHERE ${NAME_LINES.map((n) => `(${nameLine(n)} ~>=~ core AND ${nameLine(n)} ~<~ upper_bound)`).join('\n       OR ')}
  LOOP
    named := named || hit.tconst;
    CONTINUE WHEN NOT (hit.title_type = ANY (types));
    tconst := hit.tconst;
    rank := CASE WHEN hit.exact THEN 0 ELSE 1 END;
    similarity := word_similarity(core, hit.search_text);
    num_votes := hit.num_votes;
    RETURN NEXT;
    found_rows := found_rows + 1;
  END LOOP;
  IF only_equal OR found_rows >= max_rows THEN
    RETURN;
  END IF;
  -- Similar titles (rank 2). The caller orders them by similarity tenth, then votes. A probe at
  -- (t - 0.5) / 10 finds every title of tenth t or more, and none below: once those fill the page,
  -- no wider probe can change it. Narrow probes first, each cheap; the widest only when needed.
  FOREACH tenth IN ARRAY ARRAY[8, 7, 6, 0, -1] LOOP
    IF tenth = 0 THEN
      PERFORM set_config('pg_trgm.word_similarity_threshold', min_similarity::text, true);
    ELSIF tenth = -1 THEN
      -- The fallback threshold, only when nothing at all matched above the first.
      EXIT WHEN found_rows + cardinality(ids) > 0;
      PERFORM set_config('pg_trgm.word_similarity_threshold', fallback_similarity::text, true);
    ELSE
      CONTINUE WHEN (tenth - 0.5) / 10 < min_similarity;
      PERFORM set_config('pg_trgm.word_similarity_threshold', ((tenth - 0.5) / 10)::text, true);
    END IF;
    WITH alike AS MATERIALIZED (
      SELECT t.tconst, t.title_type, t.num_votes, t.search_text FROM public.title t WHERE t.search_text %> core
    ), scored AS (
      SELECT a.tconst, a.num_votes, word_similarity(core, a.search_text)::float8 AS sim
      FROM alike a WHERE a.title_type = ANY (types) AND NOT (a.tconst = ANY (named))
    )
    SELECT coalesce(array_agg(s.tconst), '{}'), coalesce(array_agg(s.sim), '{}'), coalesce(array_agg(s.num_votes), '{}'),
           count(*) FILTER (WHERE round((s.sim * 10)::numeric) >= tenth)
    INTO ids, sims, votes, settled
    FROM scored s;
    EXIT WHEN tenth > 0 AND found_rows + settled >= max_rows;
    EXIT WHEN tenth = 0 AND found_rows + cardinality(ids) > 0;
  END LOOP;
  RETURN QUERY SELECT u.id, 2, u.sim, u.v FROM unnest(ids, sims, votes) AS u(id, sim, v);
END
$fn$`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION public.search_strip_article(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT regexp_replace($1, ${sql.lit(LEADING_ARTICLE)}, '') $$`.execute(db);
  for (const schema of CATALOGUE_SCHEMAS) {
    const title = sql.table(`${schema}.title`);
    await sql`
      ALTER TABLE ${title} ADD COLUMN search_text text NOT NULL GENERATED ALWAYS AS (
        public.search_norm(primary_title)
        || CASE WHEN public.search_norm(original_title) <> public.search_norm(primary_title)
                THEN E'\n' || public.search_norm(original_title) ELSE '' END
        || CASE WHEN french_title IS NOT NULL
                 AND public.search_norm(french_title) <> public.search_norm(primary_title)
                 AND public.search_norm(french_title) <> public.search_norm(original_title)
                THEN E'\n' || public.search_norm(french_title) ELSE '' END
      ) STORED`.execute(db);
    // fastupdate off: the pending list an import's COPY left made every probe read through it (8–11 ms, 0.06 ms once merged).
    await sql`CREATE INDEX title_search_text_trgm ON ${title} USING gin (search_text public.gin_trgm_ops) WITH (fastupdate = off)`.execute(db);
    for (const n of NAME_LINES) {
      const expression = sql.raw(nameLine(n).replace('t.search_text', 'search_text'));
      await sql`CREATE INDEX ${sql.id(`title_search_name_${n}`)} ON ${title} (${expression} text_pattern_ops)`.execute(db);
    }
    // The three per-title expression indexes only served the old search: every import paid for them.
    const { rows } = await sql<{ indexname: string }>`
      SELECT indexname FROM pg_indexes
      WHERE schemaname = ${schema} AND tablename = 'title' AND indexdef LIKE '%search_norm(%' AND indexdef NOT LIKE '%search_text%'`.execute(db);
    for (const { indexname } of rows) await sql`DROP INDEX ${sql.table(`${schema}.${indexname}`)}`.execute(db);
  }
  // The view's column list was fixed when it was created: re-create it over the active schema so it
  // exposes the new column (appended last, which CREATE OR REPLACE VIEW allows under dependent views).
  await sql`CREATE OR REPLACE VIEW public.title AS SELECT * FROM ${sql.table(`${await activeSchema(db)}.title`)}`.execute(db);
  await sql.raw(SEARCH_FUNCTION).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // A view cannot lose a column in place, and the KPI views pin public.title: they are set aside
  // (their definitions, indexes and privileges as the catalog holds them), dropped, and re-created
  // from that record once public.title is back, so they come back exactly as they were, populated.
  // Any other view on public.title would be lost: refuse rather than drop it. (A migration imports
  // no other migration: the KPI migration's code is not called.)
  const { rows: others } = await sql<{ name: string }>`
    SELECT DISTINCT n.nspname || '.' || c.relname AS name
    FROM pg_depend d
    JOIN pg_rewrite w ON w.oid = d.objid
    JOIN pg_class c ON c.oid = w.ev_class
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
      AND d.refobjid = 'public.title'::regclass AND c.oid <> 'public.title'::regclass AND n.nspname <> 'kpi'`.execute(db);
  if (others.length > 0) {
    throw new Error(`cannot undo ${'20261125110000_search'}: views other than the KPIs read public.title (${others.map((o) => o.name).join(', ')}); drop them first`);
  }
  const titleAcl = await aclOf(db, 'public.title');
  const kpiViews = await setAsideKpiViews(db);
  await sql`DROP FUNCTION public.search_titles(text, integer, text[], boolean, real, real)`.execute(db);
  await sql`DROP VIEW public.title`.execute(db);
  for (const schema of CATALOGUE_SCHEMAS) {
    const title = sql.table(`${schema}.title`);
    // Drops the search indexes with it.
    await sql`ALTER TABLE ${title} DROP COLUMN search_text`.execute(db);
    await sql`CREATE INDEX ON ${title} USING gin (public.search_norm(primary_title) public.gin_trgm_ops)`.execute(db);
    await sql`CREATE INDEX ON ${title} USING gin (public.search_norm(original_title) public.gin_trgm_ops)`.execute(db);
    await sql`CREATE INDEX ON ${title} USING gin (public.search_norm(french_title) public.gin_trgm_ops)`.execute(db);
  }
  await sql`DROP FUNCTION public.search_strip_article(text)`.execute(db);
  await sql`CREATE VIEW public.title AS SELECT * FROM ${sql.table(`${await activeSchema(db)}.title`)}`.execute(db);
  await restoreAcl(db, 'public.title', titleAcl);
  await restoreKpiViews(db, kpiViews);
}

interface SavedView {
  name: string;
  definition: string;
  indexes: string[];
  acl: AclEntry[] | null;
}

/** The KPI materialized views as the catalog describes them, in creation order; then dropped. */
async function setAsideKpiViews(db: Kysely<any>): Promise<SavedView[]> {
  const { rows } = await sql<{ name: string; definition: string }>`
    SELECT c.relname AS name, pg_get_viewdef(c.oid) AS definition
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'kpi' AND c.relkind = 'm' ORDER BY c.oid`.execute(db);
  const saved: SavedView[] = [];
  for (const row of rows) {
    const { rows: indexes } = await sql<{ def: string }>`
      SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'kpi' AND tablename = ${row.name} ORDER BY indexname`.execute(db);
    saved.push({ name: row.name, definition: row.definition, indexes: indexes.map((i) => i.def), acl: await aclOf(db, `kpi.${row.name}`) });
  }
  // Later views read earlier ones: drop from the last created.
  for (const view of [...saved].reverse()) await sql`DROP MATERIALIZED VIEW ${sql.table(`kpi.${view.name}`)}`.execute(db);
  return saved;
}

async function restoreKpiViews(db: Kysely<any>, views: SavedView[]): Promise<void> {
  for (const view of views) {
    await sql`CREATE MATERIALIZED VIEW ${sql.table(`kpi.${view.name}`)} AS ${sql.raw(view.definition.replace(/;\s*$/, ''))}`.execute(db);
    for (const index of view.indexes) await sql.raw(index).execute(db);
    await restoreAcl(db, `kpi.${view.name}`, view.acl);
  }
}

async function activeSchema(db: Kysely<any>): Promise<string> {
  const { rows } = await sql<{ active_schema: string }>`SELECT active_schema FROM catalogue_state`.execute(db);
  return rows[0]?.active_schema ?? 'catalogue_a';
}

interface AclEntry {
  grantee: string | null;
  privilege: string;
  grantable: boolean;
}

/** A relation's privileges granted to others than its owner (null: never granted nor revoked). */
async function aclOf(db: Kysely<any>, relation: string): Promise<AclEntry[] | null> {
  const { rows } = await sql<{ granted: boolean; grantee: string | null; privilege: string | null; grantable: boolean | null }>`
    SELECT c.relacl IS NOT NULL AS granted,
           (SELECT r.rolname FROM pg_roles r WHERE r.oid = a.grantee) AS grantee,
           a.privilege_type AS privilege, a.is_grantable AS grantable
    FROM pg_class c
    LEFT JOIN LATERAL aclexplode(c.relacl) a ON a.grantee <> c.relowner
    WHERE c.oid = ${relation}::regclass`.execute(db);
  if (!rows[0]?.granted) return null;
  return rows.filter((r) => r.privilege !== null).map((r) => ({ grantee: r.grantee, privilege: r.privilege!, grantable: r.grantable ?? false }));
}

/** Give a re-created relation the privileges it had (PUBLIC when the grantee is null). */
async function restoreAcl(db: Kysely<any>, relation: string, acl: AclEntry[] | null): Promise<void> {
  if (acl === null) return;
  for (const e of acl) {
    const grantee = e.grantee === null ? sql.raw('PUBLIC') : sql.id(e.grantee);
    await sql`GRANT ${sql.raw(e.privilege)} ON ${sql.table(relation)} TO ${grantee} ${sql.raw(e.grantable ? 'WITH GRANT OPTION' : '')}`.execute(db);
  }
}
