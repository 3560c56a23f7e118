import { findKpi, KPI_CATALOGUE } from '@cine/db';
import { barH, barV, type ChartSpec, facetBars, lines, renderSvg } from './charts';
import { dec, decadeFr, DIMENSIONS, dollars, FILTER_REASONS, genreFr, int, list, pct, titleTypeFr, valueFr } from './french';
import type { LedgerRun, ReportRepository, Row } from './report.repository';

/**
 * The analysis report's content: for every KPI a chart and a written conclusion computed from
 * the rows (never a number typed in), the cleaning choices with the ledger's counts, and the
 * programming recommendations. Rendering to HTML is report.html.ts's business.
 */

export interface KpiSection {
  kpi: string;
  title: string;
  description: string;
  svg: string;
  /** Plain-text paragraphs; escaped when rendered. */
  conclusion: string[];
}

export interface LedgerStep {
  dataset: string;
  sources: string[];
  read: number;
  removed: Array<{ rule: string; label: string; rows: number }>;
  rejected: number;
  kept: number;
}

export interface ReportModel {
  generatedAt: Date;
  catalogue: { films: number; series: number };
  policy: Record<string, unknown> | null;
  ledger: { imdb: LedgerStep[]; tmdb: LedgerStep[]; imdbRun: LedgerRun['run'] | null; tmdbRun: LedgerRun['run'] | null };
  sections: KpiSection[];
  recommendations: string[];
}

const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
const sum = (rows: Row[], f: string) => rows.reduce((s, r) => s + (Number(r[f]) || 0), 0);
const byDesc = (f: string) => (a: Row, b: Row) => num(b[f]) - num(a[f]);
/** Enough rows for a figure to mean something on this catalogue: 5, or 0.5 % of the films. */
const minGroup = (films: number) => Math.max(5, Math.round(films * 0.005));

function steps(run: LedgerRun | null): LedgerStep[] {
  if (!run) return [];
  const byDataset = new Map<string, LedgerStep>();
  for (const f of run.files) {
    if (f.status !== 'loaded') continue;
    const step = byDataset.get(f.dataset) ?? { dataset: f.dataset, sources: [], read: 0, removed: [], rejected: 0, kept: 0 };
    step.sources.push(f.source.split('/').slice(-2).join('/'));
    step.read += f.rows_read;
    step.kept += f.rows_kept;
    step.rejected += f.rows_rejected;
    for (const [rule, rows] of Object.entries(f.filter_stats ?? {})) {
      const existing = step.removed.find((r) => r.rule === rule);
      if (existing) existing.rows += rows;
      else step.removed.push({ rule, label: FILTER_REASONS[rule]?.label ?? rule, rows });
    }
    byDataset.set(f.dataset, step);
  }
  return [...byDataset.values()];
}

export class ReportService {
  constructor(private readonly repo: ReportRepository) {}

  async build(now = new Date()): Promise<ReportModel> {
    const rows = new Map<string, Row[]>();
    for (const kpi of KPI_CATALOGUE) rows.set(kpi.name, await this.repo.kpi(kpi.name));
    const get = (name: string) => rows.get(name)!;
    const runs = await this.repo.latestRuns();
    const byType = get('catalogue_by_type');
    const films = sum(byType.filter((r) => r.kind === 'film'), 'titles');
    const series = sum(byType.filter((r) => r.kind === 'series'), 'titles');

    const sections: KpiSection[] = [];
    const add = async (kpi: string, spec: ChartSpec, conclusion: string[]) => {
      const def = findKpi(kpi)!;
      sections.push({ kpi, title: def.title.fr, description: def.description.fr, svg: await renderSvg(spec), conclusion });
    };
    const ctx = { films, series, get };
    for (const builder of BUILDERS) {
      const { kpi, spec, conclusion } = builder(ctx);
      await add(kpi, spec, conclusion);
    }
    return {
      generatedAt: now,
      catalogue: { films, series },
      policy: (runs.imdb?.run.policy as Record<string, unknown> | undefined) ?? null,
      ledger: { imdb: steps(runs.imdb), tmdb: steps(runs.tmdb), imdbRun: runs.imdb?.run ?? null, tmdbRun: runs.tmdb?.run ?? null },
      sections,
      recommendations: recommendations(ctx),
    };
  }
}

