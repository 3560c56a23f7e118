import type { MatchedFilm } from '@cine/common';
import type { MailIdentity, MailView } from './mail.contract';
import { composeMail } from './mail.compose';

const IDENTITY: MailIdentity = {
  cinemaName: 'Ciné Creuse',
  cinemaAddress: '1 place du Marché\n23000 Guéret',
  from: '"Ciné Creuse" <programme@cine-creuse.test>',
  publicBaseUrl: 'https://cine-creuse.test',
};
const LINKS = { manageUrl: 'https://cine-creuse.test/abonnement#m-token', unsubscribeUrl: 'https://cine-creuse.test/u/u-token' };

function film(overrides: Partial<MatchedFilm> = {}): MatchedFilm {
  return {
    tconst: 'tt0060196',
    title: 'Le Bon, la Brute et le Truand',
    year: 1966,
    score: 0.9,
    reason: { fr: 'Même réalisateur : Sergio Leone', en: 'Same director: Sergio Leone' },
    reasons: [],
    posterUrl: null,
    screenings: [
      // Monday 26 October 2026, 20:30 winter time (UTC+1); Saturday 24, 20:30 summer time (UTC+2).
      { id: 'b', startsAt: '2026-10-26T19:30:00Z', room: '2', version: 'VOST', accessibility: { sme: true, ad: false }, icsUrl: 'https://cine-creuse.test/ics/b.ics', bookingUrl: null },
      { id: 'a', startsAt: '2026-10-24T18:30:00Z', room: 'Grande salle', version: 'VF', accessibility: { sme: false, ad: true }, icsUrl: 'https://cine-creuse.test/ics/a.ics', bookingUrl: 'https://billetterie.test/42' },
    ],
    ...overrides,
  };
}

const compose = (view: MailView) => composeMail(view, IDENTITY);

