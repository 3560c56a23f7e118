import type { Screening } from '@cine/common';
import { programmeJsonLd } from './screening-json-ld';

function screening(over: Partial<Screening>): Screening {
  return {
    id: '7',
    film: {
      tconst: 'tt0068646',
      title: 'Le Parrain',
      primaryTitle: 'The Godfather',
      originalTitle: 'The Godfather',
      frenchTitle: 'Le Parrain',
      year: 1972,
      runtimeMinutes: 175,
      genres: ['Crime', 'Drama'],
      poster: { w185: '/posters/w185/tt0068646.jpg', w342: '/posters/w342/tt0068646.jpg', w500: '/posters/w500/tt0068646.jpg' },
      originalLanguage: 'en',
    },
    startsAt: '2027-10-31T20:30:00+01:00',
    endsAt: '2027-10-31T23:25:00+01:00',
    room: 'Salle 1',
    version: 'VOST',
    format: '2D',
    accessibility: { sme: false, ad: false },
    labels: [],
    priceNote: null,
    bookingUrl: 'https://billets.example/7',
    status: 'scheduled',
    icsUrl: '/api/v1/screenings/7.ics',
    ...over,
  };
}

describe('programme JSON-LD (schema.org)', () => {
  const theater = { name: 'Ciné Creuse', url: 'https://cinema.example/programme' };

  it('builds a MovieTheater and one ScreeningEvent per séance, in the shapes search engines read', () => {
    const ld = programmeJsonLd(theater, [screening({}), screening({ id: '8', version: 'VF', status: 'cancelled', bookingUrl: null })]);
    expect(ld['@context']).toBe('https://schema.org');
    const [place, vost, vf] = ld['@graph'] as Array<Record<string, unknown>>;
    expect(place).toEqual({ '@type': 'MovieTheater', '@id': 'https://cinema.example/programme#cinema', name: 'Ciné Creuse', url: 'https://cinema.example/programme' });
    expect(vost).toEqual({
      '@type': 'ScreeningEvent',
      '@id': 'https://cinema.example/api/v1/screenings/7.ics',
      name: 'Le Parrain (VOST)',
      startDate: '2027-10-31T20:30:00+01:00',
      endDate: '2027-10-31T23:25:00+01:00',
      eventStatus: 'https://schema.org/EventScheduled',
      eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
      location: { '@type': 'MovieTheater', '@id': 'https://cinema.example/programme#cinema', name: 'Ciné Creuse', containsPlace: { '@type': 'Place', name: 'Salle 1' } },
      videoFormat: '2D',
      inLanguage: 'en',
      subtitleLanguage: 'fr',
      workPresented: {
        '@type': 'Movie',
        name: 'Le Parrain',
        sameAs: 'https://www.imdb.com/title/tt0068646/',
        dateCreated: '1972',
        duration: 'PT2H55M',
        genre: ['Crime', 'Drama'],
        image: 'https://cinema.example/posters/w342/tt0068646.jpg',
      },
      offers: { '@type': 'Offer', url: 'https://billets.example/7' },
    });
    expect(vf).toMatchObject({ eventStatus: 'https://schema.org/EventCancelled', inLanguage: 'fr' });
    expect(vf).not.toHaveProperty('subtitleLanguage');
    expect(vf).not.toHaveProperty('offers');
    // What the page embeds must survive JSON: no undefined, no Date.
    expect(JSON.parse(JSON.stringify(ld))).toEqual(ld);
  });

  it('leaves out the language of a VO whose original language is unknown', () => {
    const ld = programmeJsonLd(theater, [screening({ version: 'VO', film: { ...screening({}).film, originalLanguage: null, runtimeMinutes: null, poster: null } })]);
    const event = (ld['@graph'] as Array<Record<string, unknown>>)[1]!;
    expect(event).not.toHaveProperty('inLanguage');
    expect(event).not.toHaveProperty('subtitleLanguage');
    expect(event.workPresented).not.toHaveProperty('duration');
  });
});
