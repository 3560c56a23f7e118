import type { ReasonPart } from '@cine/common';
import { genreNameFr } from '@cine/common/genres';
import type { FilmFacts } from './reasons.repository';

/**
 * Reasons compare a recommended film with the liked ones, fact by fact, strongest first; each
 * part names the liked films it comes from. The readable line shows the first three.
 */
const LANGUAGE: Record<string, [string, string]> = {
  fr: ['français', 'French'], it: ['italien', 'Italian'], es: ['espagnol', 'Spanish'], de: ['allemand', 'German'],
  ja: ['japonais', 'Japanese'], ko: ['coréen', 'Korean'], zh: ['chinois', 'Chinese'], sv: ['suédois', 'Swedish'],
  da: ['danois', 'Danish'], ru: ['russe', 'Russian'], pt: ['portugais', 'Portuguese'], hi: ['hindi', 'Hindi'],
  en: ['anglais', 'English'],
};
const COUNTRY: Record<string, [string, string]> = {
  FR: ['France', 'France'], BE: ['Belgique', 'Belgium'], CH: ['Suisse', 'Switzerland'], IT: ['Italie', 'Italy'],
  ES: ['Espagne', 'Spain'], DE: ['Allemagne', 'Germany'], GB: ['Royaume-Uni', 'United Kingdom'], US: ['États-Unis', 'United States'],
  JP: ['Japon', 'Japan'], CA: ['Canada', 'Canada'], KR: ['Corée du Sud', 'South Korea'],
};

function sharedPeople(rec: Map<string, string>, liked: FilmFacts[], pick: (f: FilmFacts) => Map<string, string>) {
  const names: string[] = [];
  const because = new Set<string>();
  for (const [nconst, name] of rec) {
    const from = liked.filter((f) => pick(f).has(nconst));
    if (from.length === 0) continue;
    names.push(name);
    for (const f of from) because.add(f.tconst);
  }
  return { names, because: [...because] };
}

export function reasonParts(rec: FilmFacts, liked: FilmFacts[]): ReasonPart[] {
  const parts: ReasonPart[] = [];
  if (rec.collection) {
    const from = liked.filter((f) => f.collection === rec.collection).map((f) => f.tconst);
    if (from.length > 0) parts.push({ kind: 'collection', values: [rec.collection], because: from });
  }
  for (const [kind, pick] of [
    ['director', (f: FilmFacts) => f.directors],
    ['cast', (f: FilmFacts) => f.cast],
    ['writer', (f: FilmFacts) => f.writers],
  ] as const) {
    const shared = sharedPeople(pick(rec), liked, pick);
    // A director who also wrote is named once, as director.
    const names = kind === 'writer' ? shared.names.filter((n) => ![...rec.directors.values()].includes(n)) : shared.names;
    if (names.length > 0) parts.push({ kind, values: names, because: shared.because });
  }
  const likedGenres = new Set(liked.flatMap((f) => f.genres));
  const genres = rec.genres.filter((g) => likedGenres.has(g));
  if (genres.length > 0) {
    parts.push({ kind: 'genres', values: genres, because: liked.filter((f) => f.genres.some((g) => genres.includes(g))).map((f) => f.tconst) });
  }
  if (rec.year !== null) {
    const decade = Math.floor(rec.year / 10) * 10;
    const from = liked.filter((f) => f.year !== null && Math.floor(f.year / 10) * 10 === decade).map((f) => f.tconst);
    if (from.length > 0) parts.push({ kind: 'decade', values: [String(decade)], because: from });
  }
  if (rec.language && rec.language !== 'en') {
    const from = liked.filter((f) => f.language === rec.language).map((f) => f.tconst);
    if (from.length > 0) parts.push({ kind: 'language', values: [rec.language], because: from });
  }
  const countries = rec.countries.filter((c) => c !== 'US' && liked.some((f) => f.countries.includes(c)));
  if (countries.length > 0 && !parts.some((p) => p.kind === 'language')) {
    parts.push({ kind: 'country', values: countries, because: liked.filter((f) => f.countries.some((c) => countries.includes(c))).map((f) => f.tconst) });
  }
  return parts;
}

