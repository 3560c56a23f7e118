import { barH } from '../charts';
import { decadeFr, int, list } from '../french';
import type { SectionBuilder } from './section';

export const topActorsByDecade: SectionBuilder = ({ get }) => {
  const data = get('top_actors_by_decade');
  const leaders = data.filter((r) => r.rank === 1);
  const recent = [...new Set(leaders.map((r) => r.decade as number))].sort((a, b) => b - a).slice(0, 3);
  return {
    kpi: 'top_actors_by_decade',
    spec: barH(
      leaders.map((r) => ({ label: `${decadeFr(r.decade)} · ${r.name}`, films: r.films, category: r.category === 'actress' ? 'Actrices' : 'Acteurs' })),
      { y: 'label', x: 'films', yTitle: null, xTitle: 'Films dans la décennie (le premier de chaque décennie)', color: 'category', sort: false },
    ),
    conclusion: [
      recent.length
        ? `Les plus présents des dernières décennies : ${list(recent.map((d) => `${decadeFr(d)} : ${list(leaders.filter((r) => r.decade === d).map((r) => `${r.name} (${int(r.films)} films)`))}`))}.`
        : 'Pas de crédits d’acteurs datés.',
      ...(leaders.length
        ? [`D’une décennie à l’autre les noms changent : ${int(new Set(leaders.map((r) => r.nconst)).size)} personnes différentes occupent la première place de ${int(leaders.length)} classements.`]
        : []),
    ],
  };
};
