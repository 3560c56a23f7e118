import { barH } from '../charts';
import { decadeFr, int } from '../french';
import type { Row } from '../report.repository';
import type { SectionBuilder } from './section';

export const topActors: SectionBuilder = ({ get }) => {
  const data = get('top_actors');
  const best = (c: string) => data.find((r) => r.category === c && r.rank === 1);
  const describe = (r: Row | undefined, who: string) =>
    r
      ? `${who} : ${r.name}, ${int(r.films)} films de ${r.first_year ?? '?'} à ${r.last_year ?? '?'}, surtout dans les ${decadeFr(r.peak_decade)} (${int(r.peak_decade_films)} films).`
      : `${who} : aucun rôle dans les crédits chargés.`;
  const chart = data.filter((r) => r.rank <= 12).map((r) => ({ name: r.name, films: r.films, category: r.category === 'actress' ? 'Actrices' : 'Acteurs' }));
  const unnamed = data.filter((r) => r.name === r.nconst).length;
  return {
    kpi: 'top_actors',
    spec: barH(chart, { y: 'name', x: 'films', yTitle: null, xTitle: 'Films du catalogue', color: 'category' }),
    conclusion: [
      describe(best('actor'), 'L’acteur le plus présent'),
      describe(best('actress'), 'L’actrice la plus présente'),
      ...(unnamed ? [`${int(unnamed)} des ${int(data.length)} personnes listées n’ont pas de fiche dans name.basics : leur identifiant IMDb remplace le nom.`] : []),
    ],
  };
};
