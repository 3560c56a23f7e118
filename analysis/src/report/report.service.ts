import { findKpi, KPI_CATALOGUE } from '@cine/db';
import { renderSvg } from './charts';
import type { KpiSection, ReportModel } from './report.model';
import type { ReportRepository, Row } from './report.repository';
import { actorAgeByDecade } from './sections/actor-age-by-decade.section';
import { actorsCinemaVsSeries } from './sections/actors-cinema-vs-series.section';
import { actorsInBoth } from './sections/actors-in-both.section';
import { bestRatedFilms } from './sections/best-rated-films.section';
import { bestRatedLift } from './sections/best-rated-lift.section';
import { catalogueByDecade } from './sections/catalogue-by-decade.section';
import { catalogueByGenre } from './sections/catalogue-by-genre.section';
import { catalogueByType } from './sections/catalogue-by-type.section';
import { franceVsUs } from './sections/france-vs-us.section';
import { moneyByDecade } from './sections/money-by-decade.section';
import { moneyByGenre } from './sections/money-by-genre.section';
import { programmingHints } from './sections/programming-hints.section';
import { runtimeByYear } from './sections/runtime-by-year.section';
import { topActorsByDecade } from './sections/top-actors-by-decade.section';
import { topActors } from './sections/top-actors.section';
import { ledgerSteps } from './sections/ledger.section';
import { recommendations } from './sections/recommendations.section';
import { type SectionBuilder, sum } from './sections/section';

/** The KPI sections in the report's order, one builder (and one file) each. */
const SECTIONS: SectionBuilder[] = [
  catalogueByType,
  catalogueByGenre,
  catalogueByDecade,
  runtimeByYear,
  topActors,
  topActorsByDecade,
  actorsCinemaVsSeries,
  actorsInBoth,
  actorAgeByDecade,
  bestRatedFilms,
  bestRatedLift,
  moneyByGenre,
  moneyByDecade,
  franceVsUs,
  programmingHints,
];

/** Reads every KPI once, then builds the report's sections from the rows (report.model.ts). */
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

    const ctx = { films, series, get };
    const sections: KpiSection[] = [];
    for (const builder of SECTIONS) {
      const { kpi, spec, conclusion } = builder(ctx);
      const def = findKpi(kpi)!;
      sections.push({ kpi, title: def.title.fr, description: def.description.fr, svg: await renderSvg(spec), conclusion });
    }
    return {
      generatedAt: now,
      catalogue: { films, series },
      policy: (runs.imdb?.run.policy as Record<string, unknown> | undefined) ?? null,
      ledger: { imdb: ledgerSteps(runs.imdb), tmdb: ledgerSteps(runs.tmdb), imdbRun: runs.imdb?.run ?? null, tmdbRun: runs.tmdb?.run ?? null },
      sections,
      recommendations: recommendations(ctx),
    };
  }
}
