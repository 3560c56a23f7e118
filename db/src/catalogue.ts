/** Names shared by the code that loads and swaps the catalogue (mirrors the first migration). */
export const CATALOGUE_SCHEMAS = ['catalogue_a', 'catalogue_b'] as const;
export type CatalogueSchema = (typeof CATALOGUE_SCHEMAS)[number];
/** `film_index` comes from a later migration (20261209090000_film_index), swapped with the rest. */
export const CATALOGUE_TABLES = ['title', 'title_aka', 'person', 'credit', 'crew', 'film_index'] as const;
export type CatalogueTable = (typeof CATALOGUE_TABLES)[number];

export function otherSchema(schema: CatalogueSchema): CatalogueSchema {
  return schema === 'catalogue_a' ? 'catalogue_b' : 'catalogue_a';
}
