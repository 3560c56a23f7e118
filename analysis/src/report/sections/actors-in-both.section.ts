import { barH } from '../charts';
import { int } from '../french';
import type { SectionBuilder } from './section';

export const actorsInBoth: SectionBuilder = ({ get }) => {
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
};
