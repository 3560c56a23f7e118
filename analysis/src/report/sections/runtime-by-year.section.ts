import { lines } from '../charts';
import { int } from '../french';
import { type SectionBuilder, sum } from './section';

export const runtimeByYear: SectionBuilder = ({ get }) => {
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
};