describe('composeMail', () => {
  it('writes séance times in the cinema’s time, right on both sides of the October clock change', () => {
    const mail = compose({ kind: 'alert', film: film(), ...LINKS });
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Samedi 24 octobre à 20:30');
      expect(part).toContain('Lundi 26 octobre à 20:30');
      expect(part).not.toMatch(/(18|19|21|22):30/);
    }
    // Earliest first, whatever the order given.
    expect(mail.text.indexOf('Samedi 24')).toBeLessThan(mail.text.indexOf('Lundi 26'));
  });

  it('an alert: the reason, each séance’s room, version and accessibility, its calendar and booking links, the poster with alt text', () => {
    const { subject, text, html } = compose({ kind: 'alert', film: film(), ...LINKS });
    expect(subject).toBe('Un film pour vous à Ciné Creuse : Le Bon, la Brute et le Truand');
    expect(text).toContain('Pourquoi ce film ? Même réalisateur : Sergio Leone');
    expect(text).toContain('Samedi 24 octobre à 20:30, Grande salle, VF (en français), audiodescription (AD)');
    expect(text).toContain('Lundi 26 octobre à 20:30, salle 2, VOST (version originale sous-titrée en français), sous-titres pour sourds et malentendants (SME)');
    expect(text).toContain('Ajouter à mon agenda : https://cine-creuse.test/ics/a.ics');
    expect(text).toContain('Réserver ma place : https://billetterie.test/42');
    expect(text.match(/Réserver ma place/g)).toHaveLength(1);
    expect(html).toContain('<img src="https://cine-creuse.test/posters/w185/tt0060196.jpg" alt="Affiche du film Le Bon, la Brute et le Truand (1966)"');
    expect(html).toMatch(/<a href="https:\/\/cine-creuse\.test\/ics\/b\.ics"[^>]*aria-label="Ajouter à mon agenda : Le Bon, la Brute et le Truand \(1966\), Lundi 26 octobre à 20:30[^"]*">Ajouter à mon agenda<\/a>/);
  });

  it('uses the poster URL given, made absolute', () => {
    const { html } = compose({ kind: 'alert', film: film({ posterUrl: '/posters/w185/other.jpg' }), ...LINKS });
    expect(html).toContain('src="https://cine-creuse.test/posters/w185/other.jpg"');
  });

  it('every email but the confirmation ends with the cinema, why it was sent, the manage and unsubscribe links', () => {
    const views: MailView[] = [
      { kind: 'alert', film: film(), ...LINKS },
      { kind: 'digest', week: '2026-10-21', films: [film()], ...LINKS },
      { kind: 'cancellation', film: { tconst: 'tt0060196', title: 'Le Bon, la Brute et le Truand' }, screening: { id: 'a', startsAt: '2026-10-24T18:30:00Z', room: '2' }, ...LINKS },
    ];
    for (const view of views) {
      const { text, html } = compose(view);
      expect(text).toContain('Ciné Creuse\n1 place du Marché\n23000 Guéret');
      expect(html).toContain('<strong>Ciné Creuse</strong><br>1 place du Marché<br>23000 Guéret');
      expect(text).toContain('Vous recevez cet e-mail parce que');
      expect(text).toContain('Gérer mes préférences, exporter ou effacer mes données :\nhttps://cine-creuse.test/abonnement#m-token');
      expect(html).toContain('<a href="https://cine-creuse.test/abonnement#m-token" style="color:#0a4a8c;text-decoration:underline;font-weight:bold;">Gérer mes préférences, exporter ou effacer mes données</a>');
      expect(html).toContain('href="https://cine-creuse.test/u/u-token"');
    }
  });

  it('the confirmation: one button-link to the confirm page, nothing sent without confirming, forgotten after 7 days, no unsubscribe link', () => {
    const url = 'https://cine-creuse.test/abonnement/confirmer#c-token';
    const { subject, text, html } = compose({ kind: 'confirmation', confirmUrl: url });
    expect(subject).toBe('Confirmez votre abonnement aux séances de Ciné Creuse');
    expect(html.match(/<a href=/g)).toHaveLength(1);
    expect(html).toContain(`<a href="${url}" style="display:inline-block;`);
    expect(text).toContain(`Confirmer mon inscription :\n${url}`);
    for (const part of [text, html]) {
      expect(part).toContain('Tant que vous n’avez pas confirmé, nous ne vous enverrons rien d’autre.');
      expect(part).toContain('oubliée dans 7 jours');
      expect(part).not.toContain('/u/');
    }
  });

  it('the already-subscribed notice: the manage link only', () => {
    const { text, html } = compose({ kind: 'already-subscribed', manageUrl: LINKS.manageUrl });
    expect(text).toContain('déjà inscrite');
    expect(html.match(/<a href="([^"]+)"/g)).toEqual([`<a href="${LINKS.manageUrl}"`]);
  });

  it('the digest: the week, films in the order given, numbered', () => {
    const { subject, text } = compose({ kind: 'digest', week: '2026-10-21', films: [film(), film({ tconst: 'tt2', title: 'Il était une fois dans l’Ouest', year: 1968 })], ...LINKS });
    expect(subject).toBe('Vos films de la semaine à Ciné Creuse, à partir du mercredi 21 octobre');
    expect(text.indexOf('1. Le Bon, la Brute et le Truand (1966)')).toBeLessThan(text.indexOf('2. Il était une fois dans l’Ouest (1968)'));
  });

  it('the cancellation names the film and its séance in the cinema’s time', () => {
    const { subject, text } = compose({ kind: 'cancellation', film: { tconst: 'tt1', title: 'Vertigo' }, screening: { id: 's', startsAt: '2026-10-26T19:30:00Z', room: '3' }, ...LINKS });
    expect(subject).toBe('Séance annulée : Vertigo, lundi 26 octobre à 20:30');
    expect(text).toContain('la séance de « Vertigo » du lundi 26 octobre à 20:30 (salle 3) est annulée');
  });

  it('escapes everything that comes from data, and prints no link that is not http(s)', () => {
    const evil = film({
      title: '<script>alert("t")</script> & Cie',
      reason: { fr: '<img src=x onerror=alert(1)>', en: '' },
      screenings: [{ id: 'x', startsAt: '2026-10-24T18:30:00Z', room: '"><b>1</b>', version: 'VF', accessibility: { sme: false, ad: false }, icsUrl: 'https://cine-creuse.test/ics/x.ics', bookingUrl: 'javascript:alert(1)' }],
    });
    const { html, text } = composeMail({ kind: 'alert', film: evil, ...LINKS }, { ...IDENTITY, cinemaName: 'Ciné <i>Creuse</i>', cinemaAddress: '1 rue "A" <b>' });
    expect(html).not.toMatch(/<script|<img src=x|<b>|<i>|javascript:/);
    expect(html).toContain('&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; Cie');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(text).not.toContain('javascript:');
    expect(text).not.toContain('Réserver ma place');
  });

  it('is accessible by construction: lang="fr", 18px text, layout tables presentational, every image with alt text', () => {
    const { html } = compose({ kind: 'digest', week: '2026-10-21', films: [film(), film({ tconst: 'tt2' })], ...LINKS });
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="fr"/);
    expect(html).toMatch(/<body style="[^"]*font-size:18px/);
    expect(html.match(/<table/g)!.length).toBe(html.match(/<table role="presentation"/g)!.length);
    expect(html.match(/<img /g)).toHaveLength(2);
    expect(html.match(/<img [^>]*alt="Affiche du film [^"]+"/g)).toHaveLength(2);
    expect(html.match(/<h1/g)).toHaveLength(1);
    // Nothing is loaded but our posters: no tracking pixel, no remote style or font.
    const sources = [...html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]!).filter((u) => !u.startsWith('https://cine-creuse.test/'));
    expect(sources).toEqual([]);
    expect(html).not.toMatch(/<link|@import|url\(/);
  });

  it('writes times in another zone when the cinema is elsewhere', () => {
    const { text } = composeMail({ kind: 'alert', film: film(), ...LINKS }, { ...IDENTITY, timeZone: 'America/Martinique' });
    expect(text).toContain('Samedi 24 octobre à 14:30');
  });
});
