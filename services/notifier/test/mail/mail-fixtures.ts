import type { MatchedFilm } from '@cine/common';
import type { MailIdentity, MailView, OutgoingMail } from '../../src/mail/mail.contract';
import { composeMail } from '../../src/mail/mail.compose';

/** The cinema, films and séances the mail specs write about. */
export const IDENTITY: MailIdentity = {
  cinemaName: 'Ciné Creuse',
  cinemaAddress: '1 place du Marché\n23000 Guéret',
  from: '"Ciné Creuse" <programme@cine-creuse.test>',
  publicBaseUrl: 'https://cine-creuse.test',
};

export const MANAGE_URL = 'https://cine-creuse.test/abonnement#manage-token-0123456789abcdef';
export const UNSUBSCRIBE_URL = 'https://cine-creuse.test/u/unsubscribe-token-0123456789abcdef';
export const CONFIRM_URL = 'https://cine-creuse.test/abonnement/confirmer#confirm-token-0123456789abcdef';

/**
 * A film on Saturday 24 October 2026 at 20:30 (summer time, 18:30 UTC) and Monday 26 October at
 * 20:30 (winter time since the 25th, 19:30 UTC): both must read 20:30.
 */
export function clockChangeFilm(overrides: Partial<MatchedFilm> = {}): MatchedFilm {
  return {
    tconst: 'tt0060196',
    title: 'Le Bon, la Brute et le Truand',
    year: 1966,
    score: 0.91,
    reason: { fr: 'Même réalisateur : Sergio Leone', en: 'Same director: Sergio Leone' },
    reasons: [{ kind: 'director', values: ['Sergio Leone'], because: ['tt0064116'] }],
    posterUrl: null,
    screenings: [
      {
        id: 'scr-monday',
        startsAt: '2026-10-26T19:30:00.000Z',
        room: '2',
        version: 'VOST',
        accessibility: { sme: true, ad: false },
        icsUrl: 'https://cine-creuse.test/api/v1/programme/screenings/scr-monday.ics',
        bookingUrl: null,
      },
      {
        id: 'scr-saturday',
        startsAt: '2026-10-24T18:30:00.000Z',
        room: 'Grande salle',
        version: 'VF',
        accessibility: { sme: false, ad: true },
        icsUrl: 'https://cine-creuse.test/api/v1/programme/screenings/scr-saturday.ics',
        bookingUrl: 'https://billetterie.test/seance/42',
      },
    ],
    ...overrides,
  };
}

export function alertView(film: MatchedFilm = clockChangeFilm()): MailView {
  return { kind: 'alert', film, manageUrl: MANAGE_URL, unsubscribeUrl: UNSUBSCRIBE_URL };
}

/** An email as the notifier's jobs hand it to the sender. */
export function outgoing(view: MailView, to: string, key: string): OutgoingMail {
  const composed = composeMail(view, IDENTITY);
  const unsubscribeUrl = view.kind === 'confirmation' || view.kind === 'already-subscribed' ? null : view.unsubscribeUrl;
  return { ...composed, to, key, unsubscribeUrl };
}

/** A header field of a raw message, unfolded (as a receiving client reads it), or null. */
export function rawHeader(raw: Buffer, name: string): string | null {
  const text = raw.toString('latin1');
  const head = text.slice(0, text.indexOf('\r\n\r\n') + 2).replace(/\r\n([ \t])/g, '$1');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line === undefined ? null : line.slice(name.length + 1).trim();
}