export function similarPart(closest: FilmFacts): ReasonPart {
  return { kind: 'similar', values: [closest.title], because: [closest.tconst] };
}

/**
 * The collaborative block carried the film: the liked film it was most often liked with in the
 * taste store, and how many visits liked both (values: title, count).
 */
export function coLikePart(withFilm: FilmFacts, visits: number): ReasonPart {
  return { kind: 'colike', values: [withFilm.title, String(visits)], because: [withFilm.tconst] };
}

export function popularPart(rating: number | null, votes: number): ReasonPart {
  return { kind: 'popular', values: [rating === null ? '' : rating.toFixed(1), String(votes)] };
}

const list = (values: string[], max = 3) => values.slice(0, max).join(', ');
const frNumber = (n: number) => n.toLocaleString('fr-FR');

function line(part: ReasonPart): { fr: string; en: string } {
  const v = part.values;
  const n = v.length;
  switch (part.kind) {
    case 'collection':
      return { fr: `Même saga : ${v[0]}`, en: `Same series: ${v[0]}` };
    case 'director':
      return n === 1 ? { fr: `Même réalisateur : ${v[0]}`, en: `Same director: ${v[0]}` } : { fr: `Mêmes réalisateurs : ${list(v)}`, en: `Same directors: ${list(v)}` };
    case 'writer':
      return n === 1 ? { fr: `Même scénariste : ${v[0]}`, en: `Same writer: ${v[0]}` } : { fr: `Mêmes scénaristes : ${list(v)}`, en: `Same writers: ${list(v)}` };
    case 'cast':
      return n === 1
        ? { fr: `Acteur en commun : ${v[0]}`, en: `Shared actor: ${v[0]}` }
        : { fr: `${n} acteurs en commun : ${list(v)}`, en: `${n} actors in common: ${list(v)}` };
    case 'genres': {
      const fr = v.map(genreNameFr);
      return n === 1 ? { fr: `Genre commun : ${fr[0]}`, en: `Shared genre: ${v[0]}` } : { fr: `Genres communs : ${list(fr)}`, en: `Shared genres: ${list(v)}` };
    }
    case 'decade':
      return { fr: `Même décennie (années ${v[0]})`, en: `Same decade (${v[0]}s)` };
    case 'language': {
      const [fr, en] = LANGUAGE[v[0]!] ?? [v[0]!, v[0]!];
      return { fr: `Même langue originale : ${fr}`, en: `Same original language: ${en}` };
    }
    case 'country': {
      const names = v.map((c): [string, string] => COUNTRY[c] ?? [c, c]);
      return { fr: `Même pays : ${list(names.map(([fr]) => fr))}`, en: `Same country: ${list(names.map(([, en]) => en))}` };
    }
    case 'popular': {
      const [rating, votes] = v;
      const count = Number(votes);
      return rating
        ? { fr: `Très apprécié : ${rating.replace('.', ',')}/10 (${frNumber(count)} votes)`, en: `Much liked: ${rating}/10 (${count.toLocaleString('en-US')} votes)` }
        : { fr: 'Très apprécié du public', en: 'Much liked by the audience' };
    }
    case 'similar':
      return { fr: `Proche de : ${v[0]}`, en: `Close to: ${v[0]}` };
    case 'colike': {
      const count = Number(v[1]);
      return count === 1
        ? { fr: `Souvent aimé avec : ${v[0]} (1 visiteur)`, en: `Often liked with: ${v[0]} (1 visitor)` }
        : { fr: `Souvent aimé avec : ${v[0]} (${frNumber(count)} visiteurs)`, en: `Often liked with: ${v[0]} (${count.toLocaleString('en-US')} visitors)` };
    }
  }
}

export function reasonLine(parts: ReasonPart[]): { fr: string; en: string } {
  const lines = parts.slice(0, 3).map(line);
  return { fr: lines.map((l) => l.fr).join(' · '), en: lines.map((l) => l.en).join(' · ') };
}
