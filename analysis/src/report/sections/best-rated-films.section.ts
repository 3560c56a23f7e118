import { barH } from '../charts';
import { dec, int, pct } from '../french';
import type { SectionBuilder } from './section';

export const bestRatedFilms: SectionBuilder = ({ get }) => {
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
};
