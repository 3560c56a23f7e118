import { popularPart, reasonLine, reasonParts } from './reasons';
import type { FilmFacts } from './reasons.repository';

function film(tconst: string, over: Partial<FilmFacts>): FilmFacts {
  return {
    tconst, title: tconst, year: null, genres: [], collection: null, language: null, countries: [],
    directors: new Map(), writers: new Map(), cast: new Map(), ...over,
  };
}

describe('reasons', () => {
  const liked = film('tt1', {
    year: 1966, genres: ['Western', 'Drama'], collection: 'Dollars Trilogy', language: 'it', countries: ['IT', 'US'],
    directors: new Map([['nm1', 'Sergio Leone']]), cast: new Map([['nm2', 'Clint Eastwood'], ['nm3', 'Lee Van Cleef'], ['nm9', 'Eli Wallach']]),
  });
  const other = film('tt2', { year: 2001, genres: ['Comedy'], language: 'fr', countries: ['FR'] });

  it('names what a recommended film shares with the liked ones, strongest first, in French and English', () => {
    const rec = film('tt3', {
      year: 1965, genres: ['Western', 'Comedy'], collection: 'Dollars Trilogy', language: 'it', countries: ['IT', 'ES'],
      directors: new Map([['nm1', 'Sergio Leone']]), cast: new Map([['nm2', 'Clint Eastwood'], ['nm3', 'Lee Van Cleef'], ['nm4', 'Gian Maria Volonté']]),
    });
    const parts = reasonParts(rec, [liked, other]);
    expect(parts.map((p) => p.kind)).toEqual(['collection', 'director', 'cast', 'genres', 'decade', 'language']);
    expect(parts.find((p) => p.kind === 'cast')).toEqual({ kind: 'cast', values: ['Clint Eastwood', 'Lee Van Cleef'], because: ['tt1'] });
    expect(parts.find((p) => p.kind === 'genres')).toEqual({ kind: 'genres', values: ['Western', 'Comedy'], because: ['tt1', 'tt2'] });
    expect(reasonLine(parts)).toEqual({
      fr: 'Même saga : Dollars Trilogy · Même réalisateur : Sergio Leone · 2 acteurs en commun : Clint Eastwood, Lee Van Cleef',
      en: 'Same series: Dollars Trilogy · Same director: Sergio Leone · 2 actors in common: Clint Eastwood, Lee Van Cleef',
    });
  });

  it('says nothing that is not shared', () => {
    const rec = film('tt4', { year: 1980, genres: ['Horror'], language: 'en', countries: ['US'], directors: new Map([['nm7', 'John Carpenter']]) });
    expect(reasonParts(rec, [liked, other])).toEqual([]);
    const french = film('tt5', { year: 2003, genres: ['Drama'], countries: ['FR', 'BE'] });
    expect(reasonLine(reasonParts(french, [liked, other]))).toEqual({
      fr: 'Genre commun : Drame · Même décennie (années 2000) · Même pays : France',
      en: 'Shared genre: Drama · Same decade (2000s) · Same country: France',
    });
  });

  it('cold-start lines give the rating and the votes in each language’s format', () => {
    expect(reasonLine([popularPart(9.25, 1814613)])).toEqual({
      fr: 'Très apprécié : 9,3/10 (1\u202f814\u202f613 votes)',
      en: 'Much liked: 9.3/10 (1,814,613 votes)',
    });
  });
});
