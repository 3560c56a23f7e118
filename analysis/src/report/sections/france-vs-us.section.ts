import { lines } from '../charts';
import { dec, decadeFr, int } from '../french';
import { byDesc, type SectionBuilder, sum } from './section';

export const franceVsUs: SectionBuilder = ({ get }) => {
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
};
