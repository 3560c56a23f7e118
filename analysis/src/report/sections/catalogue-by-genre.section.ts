import { barH } from '../charts';
import { dec, genreFr, int, list, pct } from '../french';
import { byDesc, minGroup, type SectionBuilder } from './section';

export const catalogueByGenre: SectionBuilder = ({ get, films }) => {
  const data = get('catalogue_by_genre').filter((r) => r.kind === 'film');
  const top = [...data].filter((r) => r.genre !== 'unknown').sort(byDesc('titles'));
  const unknown = data.find((r) => r.genre === 'unknown');
  const bestRated = top.filter((r) => r.titles >= minGroup(films) && r.mean_rating !== null).sort(byDesc('mean_rating'))[0];
  return {
    kpi: 'catalogue_by_genre',
    spec: barH(top.slice(0, 20).map((r) => ({ genre: genreFr(r.genre), films: r.titles })), { y: 'genre', x: 'films', yTitle: 'Genre', xTitle: 'Films' }),
    conclusion: [
      top.length
        ? `Les genres les plus fréquents parmi les films sont ${list(top.slice(0, 3).map((r) => `${genreFr(r.genre).toLowerCase()} (${int(r.titles)} films, ${pct(r.titles, films)})`))}. Un film pouvant avoir trois genres, les parts dépassent 100 % au total.`
        : 'Aucun genre connu.',
      ...(bestRated ? [`Parmi les genres d’au moins ${minGroup(films)} films, le mieux noté en moyenne est ${genreFr(bestRated.genre).toLowerCase()} (${dec(bestRated.mean_rating)}/10).`] : []),
      ...(unknown ? [`${int(unknown.titles)} films (${pct(unknown.titles, films)}) n’ont aucun genre dans IMDb.`] : []),
    ],
  };
};
