import { lines } from '../charts';
import { dec, pct } from '../french';
import { type SectionBuilder, sum } from './section';

export const actorAgeByDecade: SectionBuilder = ({ get }) => {
  const data = get('actor_age_by_decade').filter((r) => r.with_age > 0);
  const overall = (c: string) => {
    const rows = data.filter((r) => r.category === c);
    const n = sum(rows, 'with_age');
    return n ? { n, mean: sum(rows.map((r) => ({ x: r.mean_age * r.with_age })), 'x') / n } : null;
  };
  const actors = overall('actor');
  const actresses = overall('actress');
  const all = get('actor_age_by_decade');
  return {
    kpi: 'actor_age_by_decade',
    spec: lines(
      data.map((r) => ({ decade: r.decade, category: r.category === 'actress' ? 'Actrices' : 'Acteurs', age: r.mean_age })),
      { x: 'decade', y: 'age', series: 'category', xTitle: 'Décennie de sortie', yTitle: 'Âge moyen (ans)' },
    ),
    conclusion: [
      actors && actresses
        ? `À la sortie du film, les acteurs ont en moyenne ${dec(actors.mean)} ans et les actrices ${dec(actresses.mean)} ans : ${actresses.mean < actors.mean ? `les actrices sont plus jeunes de ${dec(actors.mean - actresses.mean)} ans` : `les actrices sont plus âgées de ${dec(actresses.mean - actors.mean)} ans`}.`
        : 'Trop peu d’années de naissance connues pour comparer.',
      ...(sum(all, 'appearances') > 0
        ? [`L’âge n’est connu que pour ${pct(sum(all, 'with_age'), sum(all, 'appearances'))} des rôles (année de naissance renseignée dans name.basics).`]
        : []),
    ],
  };
};
