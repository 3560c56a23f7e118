import { barV } from '../charts';
import { decadeFr, dollars, pct } from '../french';
import type { Row } from '../report.repository';
import { type SectionBuilder, sum } from './section';

export const moneyByDecade: SectionBuilder = ({ get }) => {
  const data = get('money_by_decade').filter((r) => r.decade !== null);
  const known = data.filter((r) => r.budget_known >= 3);
  const first = known[0];
  const last = known.at(-1);
  return {
    kpi: 'money_by_decade',
    spec: barV(
      data.flatMap((r) => [
        ...(r.median_budget === null ? [] : [{ decade: String(r.decade), what: 'Budget médian', usd: r.median_budget }]),
        ...(r.median_revenue === null ? [] : [{ decade: String(r.decade), what: 'Recettes médianes', usd: r.median_revenue }]),
      ]),
      { x: 'decade', y: 'usd', xTitle: 'Décennie', yTitle: 'Dollars (courants)', color: 'what', stack: false, format: '~s' },
    ),
    conclusion: [
      first && last && first !== last
        ? `Le budget médian passe de ${dollars(first.median_budget)} dans les ${decadeFr(first.decade)} à ${dollars(last.median_budget)} dans les ${decadeFr(last.decade)} (dollars courants, sans correction de l’inflation).`
        : 'Trop peu de budgets connus pour suivre une évolution.',
      ...(() => {
        const share = (rows: Row[]) => pct(sum(rows, 'budget_known'), sum(rows, 'films'));
        const old = data.filter((r) => r.decade < 1970);
        const recent = data.filter((r) => r.decade >= 1970);
        return old.length && recent.length ? [`Le budget est connu pour ${share(old)} des films sortis avant 1970 et ${share(recent)} des films plus récents.`] : [];
      })(),
    ],
  };
};
