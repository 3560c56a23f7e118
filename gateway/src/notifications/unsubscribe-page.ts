/**
 * The small pages of `/u/{token}`, server-rendered: a mail provider's link and an old phone both
 * get them without the page's JavaScript. The GET page changes nothing (mail scanners follow
 * links); its one button POSTs the same URL with RFC 8058's body, which unsubscribes.
 */

const STYLE =
  'font-family: system-ui, sans-serif; font-size: 1.375rem; line-height: 1.5; max-width: 36rem; margin: 2rem auto; padding: 0 1rem; color: #1a1a1a; background: #fff';
const BUTTON =
  'font: inherit; font-weight: 700; padding: .8rem 1.6rem; min-height: 3rem; border: 3px solid #6e1423; border-radius: .5rem; background: #6e1423; color: #fff; cursor: pointer';

function page(title: string, body: string, cinemaName: string): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} — ${escapeHtml(cinemaName)}</title></head>
<body style="${STYLE}">
<main>
<h1 style="font-size: 1.75rem">${escapeHtml(title)}</h1>
${body}
</main>
</body></html>`;
}

/** GET: one button, nothing changed. The form posts to the page's own URL (no token in the HTML). */
export function unsubscribeAskPage(cinemaName: string): string {
  return page(
    'Se désabonner',
    `<p>Vous ne recevrez plus aucun e-mail de ${escapeHtml(cinemaName)}.</p>
<form method="post">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit" style="${BUTTON}">Me désabonner</button>
</form>
<p>Vous avez changé d’avis ? Fermez simplement cette page : rien n’a été modifié.</p>`,
    cinemaName,
  );
}

export function unsubscribedPage(cinemaName: string): string {
  return page(
    'Vous êtes désabonné',
    `<p>C’est fait : vous ne recevrez plus d’e-mails de ${escapeHtml(cinemaName)}.</p>
<p>Pour effacer aussi votre adresse et vos films, ouvrez le lien « Gérer mon abonnement » d’un e-mail reçu et choisissez « Tout effacer ».</p>`,
    cinemaName,
  );
}

export function staleLinkPage(cinemaName: string): string {
  return page(
    'Ce lien n’est plus valable',
    `<p>Ce lien de désabonnement a expiré ou votre adresse a déjà été effacée. Si vous recevez encore des e-mails, utilisez le lien du plus récent.</p>`,
    cinemaName,
  );
}

export function unavailablePage(cinemaName: string): string {
  return page(
    'Service momentanément indisponible',
    `<p>Votre demande n’a pas pu être enregistrée. Réessayez dans quelques minutes avec le même lien.</p>`,
    cinemaName,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
