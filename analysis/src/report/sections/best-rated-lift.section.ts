import { facetBars } from '../charts';
import { dec, DIMENSIONS, list, valueFr } from '../french';
import { byDesc, minGroup, type SectionBuilder } from './section';

export const bestRatedLift: SectionBuilder = ({ get, films }) => {
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
};
