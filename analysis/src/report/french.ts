import { GENRE_NAMES_FR } from '@cine/common/genres';

/** Words and numbers as a French reader expects them. */

/** IMDb's genre names and the French ones the report writes (the dashboards' `kpi.genre_fr` must agree): common's one list, with the report's word for a title without genre. */
export const GENRE_NAMES: Readonly<Record<string, string>> = { ...GENRE_NAMES_FR, unknown: 'Sans genre' };

export const genreFr = (g: string): string => GENRE_NAMES[g] ?? g;

const COUNTRIES: Record<string, string> = {
  FR: 'France', US: 'États-Unis', GB: 'Royaume-Uni', DE: 'Allemagne', IT: 'Italie', JP: 'Japon', ES: 'Espagne', IN: 'Inde',
  CA: 'Canada', BE: 'Belgique', CH: 'Suisse', NZ: 'Nouvelle-Zélande', AU: 'Australie', MX: 'Mexique', SE: 'Suède', DK: 'Danemark',
  KR: 'Corée du Sud', CN: 'Chine', HK: 'Hong Kong', RU: 'Russie', SU: 'URSS', BR: 'Brésil', AR: 'Argentine', IE: 'Irlande',
};
const LANGUAGES: Record<string, string> = {
  fr: 'français', en: 'anglais', de: 'allemand', it: 'italien', es: 'espagnol', ja: 'japonais', bn: 'bengali', hi: 'hindi',
  ko: 'coréen', zh: 'chinois', ru: 'russe', sv: 'suédois', da: 'danois', pt: 'portugais', cn: 'cantonais', nl: 'néerlandais',
};
const RUNTIME_BANDS: Record<string, string> = { under_90: 'moins de 90 min', '90_119': '90 à 119 min', '120_149': '120 à 149 min', '150_plus': '150 min et plus' };
const TITLE_TYPES: Record<string, string> = { movie: 'Films', tvSeries: 'Séries', tvMiniSeries: 'Mini-séries' };
export const titleTypeFr = (t: string): string => TITLE_TYPES[t] ?? t;
export const categoryFr = (c: string): string => (c === 'actress' ? 'actrice' : c === 'actor' ? 'acteur' : c);

/** A value of a lift or hint dimension, in words. */
export function valueFr(dimension: string, value: string): string {
  switch (dimension) {
    case 'genre':
      return genreFr(value);
    case 'decade':
      return decadeFr(Number(value));
    case 'runtime_band':
      return RUNTIME_BANDS[value] ?? value;
    case 'country':
      return COUNTRIES[value] ?? value;
    case 'language':
      return LANGUAGES[value] ? `en ${LANGUAGES[value]}` : value;
    default:
      return value;
  }
}

export const DIMENSIONS: Record<string, string> = { genre: 'Genre', decade: 'Décennie', runtime_band: 'Durée', country: 'Pays de production', language: 'Langue originale' };

export function decadeFr(decade: number | null): string {
  if (decade === null || Number.isNaN(decade)) return 'date inconnue';
  // « années 30 » … « années 90 » are unambiguous; « années 10 » or « années 20 » are not.
  return decade >= 1930 && decade < 2000 ? `années ${String(decade).slice(2)}` : `années ${decade}`;
}

const integerFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 1, minimumFractionDigits: 1 });
// Intl's French group separator is a narrow no-break space; keep it, it never wraps a number.
export const int = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : integerFormat.format(n));
export const dec = (n: number | null | undefined, digits = 1): string =>
  n === null || n === undefined
    ? '—'
    : digits === 1
      ? decimalFormat.format(n)
      : new Intl.NumberFormat('fr-FR', { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
export const pct = (part: number, whole: number): string => (whole > 0 ? `${dec((100 * part) / whole)} %` : '—');

export function dollars(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n >= 1e9) return `${dec(n / 1e9)} Md$`;
  if (n >= 1e6) return `${dec(n / 1e6)} M$`;
  if (n >= 1e3) return `${int(n / 1e3)} k$`;
  return `${int(n)} $`;
}

/** "a, b et c" */
export function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} et ${items.at(-1)}`;
}

/** Why each import rule or ledger count exists, in the owner's words. Keys are the ledger's. */
export const FILTER_REASONS: Record<string, { label: string; reason: string; /** A rule that keeps titles: its count is added, not removed. */ keeps?: true }> = {
  'title-type': {
    label: 'Type de titre',
    reason: 'Un cinéma projette des longs métrages : seuls les films (movie) sont gardés, et les séries pour comparer les carrières. Courts métrages, épisodes, jeux vidéo et émissions sont écartés.',
  },
  adult: { label: 'Titre pour adultes', reason: 'Pas de place dans les recommandations d’un cinéma familial.' },
  'min-votes': {
    label: 'Trop peu de votes',
    reason: 'Un titre que presque personne n’a noté est inconnu du public et sa note n’est que du bruit.',
  },
  runtime: {
    label: 'Durée hors 40–360 min',
    reason: 'En dehors d’une durée de long métrage, ce sont des courts mal classés, des installations ou des erreurs ; une durée inconnue est gardée.',
  },
  overridden: {
    label: 'Remplacé par une source plus récente',
    reason: 'Le même identifiant apparaît dans plusieurs sources : la dernière l’emporte, la ligne ancienne est écartée.',
  },
  'title-not-kept': { label: 'Titre non retenu', reason: 'La ligne concerne un titre écarté par les règles ci-dessus.' },
  'dangling-title': { label: 'Titre inconnu', reason: 'La ligne renvoie à un titre absent de title.basics (fichiers coupés indépendamment).' },
  'not-french': { label: 'Titre non français', reason: 'Seuls les titres de la région FR ou en langue française servent : le public lit en français.' },
  'not-credited': { label: 'Personne non créditée', reason: 'Seules les personnes créditées sur un titre gardé sont utiles aux indicateurs.' },
  programmed: {
    label: 'Gardé : film programmé',
    reason: 'Un film qui a une séance (non annulée) au programme est gardé quels que soient ses votes, son type ou sa durée : le programme montre sa fiche.',
    keeps: true,
  },
  recent: {
    label: 'Gardé : sortie récente',
    reason: 'Un film de cette année ou de l’an dernier est gardé quels que soient ses votes : une sortie de la semaine n’en a que quelques centaines.',
    keeps: true,
  },
};