interface Ctx {
  films: number;
  series: number;
  get(name: string): Row[];
}
type Builder = (ctx: Ctx) => { kpi: string; spec: ChartSpec; conclusion: string[] };

const BUILDERS: Builder[] = [
  ({ get, films, series }) => {
    const data = get('catalogue_by_type');
    const movie = data.find((r) => r.title_type === 'movie');
    return {
      kpi: 'catalogue_by_type',
      spec: barH(data.map((r) => ({ type: titleTypeFr(r.title_type), titles: r.titles })), { y: 'type', x: 'titles', yTitle: 'Type', xTitle: 'Titres' }),
      conclusion: [
        `Le catalogue compte ${int(films)} films et ${int(series)} séries.`,
        movie
          ? `${pct(movie.rated, movie.titles)} des films ont une note IMDb ; leur note moyenne est de ${dec(movie.mean_rating)} sur 10.`
          : 'Aucun film n’est encore chargé.',
      ],
    };
  },
  ({ get, films }) => {
    const data = get('catalogue_by_genre').filter((r) => r.kind === 'film');
    const top = [...data].filter((r) => r.genre !== 'unknown').sort(byDesc('titles'));
    const unknown = data.find((r) => r.genre === 'unknown');
    const bestRated = top.filter((r) => r.titles >= minGroup(films) && r.mean_rating !== null).sort(byDesc('mean_rating'))[0];
    return {
      kpi: 'catalogue_by_genre',
      spec: barH(top.slice(0, 20).map((r) => ({ genre: genreFr(r.genre), films: r.titles })), { y: 'genre', x: 'films', yTitle: 'Genre', xTitle: 'Films' }),
      conclusion: [
        top.length
          ? `Les genres les plus fréquents parmi les films sont ${list(top.slice(0, 3).map((r) => `${genreFr(r.genre).toLowerCase()} (${int(r.titles)} films, ${pct(r.titles, films)})`))}. Un film pouvant avoir trois genres, les parts dépassent 100 % au total.`
          : 'Aucun genre connu.',
        ...(bestRated ? [`Parmi les genres d’au moins ${minGroup(films)} films, le mieux noté en moyenne est ${genreFr(bestRated.genre).toLowerCase()} (${dec(bestRated.mean_rating)}/10).`] : []),
        ...(unknown ? [`${int(unknown.titles)} films (${pct(unknown.titles, films)}) n’ont aucun genre dans IMDb.`] : []),
      ],
    };
  },
  ({ get, films }) => {
    const data = get('catalogue_by_decade');
    const f = data.filter((r) => r.kind === 'film' && r.decade !== null).sort(byDesc('titles'));
    const unknown = data.find((r) => r.kind === 'film' && r.decade === null);
    const peak = f[0];
    const recent = f.filter((r) => r.decade >= 2000);
    return {
      kpi: 'catalogue_by_decade',
      spec: barV(
        data.filter((r) => r.decade !== null).map((r) => ({ decade: String(r.decade), kind: r.kind === 'film' ? 'Films' : 'Séries', titles: r.titles })),
        { x: 'decade', y: 'titles', xTitle: 'Décennie', yTitle: 'Titres', color: 'kind' },
      ),
      conclusion: [
        peak ? `La décennie la plus représentée est celle des ${decadeFr(peak.decade)} avec ${int(peak.titles)} films (${pct(peak.titles, films)}).` : 'Aucune date de sortie connue.',
        `Les films sortis depuis 2000 font ${pct(sum(recent, 'titles'), films)} du catalogue${unknown ? ` ; ${int(unknown.titles)} films n’ont pas d’année connue` : ''}.`,
      ],
    };
  },
  ({ get }) => {
    const data = get('runtime_by_year');
    const solid = data.filter((r) => r.films >= 20);
    const first = solid[0];
    const last = solid.at(-1);
    const weighted = sum(data.map((r) => ({ w: r.mean_runtime * r.films })), 'w') / Math.max(1, sum(data, 'films'));
    return {
      kpi: 'runtime_by_year',
      spec: lines(
        data.filter((r) => r.films >= 5).flatMap((r) => [
          { year: r.year, serie: 'Durée moyenne', minutes: r.mean_runtime },
          { year: r.year, serie: 'Durée médiane', minutes: r.median_runtime },
        ]),
        { x: 'year', y: 'minutes', series: 'serie', xTitle: 'Année de sortie', yTitle: 'Minutes' },
      ),
      conclusion: [
        `Sur tous les films de durée connue, la durée moyenne est de ${int(weighted)} minutes.`,
        first && last && first !== last
          ? `Sur les années comptant au moins 20 films, la durée médiane passe de ${int(first.median_runtime)} min en ${first.year} à ${int(last.median_runtime)} min en ${last.year}${last.median_runtime > first.median_runtime ? ' : les films se sont allongés' : last.median_runtime < first.median_runtime ? ' : les films ont raccourci' : ''}.`
          : 'Trop peu de films par année pour dégager une tendance.',
        'Le graphique ne montre que les années comptant au moins 5 films, pour ne pas suivre le bruit d’un film isolé.',
      ],
    };
  },
  ({ get }) => {
    const data = get('top_actors');
    const best = (c: string) => data.find((r) => r.category === c && r.rank === 1);
    const describe = (r: Row | undefined, who: string) =>
      r
        ? `${who} : ${r.name}, ${int(r.films)} films de ${r.first_year ?? '?'} à ${r.last_year ?? '?'}, surtout dans les ${decadeFr(r.peak_decade)} (${int(r.peak_decade_films)} films).`
        : `${who} : aucun rôle dans les crédits chargés.`;
    const chart = data.filter((r) => r.rank <= 12).map((r) => ({ name: r.name, films: r.films, category: r.category === 'actress' ? 'Actrices' : 'Acteurs' }));
    const unnamed = data.filter((r) => r.name === r.nconst).length;
    return {
      kpi: 'top_actors',
      spec: barH(chart, { y: 'name', x: 'films', yTitle: null, xTitle: 'Films du catalogue', color: 'category' }),
      conclusion: [
        describe(best('actor'), 'L’acteur le plus présent'),
        describe(best('actress'), 'L’actrice la plus présente'),
        ...(unnamed ? [`${int(unnamed)} des ${int(data.length)} personnes listées n’ont pas de fiche dans name.basics : leur identifiant IMDb remplace le nom.`] : []),
      ],
    };
  },
  ({ get }) => {
    const data = get('top_actors_by_decade');
    const leaders = data.filter((r) => r.rank === 1);
    const recent = [...new Set(leaders.map((r) => r.decade as number))].sort((a, b) => b - a).slice(0, 3);
    return {
      kpi: 'top_actors_by_decade',
      spec: barH(
        leaders.map((r) => ({ label: `${decadeFr(r.decade)} · ${r.name}`, films: r.films, category: r.category === 'actress' ? 'Actrices' : 'Acteurs' })),
        { y: 'label', x: 'films', yTitle: null, xTitle: 'Films dans la décennie (le premier de chaque décennie)', color: 'category', sort: false },
      ),
      conclusion: [
        recent.length
          ? `Les plus présents des dernières décennies : ${list(recent.map((d) => `${decadeFr(d)} : ${list(leaders.filter((r) => r.decade === d).map((r) => `${r.name} (${int(r.films)} films)`))}`))}.`
          : 'Pas de crédits d’acteurs datés.',
        ...(leaders.length
          ? [`D’une décennie à l’autre les noms changent : ${int(new Set(leaders.map((r) => r.nconst)).size)} personnes différentes occupent la première place de ${int(leaders.length)} classements.`]
          : []),
      ],
    };
  },
  ({ get }) => {
    const data = get('actors_cinema_vs_series');
    const total = sum(data, 'people');
    const seg = (s: string) => data.find((r) => r.segment === s)?.people ?? 0;
    const label: Record<string, string> = { films_only: 'Cinéma seulement', series_only: 'Séries seulement', both: 'Les deux' };
    return {
      kpi: 'actors_cinema_vs_series',
      spec: barH(data.map((r) => ({ segment: label[r.segment] ?? r.segment, people: r.people })), { y: 'segment', x: 'people', yTitle: null, xTitle: 'Acteurs et actrices', sort: false }),
      conclusion: total === 0 ? ['Aucun crédit d’acteur ou d’actrice n’est chargé : importez title.principals pour cette comparaison.'] : [
        `Sur ${int(total)} acteurs et actrices, ${pct(seg('films_only'), total)} ne jouent qu’au cinéma, ${pct(seg('series_only'), total)} qu’en séries et ${pct(seg('both'), total)} dans les deux.`,
        seg('series_only') + seg('both') === 0
          ? 'Les crédits chargés ne couvrent aucune série : la comparaison attend un import complet des fichiers IMDb.'
          : seg('both') < 0.2 * total
            ? 'Jouer des deux côtés reste l’exception : le public retrouvera rarement au cinéma les visages de ses séries.'
            : 'Jouer des deux côtés est courant : le public retrouvera au cinéma des visages connus de ses séries.',
      ],
    };
  },
  ({ get }) => {
    const data = get('actors_in_both');
    const top = data[0];
    return {
      kpi: 'actors_in_both',
      spec: barH(
        data.slice(0, 15).flatMap((r) => [
          { name: r.name, what: 'Films', n: r.films },
          { name: r.name, what: 'Séries', n: r.series },
        ]),
        { y: 'name', x: 'n', yTitle: null, xTitle: 'Titres', color: 'what', sort: false },
      ),
      conclusion: top
        ? [`En tête des deux côtés : ${top.name}, avec ${int(top.films)} films et ${int(top.series)} séries.`, `${int(data.length)} personnes sont listées.`]
        : ['Aucune personne n’est créditée à la fois dans un film et dans une série de ce catalogue.'],
    };
  },
  ({ get }) => {
    const data = get('actor_age_by_decade').filter((r) => r.with_age > 0);
    const overall = (c: string) => {
      const rows = data.filter((r) => r.category === c);
      const n = sum(rows, 'with_age');
      return n ? { n, mean: sum(rows.map((r) => ({ x: r.mean_age * r.with_age })), 'x') / n } : null;
    };
    const actors = overall('actor');
    const actresses = overall('actress');
    const all = get('actor_age_by_decade');
    return {
      kpi: 'actor_age_by_decade',
      spec: lines(
        data.map((r) => ({ decade: r.decade, category: r.category === 'actress' ? 'Actrices' : 'Acteurs', age: r.mean_age })),
        { x: 'decade', y: 'age', series: 'category', xTitle: 'Décennie de sortie', yTitle: 'Âge moyen (ans)' },
      ),
      conclusion: [
        actors && actresses
          ? `À la sortie du film, les acteurs ont en moyenne ${dec(actors.mean)} ans et les actrices ${dec(actresses.mean)} ans : ${actresses.mean < actors.mean ? `les actrices sont plus jeunes de ${dec(actors.mean - actresses.mean)} ans` : `les actrices sont plus âgées de ${dec(actresses.mean - actors.mean)} ans`}.`
          : 'Trop peu d’années de naissance connues pour comparer.',
        ...(sum(all, 'appearances') > 0
          ? [`L’âge n’est connu que pour ${pct(sum(all, 'with_age'), sum(all, 'appearances'))} des rôles (année de naissance renseignée dans name.basics).`]
          : []),
      ],
    };
  },
  ({ get }) => {
    const data = get('best_rated_films');
    const first = data[0];
    return {
      kpi: 'best_rated_films',
      spec: barH(
        data.slice(0, 20).map((r) => ({ film: `${r.rank}. ${r.title} (${r.year ?? '?'})`, wr: r.weighted_rating })),
        { y: 'film', x: 'wr', yTitle: null, xTitle: 'Note pondérée', sort: false },
      ),
      conclusion: first
        ? [
            `Le film le mieux classé est ${first.title} (${first.year ?? 'année inconnue'}) : ${dec(first.average_rating)}/10 sur ${int(first.num_votes)} votes, soit ${dec(first.weighted_rating, 2)} en note pondérée.`,
            `Pour être classé, un film doit réunir au moins ${int(first.min_votes)} votes (le 90e centile du catalogue) ; la note moyenne du catalogue, vers laquelle les films peu votés sont ramenés, est de ${dec(first.mean_rating, 2)}.`,
            `${pct(data.filter((r) => (r.year ?? 0) < 1980).length, data.length)} des ${int(data.length)} mieux notés sont sortis avant 1980 : ${data.filter((r) => (r.year ?? 0) < 1980).length > 0 ? 'le patrimoine a sa place à l’affiche' : 'le classement est dominé par des films récents'}.`,
          ]
        : ['Aucun film noté.'],
    };
  },
  ({ get, films }) => {
    const data = get('best_rated_lift');
    const min = minGroup(films);
    const solid = data.filter((r) => r.catalogue_films >= min && r.top_films >= 3);
    const over = (d: string) => solid.filter((r) => r.dimension === d && r.lift > 1).sort(byDesc('lift')).slice(0, 3);
    const phrases = ['genre', 'decade', 'runtime_band', 'country', 'language']
      .map((d) => ({ d, rows: over(d) }))
      .filter((x) => x.rows.length)
      .map((x) => `${DIMENSIONS[x.d]!.toLowerCase()} : ${list(x.rows.map((r) => `${valueFr(x.d, r.value)} (×${dec(r.lift, 2)})`))}`);
    const under = solid.filter((r) => r.lift < 1).sort((a, b) => a.lift - b.lift).slice(0, 3);
    return {
      kpi: 'best_rated_lift',
      spec: facetBars(
        data
          .filter((r) => r.catalogue_films >= min && r.dimension !== 'language')
          .map((r) => ({ dimension: DIMENSIONS[r.dimension] ?? r.dimension, value: valueFr(r.dimension, r.value), lift: r.lift })),
        { facet: 'dimension', y: 'value', x: 'lift', xTitle: 'Lift (1 = comme le catalogue)', rule: 1 },
      ),
      conclusion: [
        phrases.length ? `Ce qui est surreprésenté parmi les mieux notés — ${phrases.join(' ; ')}.` : 'Trop peu de films classés pour dégager des points communs.',
        ...(under.length ? [`Sous-représentés : ${list(under.map((r) => `${valueFr(r.dimension, r.value)} (×${dec(r.lift, 2)})`))}.`] : []),
        `Les valeurs comptant moins de ${min} films du catalogue sont écartées ; pays et langue ne portent que sur les films connus de TMDB.`,
      ],
    };
  },
  ({ get }) => {
    const data = get('money_by_genre').filter((r) => r.genre !== 'unknown');
    const withBudget = data.filter((r) => r.budget_known >= 3);
    const dear = [...withBudget].sort(byDesc('median_budget')).slice(0, 3);
    const roi = data.filter((r) => r.roi_known >= 3).sort(byDesc('median_roi')).slice(0, 3);
    const total = get('money_by_decade');
    const filmsT = sum(total, 'films');
    return {
      kpi: 'money_by_genre',
      spec: barH(
        withBudget.flatMap((r) => [
          { genre: genreFr(r.genre), what: 'Budget médian', usd: r.median_budget },
          ...(r.median_revenue === null ? [] : [{ genre: genreFr(r.genre), what: 'Recettes médianes', usd: r.median_revenue }]),
        ]),
        { y: 'genre', x: 'usd', yTitle: null, xTitle: 'Dollars (courants)', color: 'what', format: '~s' },
      ),
      conclusion: [
        filmsT
          ? `TMDB connaît ${int(filmsT)} films du catalogue ; le budget est inconnu pour ${pct(sum(total, 'budget_unknown'), filmsT)} d’entre eux et les recettes pour ${pct(sum(total, 'revenue_unknown'), filmsT)} : ces films sont exclus des médianes, et comptés.`
          : 'Aucune donnée TMDB chargée.',
        ...(dear.length ? [`Genres aux budgets médians les plus élevés : ${list(dear.map((r) => `${genreFr(r.genre).toLowerCase()} (${dollars(r.median_budget)})`))}.`] : []),
        ...(roi.length ? [`Meilleure rentabilité médiane (recettes / budget) : ${list(roi.map((r) => `${genreFr(r.genre).toLowerCase()} (×${dec(r.median_roi)})`))}.`] : []),
      ],
    };
  },
  ({ get }) => {
    const data = get('money_by_decade').filter((r) => r.decade !== null);
    const known = data.filter((r) => r.budget_known >= 3);
    const first = known[0];
    const last = known.at(-1);
    return {
      kpi: 'money_by_decade',
      spec: barV(
        data.flatMap((r) => [
          ...(r.median_budget === null ? [] : [{ decade: String(r.decade), what: 'Budget médian', usd: r.median_budget }]),
          ...(r.median_revenue === null ? [] : [{ decade: String(r.decade), what: 'Recettes médianes', usd: r.median_revenue }]),
        ]),
        { x: 'decade', y: 'usd', xTitle: 'Décennie', yTitle: 'Dollars (courants)', color: 'what', stack: false, format: '~s' },
      ),
      conclusion: [
        first && last && first !== last
          ? `Le budget médian passe de ${dollars(first.median_budget)} dans les ${decadeFr(first.decade)} à ${dollars(last.median_budget)} dans les ${decadeFr(last.decade)} (dollars courants, sans correction de l’inflation).`
          : 'Trop peu de budgets connus pour suivre une évolution.',
        ...(() => {
          const share = (rows: Row[]) => pct(sum(rows, 'budget_known'), sum(rows, 'films'));
          const old = data.filter((r) => r.decade < 1970);
          const recent = data.filter((r) => r.decade >= 1970);
          return old.length && recent.length ? [`Le budget est connu pour ${share(old)} des films sortis avant 1970 et ${share(recent)} des films plus récents.`] : [];
        })(),
      ],
    };
  },
  ({ get }) => {
    const data = get('france_vs_us');
    const country = (c: string) => data.filter((r) => r.country === c);
    const total = (c: string) => sum(country(c), 'films');
    const frBest = [...country('FR')].sort(byDesc('share_pct'))[0];
    const rating = (c: string) => {
      const rows = country(c).filter((r) => r.mean_rating !== null);
      const n = sum(rows, 'films');
      return n ? sum(rows.map((r) => ({ x: r.mean_rating * r.films })), 'x') / n : null;
    };
    return {
      kpi: 'france_vs_us',
      spec: lines(
        data.map((r) => ({ decade: r.decade, country: r.country === 'FR' ? 'France' : 'États-Unis', films: r.films })),
        { x: 'decade', y: 'films', series: 'country', xTitle: 'Décennie', yTitle: 'Films (production ou coproduction)', zero: true },
      ),
      conclusion: [
        `Parmi les films du catalogue connus de TMDB, ${int(total('US'))} sont des productions américaines et ${int(total('FR'))} des productions françaises (coproductions comptées des deux côtés).`,
        ...(frBest && frBest.films > 0 ? [`La France pèse le plus dans les ${decadeFr(frBest.decade)} (${dec(frBest.share_pct)} % des films de la décennie).`] : []),
        ...(rating('FR') !== null && rating('US') !== null ? [`Note IMDb moyenne : ${dec(rating('FR'))} pour les films français, ${dec(rating('US'))} pour les américains.`] : []),
      ],
    };
  },
  ({ get }) => {
    const data = get('programming_hints');
    const rec = data.filter((r) => r.recommended).sort(byDesc('score'));
    const of = (d: string) => rec.filter((r) => r.dimension === d).slice(0, 4);
    return {
      kpi: 'programming_hints',
      spec: facetBars(
        data
          .filter((r) => r.films >= 10)
          .map((r) => ({ dimension: DIMENSIONS[r.dimension] ?? r.dimension, value: valueFr(r.dimension, r.value), score: r.score, recommended: r.recommended })),
        { facet: 'dimension', y: 'value', x: 'score', xTitle: 'Score (1 = meilleur en note et en votes) ; en couleur : à programmer', highlight: 'datum.recommended' },
      ),
      conclusion: [
        of('decade').length ? `Décennies à la fois mieux notées et plus votées que le catalogue : ${list(of('decade').map((r) => valueFr('decade', r.value)))}.` : 'Aucune décennie ne se détache à la fois par la note et par les votes.',
        of('genre').length ? `Genres dans le même cas : ${list(of('genre').map((r) => valueFr('genre', r.value).toLowerCase()))}.` : 'Aucun genre ne se détache à la fois par la note et par les votes.',
      ],
    };
  },
];

