import { facetBars } from '../charts';
import { DIMENSIONS, list, valueFr } from '../french';
import { byDesc, type SectionBuilder } from './section';

export const programmingHints: SectionBuilder = ({ get }) => {
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
};
