/**
 * The KPI catalogue: every KPI the product serves, by name. The same views feed the gateway's
 * `GET /api/v1/kpis/{name}`, Grafana's panels and the analysis report, so a figure is computed in
 * exactly one place (the `kpi` schema, created by the KPI migration).
 */

export type KpiColumnType = 'text' | 'integer' | 'number' | 'boolean' | 'text[]';

export interface KpiColumn {
  name: string;
  type: KpiColumnType;
  description: { fr: string; en: string };
}

export interface KpiDefinition {
  /** URL name: lower_snake_case, stable (the website and dashboards use it). */
  name: string;
  title: { fr: string; en: string };
  description: { fr: string; en: string };
  /** The view or materialized view in schema `kpi` that holds the rows. */
  view: string;
  columns: KpiColumn[];
  /** Columns the rows are ordered by (each `column` or `column desc`). */
  orderBy: string[];
}

type Lang = { fr: string; en: string };
const col = (name: string, type: KpiColumnType, fr: string, en: string): KpiColumn => ({ name, type, description: { fr, en } });
const t = (fr: string, en: string): Lang => ({ fr, en });

// Columns several KPIs share, described once.
const KIND = col('kind', 'text', 'film ou series', 'film or series');
const DECADE = col('decade', 'integer', 'décennie de sortie (1990 = 1990–1999), vide si inconnue', 'release decade (1990 = 1990–1999), empty when unknown');
const CATEGORY = col('category', 'text', 'actor (acteur) ou actress (actrice)', 'actor or actress');
const NCONST = col('nconst', 'text', 'identifiant IMDb de la personne', 'IMDb person id');
const NAME = col('name', 'text', 'nom (l’identifiant quand IMDb ne donne pas le nom)', 'name (the id when IMDb gives no name)');
const MONEY_COLUMNS = [
  col('films', 'integer', 'films du catalogue ayant une fiche TMDB', 'catalogue films with a TMDB record'),
  col('budget_known', 'integer', 'films au budget connu', 'films with a known budget'),
  col('budget_unknown', 'integer', 'films au budget inconnu (exclus des calculs)', 'films with an unknown budget (left out of the figures)'),
  col('revenue_known', 'integer', 'films aux recettes connues', 'films with known revenue'),
  col('revenue_unknown', 'integer', 'films aux recettes inconnues (exclus des calculs)', 'films with unknown revenue (left out of the figures)'),
  col('roi_known', 'integer', 'films dont budget et recettes sont connus', 'films with both budget and revenue known'),
  col('median_budget', 'number', 'budget médian (USD)', 'median budget (USD)'),
  col('mean_budget', 'number', 'budget moyen (USD)', 'mean budget (USD)'),
  col('median_revenue', 'number', 'recettes médianes (USD)', 'median revenue (USD)'),
  col('total_budget', 'number', 'somme des budgets connus (USD)', 'sum of known budgets (USD)'),
  col('total_revenue_with_budget', 'number', 'recettes cumulées des films au budget connu (USD)', 'revenue summed over films with a known budget (USD)'),
  col('median_roi', 'number', 'rapport recettes / budget médian (2 = le film a rapporté deux fois son budget)', 'median revenue / budget ratio (2 = twice its budget)'),
];