function recommendations({ get, films }: Ctx): string[] {
  const hints = get('programming_hints').filter((r) => r.recommended).sort(byDesc('score'));
  const decades = hints.filter((r) => r.dimension === 'decade').slice(0, 3);
  const genres = hints.filter((r) => r.dimension === 'genre').slice(0, 3);
  const best = get('best_rated_films');
  const out: string[] = [];
  for (const d of decades) {
    const picks = best.filter((f) => f.year !== null && Math.floor(f.year / 10) * 10 === Number(d.value)).slice(0, 3);
    out.push(
      `Un cycle « ${valueFr('decade', d.value)} » : la décennie est mieux notée que le catalogue (+${dec(d.rating_gap, 2)} de note pondérée) et beaucoup votée${picks.length ? ` ; à l’affiche par exemple ${list(picks.map((f) => `${f.title} (${f.year})`))}` : ''}.`,
    );
  }
  for (const g of genres) {
    const picks = best.filter((f) => (f.genres as string[]).includes(g.value)).slice(0, 3);
    out.push(
      `Une soirée ${valueFr('genre', g.value).toLowerCase()} : ${int(g.films)} films notés, mieux notés et plus votés que la moyenne${picks.length ? ` ; par exemple ${list(picks.map((f) => `${f.title} (${f.year})`))}` : ''}.`,
    );
  }
  const fr = get('france_vs_us').filter((r) => r.country === 'FR');
  const frFilms = sum(fr, 'films');
  out.push(
    `Le cinéma français : le public creusois, âgé, est d’abord celui des films français (étude de marché). Le catalogue en compte ${int(frFilms)} connus de TMDB ; afficher leur titre français et privilégier les séances de l’après-midi.`,
  );
  const heritage = best.filter((f) => (f.year ?? 9999) < 1980).slice(0, 3);
  if (heritage.length) {
    out.push(`Des reprises de patrimoine (revoir un film culte motive 74 % des plus de 50 ans) : ${list(heritage.map((f) => `${f.title} (${f.year})`))}.`);
  }
  if (films === 0) return ['Aucun film chargé : importez le catalogue avant de lire ces recommandations.'];
  return out;
}
