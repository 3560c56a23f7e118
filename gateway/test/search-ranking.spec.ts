import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { sql } from 'kysely';
import { SearchRepository, type TitleKind } from '../src/films/search.repository';
import { deadline } from '@cine/common/testing';

/**
 * The search function reads exact and prefix matches through btree ranges and similar titles
 * through narrow-then-wider trigram probes, stopping once the page is settled. Whatever it skips,
 * the page must be the one a plain reading of the rules gives: every title compared (no index),
 * exact, then prefix, then similar (word similarity ≥ 0.5, or ≥ 0.4 when nothing else matched),
 * each by similarity tenth, then votes.
 */
const WORDS = ['the', 'night', 'nights', 'family', 'familia', 'silent', 'river', 'rivers', 'city', 'winter', 'storm', 'game', 'of', 'a', 'in', 'le', 'destin', 'amelie', 'dark', 'station'];
const TYPES = ['movie', 'movie', 'movie', 'tvSeries', 'tvMiniSeries', 'tvEpisode'];

/** A deterministic catalogue from a small vocabulary: many titles share words, so similarity tenths are crowded. */
function catalogue(n: number) {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const title = () => {
    const words = Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(WORDS));
    const text = words.join(' ');
    return next() < 0.3 ? text.toUpperCase() : text.replace(/amelie/, 'Amélie');
  };
  return Array.from({ length: n }, (_, i) => ({
    tconst: `tt${String(i + 1).padStart(7, '0')}`,
    type: pick(TYPES),
    primary: title(),
    original: next() < 0.3 ? title() : null,
    french: next() < 0.3 ? title() : null,
    // Equal votes too: the last tie-break is the tconst.
    votes: Math.floor(next() * 50) * 100,
  }));
}

const QUERIES = [
  'night', 'the night', 'nigth', 'family', 'silent family', 'famly', 'sielnt', 'river city', 'rivers of',
  'le destin', 'amelie', 'AMÉLIE', 'dark storm game', 'storm', 'wintr', 'a', 'of', 'in', 'the', 'zzzz', 'statoin',
  'city of the dark', 'game of the night',
];

async function reference(t: TestDatabase, q: string, limit: number, types: readonly string[]) {
  const onlyEqual = [...q.trim()].length < 3;
  const { rows } = await sql<{ tconst: string; rank: number }>`
    with q as (
      select coalesce(nullif(public.search_strip_article(public.search_norm(${q})), ''), public.search_norm(${q})) as core
    ),
    graded as (
      select t.tconst, t.num_votes,
             (select min(case when public.search_strip_article(line) = q.core then 0
                              when starts_with(public.search_strip_article(line), q.core) then 1 else 2 end)
              from unnest(string_to_array(t.search_text, E'\n')) as line) as rank,
             word_similarity(q.core, t.search_text)::float8 as similarity
      from public.title t, q
      where t.title_type = any (${types}::text[])
    ),
    kept as (
      select * from graded
      where rank = 0 or (not ${onlyEqual} and (rank = 1 or similarity >= 0.5))
    ),
    wider as (
      select * from graded
      where not ${onlyEqual} and not exists (select 1 from kept) and similarity >= 0.4
    )
    select tconst, rank from (select * from kept union all select * from wider) hit
    order by rank, round((similarity * 10)::numeric) desc, num_votes desc, tconst
    limit ${limit}`.execute(t.handle.db);
  return rows;
}

describe('title search ranking, against every title compared', () => {
  let t: TestDatabase;
  let search: SearchRepository;
  beforeAll(async () => {
    t = await createTestDatabase();
    search = new SearchRepository(t.handle);
    for (const c of catalogue(1500)) {
      await sql`insert into catalogue_a.title (tconst, title_type, primary_title, original_title, french_title, is_adult, num_votes)
                values (${c.tconst}, ${c.type}, ${c.primary}, ${c.original ?? c.primary}, ${c.french}, false, ${c.votes})`.execute(t.handle.db);
    }
    await sql`analyze catalogue_a.title`.execute(t.handle.db);
  }, deadline(120_000));
  afterAll(async () => {
    await t?.drop();
  });

  const kinds: Array<[TitleKind, string[]]> = [
    ['all', ['movie', 'tvSeries', 'tvMiniSeries']],
    ['movie', ['movie']],
    ['series', ['tvSeries', 'tvMiniSeries']],
  ];

  it.each(kinds)('gives the reference page for every query (%s)', async (kind, types) => {
    let similarPages = 0;
    for (const q of QUERIES) {
      for (const limit of [1, 10, 50]) {
        const got = (await search.search(q, limit, kind)).map((r) => ({ tconst: r.tconst, rank: r.rank }));
        expect({ q, limit, page: got }).toEqual({ q, limit, page: await reference(t, q, limit, types) });
        if (got.some((r) => r.rank === 2)) similarPages++;
      }
    }
    // The queries exercise the similar titles, not only exact and prefix matches.
    expect(similarPages).toBeGreaterThan(10);
  }, deadline(120_000));

  it('leaves no setting behind on the pooled connections', async () => {
    for (let i = 0; i < 8; i++) await search.search('silent family', 10, 'all');
    const settings = await Promise.all(
      Array.from({ length: 4 }, () =>
        sql<{ seqscan: string; threshold: string; plans: string }>`
          select current_setting('enable_seqscan') as seqscan,
                 coalesce(current_setting('pg_trgm.word_similarity_threshold', true), '0.6') as threshold,
                 current_setting('plan_cache_mode') as plans`.execute(t.handle.db),
      ),
    );
    for (const { rows } of settings) expect(rows[0]).toEqual({ seqscan: 'on', threshold: '0.6', plans: 'auto' });
  });
});
