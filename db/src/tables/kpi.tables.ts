/**
 * The KPI views (schema `kpi`) as Kysely sees them, one interface per KPI of `KPI_CATALOGUE`
 * (the migration `20261125100100_kpi` creates them). Every column may be null: an aggregate over
 * no known value is null. Gathered into `Database` in `database.ts`.
 */

export interface KpiCatalogueByTypeView {
  title_type: string | null;
  kind: string | null;
  titles: number | null;
  rated: number | null;
  mean_rating: number | null;
  votes: number | null;
}

export interface KpiCatalogueByGenreView {
  kind: string | null;
  genre: string | null;
  titles: number | null;
  mean_rating: number | null;
}

export interface KpiCatalogueByDecadeView {
  kind: string | null;
  decade: number | null;
  titles: number | null;
  mean_rating: number | null;
}

export interface KpiRuntimeByYearView {
  year: number | null;
  films: number | null;
  mean_runtime: number | null;
  median_runtime: number | null;
}

export interface KpiTopActorsView {
  category: string | null;
  rank: number | null;
  nconst: string | null;
  name: string | null;
  films: number | null;
  series: number | null;
  first_year: number | null;
  last_year: number | null;
  peak_decade: number | null;
  peak_decade_films: number | null;
}

export interface KpiTopActorsByDecadeView {
  decade: number | null;
  category: string | null;
  rank: number | null;
  nconst: string | null;
  name: string | null;
  films: number | null;
  career_films: number | null;
  first_year: number | null;
  last_year: number | null;
}

export interface KpiActorsCinemaVsSeriesView {
  segment: string | null;
  sort: number | null;
  people: number | null;
  share_pct: number | null;
}

export interface KpiActorsInBothView {
  rank: number | null;
  nconst: string | null;
  name: string | null;
  category: string | null;
  films: number | null;
  series: number | null;
}

export interface KpiActorAgeByDecadeView {
  decade: number | null;
  category: string | null;
  appearances: number | null;
  with_age: number | null;
  mean_age: number | null;
  median_age: number | null;
}

export interface KpiBestRatedFilmsView {
  rank: number | null;
  tconst: string | null;
  title: string | null;
  primary_title: string | null;
  year: number | null;
  genres: string[] | null;
  average_rating: number | null;
  num_votes: number | null;
  weighted_rating: number | null;
  min_votes: number | null;
  mean_rating: number | null;
}

export interface KpiBestRatedLiftView {
  dimension: string | null;
  value: string | null;
  top_films: number | null;
  catalogue_films: number | null;
  top_share_pct: number | null;
  catalogue_share_pct: number | null;
  lift: number | null;
}

export interface KpiMoneyByGenreView {
  genre: string | null;
  films: number | null;
  budget_known: number | null;
  budget_unknown: number | null;
  revenue_known: number | null;
  revenue_unknown: number | null;
  roi_known: number | null;
  median_budget: number | null;
  mean_budget: number | null;
  median_revenue: number | null;
  total_budget: number | null;
  total_revenue_with_budget: number | null;
  median_roi: number | null;
}

export interface KpiMoneyByDecadeView {
  decade: number | null;
  films: number | null;
  budget_known: number | null;
  budget_unknown: number | null;
  revenue_known: number | null;
  revenue_unknown: number | null;
  roi_known: number | null;
  median_budget: number | null;
  mean_budget: number | null;
  median_revenue: number | null;
  total_budget: number | null;
  total_revenue_with_budget: number | null;
  median_roi: number | null;
}

export interface KpiFranceVsUsView {
  decade: number | null;
  country: string | null;
  films: number | null;
  share_pct: number | null;
  mean_rating: number | null;
  budget_known: number | null;
  median_budget: number | null;
}

export interface KpiProgrammingHintsView {
  dimension: string | null;
  value: string | null;
  films: number | null;
  mean_weighted_rating: number | null;
  rating_gap: number | null;
  median_votes: number | null;
  votes_ratio: number | null;
  score: number | null;
  recommended: boolean | null;
}

export interface KpiTables {
  'kpi.catalogue_by_type': KpiCatalogueByTypeView;
  'kpi.catalogue_by_genre': KpiCatalogueByGenreView;
  'kpi.catalogue_by_decade': KpiCatalogueByDecadeView;
  'kpi.runtime_by_year': KpiRuntimeByYearView;
  'kpi.top_actors': KpiTopActorsView;
  'kpi.top_actors_by_decade': KpiTopActorsByDecadeView;
  'kpi.actors_cinema_vs_series': KpiActorsCinemaVsSeriesView;
  'kpi.actors_in_both': KpiActorsInBothView;
  'kpi.actor_age_by_decade': KpiActorAgeByDecadeView;
  'kpi.best_rated_films': KpiBestRatedFilmsView;
  'kpi.best_rated_lift': KpiBestRatedLiftView;
  'kpi.money_by_genre': KpiMoneyByGenreView;
  'kpi.money_by_decade': KpiMoneyByDecadeView;
  'kpi.france_vs_us': KpiFranceVsUsView;
  'kpi.programming_hints': KpiProgrammingHintsView;
}
