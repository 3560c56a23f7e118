import { barH } from '../charts';
import { dec, int, pct, titleTypeFr } from '../french';
import type { SectionBuilder } from './section';

export const catalogueByType: SectionBuilder = ({ get, films, series }) => {
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
};
