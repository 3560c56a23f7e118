import { describe, expect, it } from '@jest/globals';
import { frenchProblem } from './problems';

// The messages are the API's as it writes them (programme.service.ts, screening-csv.ts, fastify's
// schema check); the browser spec sees the same through the real gateway.
describe('the editor says the API’s refusals in French, naming the field', () => {
  it('names the form’s field for a JSON body', () => {
    expect(frenchProblem('body/room: no room named "Salle 9"')).toEqual({ field: 'room', text: 'Salle : aucune salle ne s’appelle « Salle 9 » (ajoutez-la d’abord dans « Les salles »).' });
    expect(frenchProblem('body/tconst: tt9999999 is not a film of the imported IMDb files').text).toBe(
      'Film : tt9999999 n’est pas un film des fichiers IMDb importés (vérifiez le numéro dans l’adresse IMDb du film).',
    );
    // A clash names the séance it meets, at the cinema's local time.
    expect(frenchProblem('body/startsAt: the room already has a séance at 2026-12-16T20:30:00+01:00')).toEqual({
      field: 'startsAt',
      text: 'Date et heure : la salle a déjà une séance le mer. 16 déc. 20:30 ; choisissez une autre heure ou une autre salle.',
    });
  });

  it('turns the schema’s refusals into the field’s rule', () => {
    expect(frenchProblem('body/bookingUrl must match pattern "^https://[^\\s]+$"').text).toBe('Lien de réservation : doit être une adresse commençant par https://.');
    expect(frenchProblem('body/priceNote must NOT have more than 200 characters').text).toBe('Note de tarif : 200 caractères au plus.');
    expect(frenchProblem('body/version must be equal to one of the allowed values').text).toBe('Version : doit être VF, VOST ou VO.');
    expect(frenchProblem('body/labels/0 must be equal to one of the allowed values')).toMatchObject({ field: 'labels' });
    expect(frenchProblem("body must have required property 'room'")).toEqual({ field: 'room', text: 'Salle : est obligatoire.' });
    expect(frenchProblem('body/seats must be <= 5000').text).toBe('Places : 5000 au plus.');
  });

  it('names the line and the column of a CSV file, and says nothing was saved', () => {
    expect(frenchProblem('line 3, field room: no room named "Grande salle"')).toEqual({
      field: 'room',
      text: 'Ligne 3 du fichier, colonne « room » (la salle) : aucune salle ne s’appelle « Grande salle » (ajoutez-la d’abord dans « Les salles »). Rien n’a été enregistré : corrigez le fichier, puis importez-le de nouveau.',
    });
    expect(frenchProblem('line 4, field time: "25:00" is not a time HH:MM').text).toMatch(/^Ligne 4 du fichier, colonne « time » \(l’heure\) : « 25:00 » n’est pas une heure écrite HH:MM/);
    expect(frenchProblem('line 2, field booking_url: must match pattern "^https://[^\\s]+$"').text).toMatch(/^Ligne 2 du fichier, colonne « booking_url » \(le lien de réservation\) : doit être une adresse commençant par https:\/\//);
    expect(frenchProblem('line 1, field salle: unknown column; the columns are date,time,tconst').text).toMatch(/^Ligne 1 du fichier, colonne « salle » : colonne inconnue ; les colonnes possibles sont date, time, tconst\./);
  });

  it('says the messages without a field in French, and keeps an unknown one as a detail', () => {
    expect(frenchProblem('a room named "Salle 1" exists already')).toEqual({ field: null, text: 'Une salle s’appelle déjà « Salle 1 » : choisissez un autre nom.' });
    expect(frenchProblem('séance 12 is cancelled; add a new one instead').text).toMatch(/^Cette séance est annulée/);
    expect(frenchProblem('body/priceNote something new')).toEqual({ field: 'priceNote', text: 'Note de tarif : valeur refusée (something new).' });
    expect(frenchProblem('something else')).toEqual({ field: null, text: 'La demande a été refusée (something else).' });
  });
});
