import type { ScreeningWithFilmRow } from './programme.repository';
import { adminView, calendarEvent, customerView } from './screening.views';

const PARIS = 'Europe/Paris';

function row(over: Partial<ScreeningWithFilmRow>): ScreeningWithFilmRow {
  return {
    id: '12',
    tconst: 'tt0211915',
    starts_at: new Date('2027-03-28T18:30:00Z'),
    week_start: '2027-03-24',
    room: 'Salle 1',
    version: 'VF',
    format: '2D',
    sme: false,
    ad: true,
    labels: ['cine-seniors'],
    price_note: null,
    booking_url: null,
    status: 'scheduled',
    updated_at: new Date('2027-03-01T10:00:00Z'),
    primary_title: 'Amélie',
    original_title: "Le fabuleux destin d'Amélie Poulain",
    french_title: "Le Fabuleux Destin d'Amélie Poulain",
    start_year: 2001,
    runtime_minutes: 122,
    genres: ['Comedy', 'Romance'],
    poster_path: '/amelie.jpg',
    original_language: 'fr',
    index_title: 'Amélie',
    ...over,
  };
}

describe('séance views', () => {
  it('gives customers the French title, local times with offset, the end from the runtime and the poster route', () => {
    const view = customerView(row({}), PARIS);
    expect(view).toMatchObject({
      film: { title: "Le Fabuleux Destin d'Amélie Poulain", year: 2001, poster: { w342: '/posters/w342/tt0211915.jpg?v=amelie' } },
      startsAt: '2027-03-28T20:30:00+02:00',
      endsAt: '2027-03-28T22:32:00+02:00',
      accessibility: { sme: false, ad: true },
      icsUrl: '/api/v1/screenings/12.ics',
    });
  });

  it('keeps a séance whose film has left the catalogue readable: its tconst as title, 2 h long', () => {
    const gone = row({ primary_title: null, original_title: null, french_title: null, start_year: null, runtime_minutes: null, genres: null, poster_path: null, format: '3D', index_title: null });
    expect(customerView(gone, PARIS)).toMatchObject({ film: { title: 'tt0211915', genres: [], poster: null }, endsAt: '2027-03-28T22:30:00+02:00' });
    expect(adminView(gone, PARIS).title).toBeNull();
    expect(calendarEvent(gone, 'Ciné Creuse')).toMatchObject({ summary: 'tt0211915 (VF, 3D)', location: 'Salle 1, Ciné Creuse', end: new Date('2027-03-28T20:30:00Z') });
  });

  it('gives the owner the IMDb title of a film programmed from outside the catalogue; customers keep its tconst until the next import', () => {
    const outside = row({ primary_title: null, original_title: null, french_title: null, start_year: null, runtime_minutes: null, genres: null, poster_path: null, index_title: 'RoboCop' });
    expect(adminView(outside, PARIS).title).toBe('RoboCop');
    expect(customerView(outside, PARIS).film.title).toBe('tt0211915');
  });
});
