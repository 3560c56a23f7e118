import type { FixtureCatalogue, FixtureTitle } from './kpi-fixtures.reader';

/**
 * Each KPI computed in plain TypeScript from the fixture files, following the rules documented in
 * docs/kpis.md (not the SQL): what the views must agree with.
 */

export const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
export const decadeOf = (year: number | null) => (year === null ? null : Math.floor(year / 10) * 10);
const countBy = <K>(keys: K[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>());
function group<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k) ?? [];
    list.push(item);
    out.set(k, list);
  }
  return out;
}

export const TOP_FILMS = 250;
export const MONEY_FLOOR = 1000;

export function expectedKpis(cat: FixtureCatalogue) {
  const titles = [...cat.titles.values()];
  const films = titles.filter((t) => t.kind === 'film');

  // --- catalogue
  const byType = [...group(titles, (t) => t.type)].map(([type, ts]) => ({
    title_type: type,
    titles: ts.length,
    rated: ts.filter((t) => t.rating !== null).length,
    mean_rating: mean(ts.flatMap((t) => (t.rating === null ? [] : [t.rating]))),
    votes: ts.reduce((s, t) => s + t.votes, 0),
  }));
  const genreRows = titles.flatMap((t) => (t.genres.length ? t.genres : ['unknown']).map((g) => ({ key: `${t.kind}|${g}`, t })));
  const byGenre = [...group(genreRows, (r) => r.key)].map(([key, rs]) => ({
    key,
    titles: rs.length,
    mean_rating: mean(rs.flatMap((r) => (r.t.rating === null ? [] : [r.t.rating]))),
  }));
  const byDecade = [...group(titles, (t) => `${t.kind}|${decadeOf(t.startYear)}`)].map(([key, ts]) => ({ key, titles: ts.length }));
  const runtime = [...group(films.filter((f) => f.startYear !== null && f.runtime !== null), (f) => String(f.startYear))].map(([year, fs]) => ({
    year: Number(year),
    films: fs.length,
    mean_runtime: mean(fs.map((f) => f.runtime!)),
    median_runtime: median(fs.map((f) => f.runtime!)),
  }));

  // --- people: distinct (person, title, category) appearances as actor or actress
  const seen = new Set<string>();
  const appearances: Array<{ nconst: string; category: string; t: FixtureTitle }> = [];
  for (const c of cat.credits) {
    if (c.category !== 'actor' && c.category !== 'actress') continue;
    const key = `${c.nconst}|${c.tconst}|${c.category}`;
    if (seen.has(key)) continue;
    seen.add(key);
    appearances.push({ nconst: c.nconst, category: c.category, t: cat.titles.get(c.tconst)! });
  }
  const careers = new Map<
    string,
    { nconst: string; name: string; category: string; films: number; series: number; first_year: number | null; last_year: number | null; peak_decade: number | null; peak_decade_films: number | null }
  >();
  for (const [nconst, as] of group(appearances, (a) => a.nconst)) {
    const perCategory = countBy(as.map((a) => a.category));
    // The most frequent category; a tie goes to the first alphabetically (actor).
    const category = [...perCategory].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]![0];
    const filmIds = new Set(as.filter((a) => a.t.kind === 'film').map((a) => a.t.tconst));
    const seriesIds = new Set(as.filter((a) => a.t.kind === 'series').map((a) => a.t.tconst));
    const filmTitles = [...filmIds].map((id) => cat.titles.get(id)!);
    const years = filmTitles.flatMap((t) => (t.startYear === null ? [] : [t.startYear]));
    const perDecade = countBy(filmTitles.flatMap((t) => (t.startYear === null ? [] : [decadeOf(t.startYear)!])));
    const peak = [...perDecade].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0];
    careers.set(nconst, {
      nconst,
      name: cat.people.get(nconst)?.name ?? nconst,
      category,
      films: filmIds.size,
      series: seriesIds.size,
      first_year: years.length ? Math.min(...years) : null,
      last_year: years.length ? Math.max(...years) : null,
      peak_decade: peak?.[0] ?? null,
      peak_decade_films: peak?.[1] ?? null,
    });
  }
  const perDecadeFilms = new Map<string, Set<string>>();
  for (const a of appearances) {
    if (a.t.kind !== 'film' || a.t.startYear === null) continue;
    const key = `${decadeOf(a.t.startYear)}|${careers.get(a.nconst)!.category}|${a.nconst}`;
    perDecadeFilms.set(key, (perDecadeFilms.get(key) ?? new Set()).add(a.t.tconst));
  }
  const segments = countBy([...careers.values()].map((c) => (c.films > 0 && c.series > 0 ? 'both' : c.films > 0 ? 'films_only' : 'series_only')));
  const ages = [...group(appearances.filter((a) => a.t.kind === 'film' && a.t.startYear !== null), (a) => `${decadeOf(a.t.startYear)}|${a.category}`)].map(
    ([key, as]) => {
      const known = as.flatMap((a) => {
        const birth = cat.people.get(a.nconst)?.birthYear ?? null;
        const age = birth === null ? null : a.t.startYear! - birth;
        return age !== null && age >= 0 && age <= 100 ? [age] : [];
      });
      return { key, appearances: as.length, with_age: known.length, mean_age: mean(known), median_age: median(known) };
    },
  );

  // --- weighted rating
  const rated = films.filter((f) => f.rating !== null && f.votes > 0);
  const C = mean(rated.map((f) => f.rating!))!;
  const sortedVotes = rated.map((f) => f.votes).sort((a, b) => a - b);
  // percentile_disc: the first value whose cumulative share reaches the fraction.
  const m = sortedVotes[Math.max(0, Math.ceil(0.9 * sortedVotes.length) - 1)]!;
  const wr = new Map(rated.map((f) => [f.tconst, (f.votes / (f.votes + m)) * f.rating! + (m / (f.votes + m)) * C]));
  const ranked = rated
    .filter((f) => f.votes >= m)
    .sort((a, b) => wr.get(b.tconst)! - wr.get(a.tconst)! || b.votes - a.votes || (a.tconst < b.tconst ? -1 : 1));
  const top = new Set(ranked.slice(0, TOP_FILMS).map((f) => f.tconst));

  const band = (r: number) => (r < 90 ? 'under_90' : r < 120 ? '90_119' : r < 150 ? '120_149' : '150_plus');
  const facts: Array<{ dimension: string; value: string; tconst: string }> = [];
  for (const f of rated) {
    for (const g of f.genres) facts.push({ dimension: 'genre', value: g, tconst: f.tconst });
    if (f.startYear !== null) facts.push({ dimension: 'decade', value: String(decadeOf(f.startYear)), tconst: f.tconst });
    if (f.runtime !== null) facts.push({ dimension: 'runtime_band', value: band(f.runtime), tconst: f.tconst });
    const tm = cat.tmdb.get(f.tconst);
    for (const c of tm?.countries ?? []) facts.push({ dimension: 'country', value: c, tconst: f.tconst });
    if (tm?.language) facts.push({ dimension: 'language', value: tm.language, tconst: f.tconst });
  }
  const totals = new Map(
    [...group(facts, (x) => x.dimension)].map(([d, xs]) => {
      const ids = new Set(xs.map((x) => x.tconst));
      return [d, { all: ids.size, top: [...ids].filter((id) => top.has(id)).length }];
    }),
  );
  const lift = [...group(facts, (x) => `${x.dimension}|${x.value}`)].map(([key, xs]) => {
    const ids = new Set(xs.map((x) => x.tconst));
    const topFilms = [...ids].filter((id) => top.has(id)).length;
    const total = totals.get(xs[0]!.dimension)!;
    return {
      key,
      top_films: topFilms,
      catalogue_films: ids.size,
      lift: total.top ? topFilms / total.top / (ids.size / total.all) : null,
    };
  });

  // --- money: catalogue films with a TMDB record
  const money = films.flatMap((f) => {
    const tm = cat.tmdb.get(f.tconst);
    if (!tm) return [];
    const known = (v: number | null) => (v !== null && v >= MONEY_FLOOR ? v : null);
    return [{ f, budget: known(tm.budget), revenue: known(tm.revenue), countries: tm.countries }];
  });
  type Money = (typeof money)[number];
  const moneyStats = (ms: Money[]) => {
    const budgets = ms.flatMap((x) => (x.budget === null ? [] : [x.budget]));
    const revenues = ms.flatMap((x) => (x.revenue === null ? [] : [x.revenue]));
    const rois = ms.flatMap((x) => (x.budget !== null && x.revenue !== null ? [x.revenue / x.budget] : []));
    return {
      films: ms.length,
      budget_known: budgets.length,
      budget_unknown: ms.length - budgets.length,
      revenue_known: revenues.length,
      revenue_unknown: ms.length - revenues.length,
      roi_known: rois.length,
      median_budget: median(budgets),
      mean_budget: mean(budgets),
      median_revenue: median(revenues),
      total_budget: budgets.reduce((a, b) => a + b, 0),
      median_roi: median(rois),
    };
  };
  const moneyByGenre = [...group(
    money.flatMap((x) => (x.f.genres.length ? x.f.genres : ['unknown']).map((g) => ({ g, x }))),
    (r) => r.g,
  )].map(([genre, rs]) => ({ genre, ...moneyStats(rs.map((r) => r.x)) }));
  const moneyByDecade = [...group(money.filter((x) => x.f.startYear !== null), (x) => String(decadeOf(x.f.startYear)))].map(([d, ms]) => ({
    decade: Number(d),
    ...moneyStats(ms),
  }));
  const withCountries = money.filter((x) => x.f.startYear !== null && x.countries.length > 0);
  const franceUs = [...group(withCountries, (x) => String(decadeOf(x.f.startYear)))].flatMap(([d, ms]) =>
    ['FR', 'US'].map((country) => {
      const here = ms.filter((x) => x.countries.includes(country));
      return {
        key: `${d}|${country}`,
        films: here.length,
        share_pct: (100 * here.length) / ms.length,
        mean_rating: mean(here.flatMap((x) => (x.f.rating === null ? [] : [x.f.rating]))),
        median_budget: median(here.flatMap((x) => (x.budget === null ? [] : [x.budget]))),
      };
    }),
  );

  // --- programming hints
  const overallWr = mean(rated.map((f) => wr.get(f.tconst)!))!;
  const overallVotes = median(rated.map((f) => f.votes))!;
  const hintRows = rated.flatMap((f) => [
    ...(f.startYear === null ? [] : [{ key: `decade|${decadeOf(f.startYear)}`, f }]),
    ...f.genres.map((g) => ({ key: `genre|${g}`, f })),
  ]);
  const hints = [...group(hintRows, (r) => r.key)].map(([key, rs]) => {
    const w = mean(rs.map((r) => wr.get(r.f.tconst)!))!;
    const v = median(rs.map((r) => r.f.votes))!;
    return { key, films: rs.length, mean_weighted_rating: w, median_votes: v, recommended: rs.length >= 10 && w > overallWr && v > overallVotes };
  });

  return {
    byType,
    byGenre,
    byDecade,
    runtime,
    careers,
    perDecadeFilms,
    segments,
    ages,
    rating: { C, m, wr, ranked, top },
    lift,
    moneyByGenre,
    moneyByDecade,
    franceUs,
    hints,
  };
}