export const KPI_CATALOGUE: readonly KpiDefinition[] = [
  {
    name: 'catalogue_by_type',
    view: 'catalogue_by_type',
    title: t('Le catalogue par type de titre', 'The catalogue by title type'),
    description: t(
      'Nombre de films et de séries du catalogue, titres notés, note moyenne et votes IMDb.',
      'Films and series in the catalogue, rated titles, mean rating and IMDb votes.',
    ),
    columns: [
      col('title_type', 'text', 'type IMDb (movie, tvSeries, tvMiniSeries)', 'IMDb title type'),
      KIND,
      col('titles', 'integer', 'titres', 'titles'),
      col('rated', 'integer', 'titres ayant une note IMDb', 'titles with an IMDb rating'),
      col('mean_rating', 'number', 'note IMDb moyenne (sur 10)', 'mean IMDb rating (out of 10)'),
      col('votes', 'number', 'votes IMDb cumulés', 'IMDb votes summed'),
    ],
    orderBy: ['titles desc'],
  },
  {
    name: 'catalogue_by_genre',
    view: 'catalogue_by_genre',
    title: t('Le catalogue par genre', 'The catalogue by genre'),
    description: t(
      'Titres par genre IMDb (un titre compte dans chacun de ses genres, jusqu’à trois ; « unknown » = sans genre).',
      'Titles per IMDb genre (a title counts in each of its up to three genres; "unknown" = no genre).',
    ),
    columns: [
      KIND,
      col('genre', 'text', 'genre IMDb', 'IMDb genre'),
      col('titles', 'integer', 'titres', 'titles'),
      col('mean_rating', 'number', 'note IMDb moyenne', 'mean IMDb rating'),
    ],
    orderBy: ['kind', 'titles desc', 'genre'],
  },
  {
    name: 'catalogue_by_decade',
    view: 'catalogue_by_decade',
    title: t('Le catalogue par décennie', 'The catalogue by decade'),
    description: t('Films et séries par décennie de sortie (de première diffusion pour une série).', 'Films and series per decade of release (first aired, for a series).'),
    columns: [KIND, DECADE, col('titles', 'integer', 'titres', 'titles'), col('mean_rating', 'number', 'note IMDb moyenne', 'mean IMDb rating')],
    orderBy: ['kind', 'decade'],
  },
  {
    name: 'runtime_by_year',
    view: 'runtime_by_year',
    title: t('La durée des films au fil des années', 'Film runtime over the years'),
    description: t(
      'Durée moyenne et médiane des films (pas des séries) par année de sortie, sur les films de durée connue.',
      'Mean and median runtime of films (not series) per release year, over films with a known runtime.',
    ),
    columns: [
      col('year', 'integer', 'année de sortie', 'release year'),
      col('films', 'integer', 'films de durée connue', 'films with a known runtime'),
      col('mean_runtime', 'number', 'durée moyenne (minutes)', 'mean runtime (minutes)'),
      col('median_runtime', 'number', 'durée médiane (minutes)', 'median runtime (minutes)'),
    ],
    orderBy: ['year'],
  },
  {
    name: 'top_actors',
    view: 'top_actors',
    title: t('Les acteurs et actrices les plus présents', 'The most present actors and actresses'),
    description: t(
      'Les 50 acteurs et les 50 actrices aux plus nombreux films du catalogue, avec leur période d’activité (premier et dernier film) et leur décennie la plus active.',
      'The 50 actors and 50 actresses with the most films in the catalogue, with their active period (first and last film) and their busiest decade.',
    ),
    columns: [
      CATEGORY,
      col('rank', 'integer', 'rang dans sa catégorie', 'rank within the category'),
      NCONST,
      NAME,
      col('films', 'integer', 'films du catalogue', 'catalogue films'),
      col('series', 'integer', 'séries du catalogue', 'catalogue series'),
      col('first_year', 'integer', 'année du premier film', 'year of the first film'),
      col('last_year', 'integer', 'année du dernier film', 'year of the last film'),
      col('peak_decade', 'integer', 'décennie aux plus nombreux films', 'decade with the most films'),
      col('peak_decade_films', 'integer', 'films dans cette décennie', 'films in that decade'),
    ],
    orderBy: ['category', 'rank'],
  },
  {
    name: 'top_actors_by_decade',
    view: 'top_actors_by_decade',
    title: t('Les plus présents, décennie par décennie', 'The most present, decade by decade'),
    description: t(
      'Pour chaque décennie, les 10 acteurs et les 10 actrices aux plus nombreux films sortis dans la décennie.',
      'For each decade, the 10 actors and 10 actresses with the most films released in it.',
    ),
    columns: [
      DECADE,
      CATEGORY,
      col('rank', 'integer', 'rang dans la décennie', 'rank within the decade'),
      NCONST,
      NAME,
      col('films', 'integer', 'films dans la décennie', 'films in the decade'),
      col('career_films', 'integer', 'films sur toute la carrière', 'films over the whole career'),
      col('first_year', 'integer', 'année du premier film', 'year of the first film'),
      col('last_year', 'integer', 'année du dernier film', 'year of the last film'),
    ],
    orderBy: ['decade', 'category', 'rank'],
  },
  {
    name: 'actors_cinema_vs_series',
    view: 'actors_cinema_vs_series',
    title: t('Acteurs de cinéma, de séries, ou des deux', 'Actors in films, in series, or both'),
    description: t(
      'Combien d’acteurs et d’actrices jouent seulement dans des films, seulement dans des séries, ou dans les deux.',
      'How many actors and actresses play only in films, only in series, or in both.',
    ),
    columns: [
      col('segment', 'text', 'films_only, series_only ou both', 'films_only, series_only or both'),
      col('sort', 'integer', 'ordre d’affichage', 'display order'),
      col('people', 'integer', 'personnes', 'people'),
      col('share_pct', 'number', 'part des acteurs (%)', 'share of actors (%)'),
    ],
    orderBy: ['sort'],
  },
  {
    name: 'actors_in_both',
    view: 'actors_in_both',
    title: t('Les plus présents au cinéma et en séries', 'The most present in both films and series'),
    description: t(
      'Les 50 personnes qui jouent le plus à la fois au cinéma et en séries (classées par le plus petit des deux nombres).',
      'The 50 people who play most in both films and series (ranked by the smaller of the two counts).',
    ),
    columns: [
      col('rank', 'integer', 'rang', 'rank'),
      NCONST,
      NAME,
      CATEGORY,
      col('films', 'integer', 'films', 'films'),
      col('series', 'integer', 'séries', 'series'),
    ],
    orderBy: ['rank'],
  },
  {
    name: 'actor_age_by_decade',
    view: 'actor_age_by_decade',
    title: t('L’âge des acteurs à la sortie du film', 'Actors’ age at release'),
    description: t(
      'Âge moyen et médian (année de sortie moins année de naissance) des acteurs et actrices de chaque film, par décennie ; les âges hors 0–100 ans et les naissances inconnues sont exclus et comptés.',
      'Mean and median age (release year minus birth year) of each film’s actors and actresses, per decade; ages outside 0–100 and unknown births are left out and counted.',
    ),
    columns: [
      DECADE,
      CATEGORY,
      col('appearances', 'integer', 'rôles (personne × film)', 'roles (person × film)'),
      col('with_age', 'integer', 'rôles dont l’âge est connu', 'roles with a known age'),
      col('mean_age', 'number', 'âge moyen', 'mean age'),
      col('median_age', 'number', 'âge médian', 'median age'),
    ],
    orderBy: ['decade', 'category'],
  },
  {
    name: 'best_rated_films',
    view: 'best_rated_films',
    title: t('Les films les mieux notés', 'The best-rated films'),
    description: t(
      'Les 250 meilleurs films selon la note pondérée à la manière d’IMDb : WR = v/(v+m)·R + m/(v+m)·C, où R est la note du film, v ses votes, C la note moyenne du catalogue et m le seuil de votes (le 90e centile des votes) qu’un film doit atteindre pour être classé.',
      'The top 250 films by the IMDb-style weighted rating WR = v/(v+m)·R + m/(v+m)·C, where R is the film’s rating, v its votes, C the catalogue’s mean rating and m the votes a film needs to be ranked (the 90th percentile of votes).',
    ),
    columns: [
      col('rank', 'integer', 'rang', 'rank'),
      col('tconst', 'text', 'identifiant IMDb du film', 'IMDb film id'),
      col('title', 'text', 'titre français (sinon titre principal)', 'French title (else the primary title)'),
      col('primary_title', 'text', 'titre principal IMDb', 'IMDb primary title'),
      col('year', 'integer', 'année de sortie', 'release year'),
      col('genres', 'text[]', 'genres IMDb', 'IMDb genres'),
      col('average_rating', 'number', 'note IMDb R', 'IMDb rating R'),
      col('num_votes', 'integer', 'votes v', 'votes v'),
      col('weighted_rating', 'number', 'note pondérée WR', 'weighted rating WR'),
      col('min_votes', 'integer', 'seuil de votes m', 'minimum votes m'),
      col('mean_rating', 'number', 'note moyenne du catalogue C', 'catalogue mean rating C'),
    ],
    orderBy: ['rank'],
  },
  {
    name: 'best_rated_lift',
    view: 'best_rated_lift',
    title: t('Ce que les films les mieux notés ont en commun', 'What the best-rated films share'),
    description: t(
      'Pour chaque genre, décennie, tranche de durée, pays et langue : sa part dans les 250 mieux notés, sa part dans tout le catalogue noté, et le rapport des deux (lift > 1 : surreprésenté parmi les meilleurs). Pays et langue viennent de TMDB, sur les seuls films qui y ont une fiche.',
      'For each genre, decade, runtime band, country and language: its share of the top 250, its share of the whole rated catalogue, and their ratio (lift > 1: over-represented among the best). Country and language come from TMDB, over the films it knows.',
    ),
    columns: [
      col('dimension', 'text', 'genre, decade, runtime_band, country ou language', 'genre, decade, runtime_band, country or language'),
      col('value', 'text', 'la valeur (Drama, 1990, 90_119, FR, fr…)', 'the value (Drama, 1990, 90_119, FR, fr…)'),
      col('top_films', 'integer', 'films parmi les mieux notés', 'films among the best-rated'),
      col('catalogue_films', 'integer', 'films notés du catalogue', 'rated catalogue films'),
      col('top_share_pct', 'number', 'part parmi les mieux notés (%)', 'share among the best-rated (%)'),
      col('catalogue_share_pct', 'number', 'part dans le catalogue (%)', 'share in the catalogue (%)'),
      col('lift', 'number', 'rapport des deux parts', 'ratio of the two shares'),
    ],
    orderBy: ['dimension', 'lift desc', 'value'],
  },
  {
    name: 'money_by_genre',
    view: 'money_by_genre',
    title: t('Budgets et recettes par genre', 'Budget and revenue by genre'),
    description: t(
      'Budget, recettes et rentabilité (recettes / budget) des films selon TMDB, par genre IMDb ; les montants inconnus (ou sous 1 000 USD, des valeurs de remplissage) sont exclus et comptés.',
      'Budget, revenue and return (revenue / budget) of films according to TMDB, per IMDb genre; unknown amounts (or under 1,000 USD, placeholders) are left out and counted.',
    ),
    columns: [col('genre', 'text', 'genre IMDb', 'IMDb genre'), ...MONEY_COLUMNS],
    orderBy: ['films desc', 'genre'],
  },
  {
    name: 'money_by_decade',
    view: 'money_by_decade',
    title: t('Budgets et recettes par décennie', 'Budget and revenue by decade'),
    description: t(
      'Budget, recettes et rentabilité des films selon TMDB, par décennie de sortie ; montants inconnus exclus et comptés (dollars courants, non corrigés de l’inflation).',
      'Budget, revenue and return of films according to TMDB, per release decade; unknown amounts left out and counted (current dollars, not adjusted for inflation).',
    ),
    columns: [DECADE, ...MONEY_COLUMNS],
    orderBy: ['decade'],
  },
  {
    name: 'france_vs_us',
    view: 'france_vs_us',
    title: t('Productions françaises et américaines', 'French and US productions'),
    description: t(
      'Par décennie, les films produits (ou coproduits) en France et aux États-Unis selon TMDB : nombre, part des films de la décennie, note moyenne, budget médian.',
      'Per decade, films produced (or co-produced) in France and in the US according to TMDB: count, share of the decade’s films, mean rating, median budget.',
    ),
    columns: [
      DECADE,
      col('country', 'text', 'FR ou US', 'FR or US'),
      col('films', 'integer', 'films', 'films'),
      col('share_pct', 'number', 'part des films de la décennie connus de TMDB (%)', 'share of the decade’s films known to TMDB (%)'),
      col('mean_rating', 'number', 'note IMDb moyenne', 'mean IMDb rating'),
      col('budget_known', 'integer', 'films au budget connu', 'films with a known budget'),
      col('median_budget', 'number', 'budget médian (USD)', 'median budget (USD)'),
    ],
    orderBy: ['decade', 'country'],
  },
  {
    name: 'programming_hints',
    view: 'programming_hints',
    title: t('Pistes de programmation', 'Programming hints'),
    description: t(
      'Les décennies et genres à la fois bien notés et beaucoup votés : note pondérée moyenne comparée au catalogue, votes médians comparés au catalogue ; « recommended » quand les deux dépassent le catalogue sur au moins 10 films.',
      'Decades and genres both well rated and much voted: mean weighted rating against the catalogue, median votes against the catalogue; "recommended" when both beat the catalogue over at least 10 films.',
    ),
    columns: [
      col('dimension', 'text', 'decade ou genre', 'decade or genre'),
      col('value', 'text', 'la décennie ou le genre', 'the decade or genre'),
      col('films', 'integer', 'films notés', 'rated films'),
      col('mean_weighted_rating', 'number', 'note pondérée moyenne', 'mean weighted rating'),
      col('rating_gap', 'number', 'écart à la note pondérée moyenne du catalogue', 'difference from the catalogue’s mean weighted rating'),
      col('median_votes', 'number', 'votes médians par film', 'median votes per film'),
      col('votes_ratio', 'number', 'votes médians rapportés à ceux du catalogue', 'median votes relative to the catalogue’s'),
      col('score', 'number', 'rang moyen dans sa dimension, note et votes (1 = le meilleur des deux)', 'mean rank within its dimension on rating and votes (1 = best on both)'),
      col('recommended', 'boolean', 'bien noté et beaucoup voté', 'well rated and much voted'),
    ],
    orderBy: ['dimension', 'score desc', 'value'],
  },
];

export function findKpi(name: string): KpiDefinition | undefined {
  return KPI_CATALOGUE.find((kpi) => kpi.name === name);
}
