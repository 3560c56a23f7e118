import type { ScreeningLabelCode } from '@cine/common/contracts';

/** The label codes of the API, in the words the cinema uses. */
export const LABELS: Record<ScreeningLabelCode, string> = {
  'art-et-essai': 'Art et Essai',
  'cine-seniors': 'Ciné-seniors',
  'cine-gouter': 'Ciné-goûter',
  'avant-premiere': 'Avant-première',
  debat: 'Débat',
  patrimoine: 'Patrimoine',
};
export const LABEL_CODES = Object.keys(LABELS) as ScreeningLabelCode[];

/** Each version with what it means, for those who do not know the abbreviations. */
export const VERSIONS = {
  VF: 'Version française',
  VOST: 'Version originale sous-titrée',
  VO: 'Version originale',
} as const;

export const ACCESS = {
  sme: { short: 'SME', long: 'Sous-titres sourds et malentendants' },
  ad: { short: 'AD', long: 'Audiodescription' },
} as const;
