/** An answer the routes send as it is: a status and a French message for the customer (never an address or a token). */
export class NotifierHttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'NotifierHttpError';
  }
}

/** A refused field, named first so the page can point at it: `liked[2] : …`. */
export const invalidField = (field: string, why: string) => new NotifierHttpError(400, `${field} : ${why}`);

export const linkNoLongerValid = () =>
  new NotifierHttpError(401, 'Ce lien n’est plus valable. Ouvrez le lien du dernier e-mail reçu du cinéma, ou inscrivez-vous à nouveau.');

export const confirmationGone = () =>
  new NotifierHttpError(410, 'Ce lien de confirmation n’est plus valable : il a déjà servi ou il a plus de 7 jours. Vous pouvez vous inscrire à nouveau.');

export const unsubscribeLinkTooOld = () =>
  new NotifierHttpError(410, 'Ce lien de désabonnement est trop ancien. Utilisez le lien d’un e-mail plus récent, ou écrivez au cinéma.');
