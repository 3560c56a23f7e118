import type { Rng } from './prng';
import type { TitleRecord } from './title-model';
import { TitleType } from './title-model';
import {
  CHARACTER_ROLES, DE_WORDS, EL_WORDS, EN_ADJECTIVES, EN_NOUNS, ES_WORDS, FIRST_NAMES_FEMALE, FIRST_NAMES_MALE,
  FR_ADJECTIVES, FR_NOUNS, FR_PHRASES, HI_WORDS, IT_WORDS, JA_WORDS, KO_WORDS, LAST_NAMES, MONTHS, NICKNAMES,
  QUOTED_TITLES, RU_WORDS,
} from './imdb-vocabulary';

/** Free text for titles, names and characters. Never a tab or a newline, by construction. */

/** Share of titles carrying a literal `"`; small, as in the real dump, but present at any scale. */
const QUOTED_SHARE = 0.002;

function englishTitle(rng: Rng): string {
  switch (rng.int(8)) {
    case 0:
      return `The ${rng.pick(EN_ADJECTIVES)} ${rng.pick(EN_NOUNS)}`;
    case 1:
      return `${rng.pick(EN_NOUNS)} of the ${rng.pick(EN_NOUNS)}`;
    case 2:
      return `${rng.pick(EN_ADJECTIVES)} ${rng.pick(EN_NOUNS)}`;
    case 3:
      return `The ${rng.pick(EN_NOUNS)}`;
    case 4:
      return `${rng.pick(EN_NOUNS)} ${2 + rng.int(4)}`;
    case 5:
      return `A ${rng.pick(EN_NOUNS)} in ${rng.pick(EN_NOUNS)}`;
    case 6:
      return `${rng.pick(EN_ADJECTIVES)} ${rng.pick(EN_NOUNS)}: ${rng.pick(EN_ADJECTIVES)} ${rng.pick(EN_NOUNS)}`;
    default:
      return `${rng.pick(EN_NOUNS)}`;
  }
}

function frenchTitle(rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
      return rng.pick(FR_PHRASES);
    case 1: {
      const first = rng.pick(FIRST_NAMES_FEMALE);
      return /^[AEIOUÉÈÊÂÎÔ]/.test(first) ? `Le Fabuleux Destin d'${first}` : `Le Fabuleux Destin de ${first}`;
    }
    case 2:
      return `La ${rng.pick(FR_ADJECTIVES)} ${rng.pick(FR_NOUNS)}`;
    case 3:
      return `${rng.pick(FR_NOUNS)} et ${rng.pick(FR_NOUNS)}`;
    case 4:
      return `Les ${rng.pick(FR_NOUNS)}s de ${rng.pick(LAST_NAMES)}`;
    default:
      return `${rng.pick(FR_NOUNS)}`;
  }
}

function wordsTitle(rng: Rng, words: readonly string[], joiner = ' '): string {
  return rng.chance(0.5) ? rng.pick(words) : rng.pick(words) + joiner + rng.pick(words);
}

/** A title in the language of an aka region, when we have words for it; null means "reuse". */
export function regionalTitle(rng: Rng, region: string): string | null {
  switch (region) {
    case 'FR':
    case 'BE':
      return frenchTitle(rng);
    case 'DE':
    case 'AT':
      return wordsTitle(rng, DE_WORDS);
    case 'ES':
    case 'MX':
    case 'AR':
      return wordsTitle(rng, ES_WORDS);
    case 'IT':
      return wordsTitle(rng, IT_WORDS);
    case 'JP':
      return wordsTitle(rng, JA_WORDS, 'の');
    case 'RU':
    case 'UA':
    case 'SUHH':
      return wordsTitle(rng, RU_WORDS);
    case 'GR':
      return wordsTitle(rng, EL_WORDS);
    case 'KR':
      return wordsTitle(rng, KO_WORDS);
    case 'IN':
      return rng.chance(0.5) ? wordsTitle(rng, HI_WORDS) : null;
    default:
      return null;
  }
}

/** Writes primaryTitle and originalTitle of `t` into `out` (reused to avoid allocation). */
export function titleTexts(rng: Rng, t: TitleRecord, out: { primary: string; original: string }): void {
  if (t.type === TitleType.tvEpisode) {
    const u = rng.float();
    let s: string;
    if (u < 0.42 && t.season > 0) s = `Episode #${t.season}.${t.episode}`;
    else if (u < 0.55) s = `Episode dated ${1 + rng.int(28)} ${rng.pick(MONTHS)} ${t.startYear || 2000 + rng.int(25)}`;
    else if (u < 0.6) s = `Épisode ${t.episode || 1 + rng.int(30)}`;
    else s = rng.chance(0.1) ? frenchTitle(rng) : englishTitle(rng);
    out.primary = s;
    out.original = s;
    return;
  }
  if (rng.chance(QUOTED_SHARE)) {
    out.primary = rng.pick(QUOTED_TITLES);
    out.original = out.primary;
    return;
  }
  const u = rng.float();
  if (u < 0.08) {
    // French production: the English display title differs from the original.
    out.original = frenchTitle(rng);
    out.primary = rng.chance(0.5) ? out.original : englishTitle(rng);
  } else if (u < 0.13) {
    out.original = rng.chance(0.5) ? wordsTitle(rng, JA_WORDS, 'の') : wordsTitle(rng, rng.chance(0.5) ? DE_WORDS : ES_WORDS);
    out.primary = englishTitle(rng);
  } else {
    out.primary = englishTitle(rng);
    out.original = out.primary;
  }
}

export function personName(rng: Rng, female: boolean): string {
  const first = rng.pick(female ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE);
  const last = rng.pick(LAST_NAMES);
  const u = rng.float();
  if (u < 0.001) return `${first} "${rng.pick(NICKNAMES)}" ${last}`;
  if (u < 0.08) return `${first} ${String.fromCharCode(65 + rng.int(26))}. ${last}`;
  if (u < 0.12) return `${first}-${rng.pick(female ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE)} ${last}`;
  return `${first} ${last}`;
}

/** The `characters` field: JSON array text, as IMDb writes it. */
export function charactersField(rng: Rng, female: boolean): string {
  const u = rng.float();
  if (u < 0.05) return '\\N';
  const one = (): string =>
    rng.chance(0.4) ? rng.pick(CHARACTER_ROLES) : rng.pick(female ? FIRST_NAMES_FEMALE : FIRST_NAMES_MALE) + (rng.chance(0.5) ? ' ' + rng.pick(LAST_NAMES) : '');
  return u < 0.12 ? `["${one()}","${one()}"]` : `["${one()}"]`;
}
