import { barH } from '../charts';
import { int, pct } from '../french';
import { type SectionBuilder, sum } from './section';

export const actorsCinemaVsSeries: SectionBuilder = ({ get }) => {
  const data = get('actors_cinema_vs_series');
  const total = sum(data, 'people');
  const seg = (s: string) => data.find((r) => r.segment === s)?.people ?? 0;
  const label: Record<string, string> = { films_only: 'Cinéma seulement', series_only: 'Séries seulement', both: 'Les deux' };
  return {
    kpi: 'actors_cinema_vs_series',
    spec: barH(data.map((r) => ({ segment: label[r.segment] ?? r.segment, people: r.people })), { y: 'segment', x: 'people', yTitle: null, xTitle: 'Acteurs et actrices', sort: false }),
    conclusion: total === 0 ? ['Aucun crédit d’acteur ou d’actrice n’est chargé : importez title.principals pour cette comparaison.'] : [
      `Sur ${int(total)} acteurs et actrices, ${pct(seg('films_only'), total)} ne jouent qu’au cinéma, ${pct(seg('series_only'), total)} qu’en séries et ${pct(seg('both'), total)} dans les deux.`,
      seg('series_only') + seg('both') === 0
        ? 'Les crédits chargés ne couvrent aucune série : la comparaison attend un import complet des fichiers IMDb.'
        : seg('both') < 0.2 * total
          ? 'Jouer des deux côtés reste l’exception : le public retrouvera rarement au cinéma les visages de ses séries.'
          : 'Jouer des deux côtés est courant : le public retrouvera au cinéma des visages connus de ses séries.',
    ],
  };
};
