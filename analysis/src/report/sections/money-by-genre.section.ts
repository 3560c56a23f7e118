import { barH } from '../charts';
import { dec, dollars, genreFr, int, list, pct } from '../french';
import { byDesc, type SectionBuilder, sum } from './section';

export const moneyByGenre: SectionBuilder = ({ get }) => {
  const data = get('money_by_genre').filter((r) => r.genre !== 'unknown');
  const withBudget = data.filter((r) => r.budget_known >= 3);
  const dear = [...withBudget].sort(byDesc('median_budget')).slice(0, 3);
  const roi = data.filter((r) => r.roi_known >= 3).sort(byDesc('median_roi')).slice(0, 3);
  const total = get('money_by_decade');
  const filmsT = sum(total, 'films');
  return {
    kpi: 'money_by_genre',
    spec: barH(
      withBudget.flatMap((r) => [
        { genre: genreFr(r.genre), what: 'Budget médian', usd: r.median_budget },
        ...(r.median_revenue === null ? [] : [{ genre: genreFr(r.genre), what: 'Recettes médianes', usd: r.median_revenue }]),
      ]),
      { y: 'genre', x: 'usd', yTitle: null, xTitle: 'Dollars (courants)', color: 'what', format: '~s' },
    ),
    conclusion: [
      filmsT
        ? `TMDB connaît ${int(filmsT)} films du catalogue ; le budget est inconnu pour ${pct(sum(total, 'budget_unknown'), filmsT)} d’entre eux et les recettes pour ${pct(sum(total, 'revenue_unknown'), filmsT)} : ces films sont exclus des médianes, et comptés.`
        : 'Aucune donnée TMDB chargée.',
      ...(dear.length ? [`Genres aux budgets médians les plus élevés : ${list(dear.map((r) => `${genreFr(r.genre).toLowerCase()} (${dollars(r.median_budget)})`))}.`] : []),
      ...(roi.length ? [`Meilleure rentabilité médiane (recettes / budget) : ${list(roi.map((r) => `${genreFr(r.genre).toLowerCase()} (×${dec(r.median_roi)})`))}.`] : []),
    ],
  };
};
