import type { ComposedMail, MailIdentity, MailView, SubscriberLinks } from './mail.contract';
import type { MailDocument, MailLink } from './mail-document';
import { calendarDay, cinemaDateTime, DEFAULT_TIME_ZONE, oneLine, roomLabel } from './mail-format';
import { renderHtml } from './mail-html.renderer';
import { renderText } from './mail-text.renderer';

/**
 * The five emails in French, in plain words for readers who are often past 60: short sentences,
 * one idea each, the action said before the link. The wording is here once; the text and HTML
 * parts are two renderings of the same document.
 */
export function composeMail(view: MailView, identity: MailIdentity): ComposedMail {
  const document = documentFor(view, identity);
  const context = { publicBaseUrl: identity.publicBaseUrl.replace(/\/+$/, ''), timeZone: identity.timeZone ?? DEFAULT_TIME_ZONE };
  return { subject: document.subject, text: renderText(document, context), html: renderHtml(document, context) };
}

/** The document of one email, before rendering (exported for the renderers' specs). */
export function documentFor(view: MailView, identity: MailIdentity): MailDocument {
  const cinema = oneLine(identity.cinemaName);
  const timeZone = identity.timeZone ?? DEFAULT_TIME_ZONE;
  const base = { cinemaName: cinema, cinemaAddress: identity.cinemaAddress };
  switch (view.kind) {
    case 'confirmation':
      return {
        subject: `Confirmez votre abonnement aux séances de ${cinema}`,
        heading: 'Confirmez votre abonnement',
        blocks: [
          { type: 'paragraph', text: 'Bonjour,' },
          { type: 'paragraph', text: `Quelqu’un, sans doute vous, a demandé à recevoir par e-mail les séances de ${cinema} qui correspondent à ses goûts.` },
          { type: 'paragraph', text: 'Pour confirmer, ouvrez le lien ci-dessous, puis appuyez sur le bouton de confirmation de la page qui s’ouvre.' },
          { type: 'button', link: { label: 'Confirmer mon inscription', url: view.confirmUrl } },
          { type: 'paragraph', text: 'Tant que vous n’avez pas confirmé, nous ne vous enverrons rien d’autre.', strong: true },
          { type: 'paragraph', text: 'Sans confirmation, votre demande sera oubliée dans 7 jours : votre adresse sera effacée.' },
          { type: 'paragraph', text: 'Si vous n’avez rien demandé, ne faites rien : vous ne recevrez plus rien de notre part.' },
        ],
        footer: { ...base, why: `Vous recevez ce message parce que votre adresse a été saisie sur le site de ${cinema}.`, links: [] },
      };
    case 'already-subscribed':
      return {
        subject: `Votre adresse est déjà inscrite aux séances de ${cinema}`,
        heading: 'Votre adresse est déjà inscrite',
        blocks: [
          { type: 'paragraph', text: 'Bonjour,' },
          { type: 'paragraph', text: `Quelqu’un, sans doute vous, a demandé à s’abonner aux séances de ${cinema} avec cette adresse. Elle est déjà inscrite : rien n’a changé.` },
          { type: 'paragraph', text: 'Pour changer vos films ou vos préférences, ou pour vous désabonner, ouvrez le lien ci-dessous.' },
          { type: 'button', link: manageLink(view.manageUrl) },
          { type: 'paragraph', text: 'Si vous n’avez rien demandé, ne faites rien.' },
        ],
        footer: { ...base, why: `Vous recevez ce message parce que votre adresse a été saisie sur le site de ${cinema}.`, links: [] },
      };
    case 'alert':
      return {
        subject: `Un film pour vous à ${cinema} : ${oneLine(view.film.title)}`,
        heading: 'Un film pour vous cette semaine',
        blocks: [
          { type: 'paragraph', text: `Ce film passe à ${cinema} et ressemble aux films que vous aimez.` },
          { type: 'film', film: view.film },
        ],
        footer: subscriberFooter(base, view),
      };
    case 'digest': {
      const week = calendarDay(view.week);
      return {
        subject: `Vos films de la semaine à ${cinema}, à partir du ${week}`,
        heading: `Vos films de la semaine du ${week}`,
        blocks:
          view.films.length === 0
            ? [{ type: 'paragraph', text: 'Cette semaine, aucun film du programme ne ressemble vraiment à ceux que vous aimez.' }]
            : [
                { type: 'paragraph', text: `Voici les films de la semaine à ${cinema}, choisis d’après les films que vous aimez. Le plus proche de vos goûts vient en premier.` },
                ...view.films.map((film, i) => ({ type: 'film' as const, film, rank: i + 1 })),
              ],
        footer: subscriberFooter(base, view),
      };
    }
    case 'cancellation': {
      const when = cinemaDateTime(view.screening.startsAt, timeZone);
      const room = roomLabel(view.screening.room);
      return {
        subject: `Séance annulée : ${oneLine(view.film.title)}, ${when}`,
        heading: 'Une séance est annulée',
        blocks: [
          { type: 'paragraph', text: 'Bonjour,' },
          { type: 'paragraph', text: `Nous sommes désolés : la séance de « ${oneLine(view.film.title)} » du ${when}${room ? ` (${room})` : ''} est annulée.`, strong: true },
          { type: 'paragraph', text: 'Nous vous l’avions annoncée, c’est pourquoi nous vous prévenons.' },
          { type: 'paragraph', text: 'Si vous aviez réservé une place, adressez-vous au cinéma.' },
        ],
        footer: subscriberFooter(base, view),
      };
    }
  }
}

function manageLink(url: string): MailLink {
  return { label: 'Gérer mes préférences, exporter ou effacer mes données', url };
}

function subscriberFooter(base: { cinemaName: string; cinemaAddress: string }, links: SubscriberLinks): MailDocument['footer'] {
  return {
    ...base,
    why: `Vous recevez cet e-mail parce que vous avez demandé, et confirmé, à recevoir les séances de ${base.cinemaName} qui correspondent à vos goûts.`,
    links: [manageLink(links.manageUrl), { label: 'Me désabonner (ne plus recevoir ces e-mails)', url: links.unsubscribeUrl }],
  };
}
