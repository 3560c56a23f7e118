import { barV } from '../charts';
import { decadeFr, int, pct } from '../french';
import { byDesc, type SectionBuilder, sum } from './section';

export const catalogueByDecade: SectionBuilder = ({ get, films }) => {
  const data = get('catalogue_by_decade');
  const f = data.filter((r) => r.kind === 'film' && r.decade !== null).sort(byDesc('titles'));
  const unknown = data.find((r) => r.kind === 'film' && r.decade === null);
  const peak = f[0];
  const recent = f.filter((r) => r.decade >= 2000);
  return {
    kpi: 'catalogue_by_decade',
    spec: barV(
      data.filter((r) => r.decade !== null).map((r) => ({ decade: String(r.decade), kind: r.kind === 'film' ? 'Films' : 'Séries', titles: r.titles })),
      { x: 'decade', y: 'titles', xTitle: 'Décennie', yTitle: 'Titres', color: 'kind' },
    ),
    conclusion: [
      peak ? `La décennie la plus représentée est celle des ${decadeFr(peak.decade)} avec ${int(peak.titles)} films (${pct(peak.titles, films)}).` : 'Aucune date de sortie connue.',
      `Les films sortis depuis 2000 font ${pct(sum(recent, 'titles'), films)} du catalogue${unknown ? ` ; ${int(unknown.titles)} films n’ont pas d’année connue` : ''}.`,
    ],
  };
};
