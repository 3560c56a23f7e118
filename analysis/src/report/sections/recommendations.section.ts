import { dec, int, list, valueFr } from '../french';
import { byDesc, type SectionContext, sum } from './section';

/** The programming recommendations, from the programming hints and the best-rated films. */
export function recommendations({ get, films }: SectionContext): string[] {
  const hints = get('programming_hints').filter((r) => r.recommended).sort(byDesc('score'));
  const decades = hints.filter((r) => r.dimension === 'decade').slice(0, 3);
  const genres = hints.filter((r) => r.dimension === 'genre').slice(0, 3);
  const best = get('best_rated_films');
  const out: string[] = [];
  for (const d of decades) {
    const picks = best.filter((f) => f.year !== null && Math.floor(f.year / 10) * 10 === Number(d.value)).slice(0, 3);
    out.push(
      `Un cycle « ${valueFr('decade', d.value)} » : la décennie est mieux notée que le catalogue (+${dec(d.rating_gap, 2)} de note pondérée) et beaucoup votée${picks.length ? ` ; à l’affiche par exemple ${list(picks.map((f) => `${f.title} (${f.year})`))}` : ''}.`,
    );
  }
  for (const g of genres) {
    const picks = best.filter((f) => (f.genres as string[]).includes(g.value)).slice(0, 3);
    out.push(
      `Une soirée ${valueFr('genre', g.value).toLowerCase()} : ${int(g.films)} films notés, mieux notés et plus votés que la moyenne${picks.length ? ` ; par exemple ${list(picks.map((f) => `${f.title} (${f.year})`))}` : ''}.`,
    );
  }
  const fr = get('france_vs_us').filter((r) => r.country === 'FR');
  const frFilms = sum(fr, 'films');
  out.push(
    `Le cinéma français : le public creusois, âgé, est d’abord celui des films français (étude de marché). Le catalogue en compte ${int(frFilms)} connus de TMDB ; afficher leur titre français et privilégier les séances de l’après-midi.`,
  );
  const heritage = best.filter((f) => (f.year ?? 9999) < 1980).slice(0, 3);
  if (heritage.length) {
    out.push(`Des reprises de patrimoine (revoir un film culte motive 74 % des plus de 50 ans) : ${list(heritage.map((f) => `${f.title} (${f.year})`))}.`);
  }
  if (films === 0) return ['Aucun film chargé : importez le catalogue avant de lire ces recommandations.'];
  return out;
}
