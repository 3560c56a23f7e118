/**
 * IMDb's genre names and what a French reader calls them: one list for the page's filters, the
 * recommender's reasons, the report, the deck and (through `kpi.genre_fr`, which a migration holds
 * as its own copy and a spec checks against this one) the Grafana dashboards. Plain data, no
 * import: the customer page bundles it.
 */
export const GENRE_NAMES_FR: Readonly<Record<string, string>> = Object.freeze({
  Action: 'Action',
  Adult: 'Adulte',
  Adventure: 'Aventure',
  Animation: 'Animation',
  Biography: 'Biographie',
  Comedy: 'Comédie',
  Crime: 'Policier',
  Documentary: 'Documentaire',
  Drama: 'Drame',
  Family: 'Famille',
  Fantasy: 'Fantastique',
  'Film-Noir': 'Film noir',
  'Game-Show': 'Jeu télévisé',
  History: 'Histoire',
  Horror: 'Horreur',
  Music: 'Musique',
  Musical: 'Comédie musicale',
  Mystery: 'Mystère',
  News: 'Actualités',
  'Reality-TV': 'Téléréalité',
  Romance: 'Romance',
  'Sci-Fi': 'Science-fiction',
  Short: 'Court métrage',
  Sport: 'Sport',
  'Talk-Show': 'Talk-show',
  Thriller: 'Thriller',
  War: 'Guerre',
  Western: 'Western',
});

/** The French name of an IMDb genre; the name itself when the list has none. */
export function genreNameFr(genre: string): string {
  return GENRE_NAMES_FR[genre] ?? genre;
}
