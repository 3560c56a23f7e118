import type { MailBlock, MailDocument, MailLink, RenderContext } from './mail-document';
import { escapeHtml as e, filmFacts, httpUrl } from './mail-format';
import { addressLines } from './mail-text.renderer';

/**
 * The HTML part, for readers who are often past 60 and mail clients that are often old: one
 * column, 18 px text and larger headings, near-black on white, underlined links that say where
 * they go, real headings for screen readers, `lang="fr"`. Layout tables say role="presentation";
 * styles are inline (many clients drop <style>); nothing is loaded but our own posters, whose alt
 * text keeps the email whole when images are off. No tracking pixel, no remote font.
 *
 * Everything that comes from data (titles, reasons, rooms, the cinema's name and address, URLs)
 * goes through `escapeHtml`; a URL that is not http(s) is not printed as a link.
 */

const TEXT = '#1a1a1a';
const LINK = '#0a4a8c';
const FONT = "Verdana, Geneva, 'DejaVu Sans', Arial, sans-serif";
const BODY = `font-family:${FONT};font-size:18px;line-height:1.6;color:${TEXT};`;
const P = `margin:0 0 18px;${BODY}`;
const A = `color:${LINK};text-decoration:underline;font-weight:bold;`;
const H1 = `margin:0 0 24px;font-family:${FONT};font-size:28px;line-height:1.3;color:${TEXT};`;
const H2 = `margin:36px 0 12px;font-family:${FONT};font-size:24px;line-height:1.3;color:${TEXT};`;
const H3 = `margin:18px 0 8px;font-family:${FONT};font-size:20px;line-height:1.3;color:${TEXT};`;

export function renderHtml(document: MailDocument, context: RenderContext): string {
  const body = document.blocks.map((b) => block(b, context)).join('\n');
  return `<!DOCTYPE html>
<html lang="fr" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${e(document.subject)}</title>
</head>
<body style="margin:0;padding:0;background-color:#ffffff;${BODY}">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#ffffff;">
<tr><td align="center" style="padding:24px 16px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:640px;">
<tr><td align="left" style="${BODY}">
<p style="${P}font-weight:bold;">${e(document.footer.cinemaName)}</p>
<h1 style="${H1}">${e(document.heading)}</h1>
${body}
${footer(document.footer)}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;
}

function block(b: MailBlock, context: RenderContext): string {
  switch (b.type) {
    case 'paragraph':
      return `<p style="${P}">${b.strong ? `<strong>${e(b.text)}</strong>` : e(b.text)}</p>`;
    case 'button':
      return button(b.link);
    case 'film':
      return film(b, context);
  }
}

function link(l: MailLink, ariaLabel?: string): string {
  const url = httpUrl(l.url);
  if (!url) return e(l.label);
  const aria = ariaLabel ? ` aria-label="${e(ariaLabel)}"` : '';
  return `<a href="${e(url)}" style="${A}"${aria}>${e(l.label)}</a>`;
}

/** A link drawn as a button: a table cell with a background, which Outlook also paints. */
function button(l: MailLink): string {
  const url = httpUrl(l.url);
  if (!url) return `<p style="${P}">${e(l.label)}</p>`;
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 28px;">
<tr><td bgcolor="${LINK}" style="background-color:${LINK};border-radius:8px;">
<a href="${e(url)}" style="display:inline-block;padding:16px 28px;font-family:${FONT};font-size:22px;line-height:1.3;font-weight:bold;color:#ffffff;text-decoration:underline;border-radius:8px;">${e(l.label)}</a>
</td></tr>
</table>
<p style="${P}">Si le bouton ne marche pas, copiez cette adresse dans votre navigateur :<br><span style="word-break:break-all;">${e(url)}</span></p>`;
}

function film(b: Extract<MailBlock, { type: 'film' }>, context: RenderContext): string {
  const facts = filmFacts(b.film, context);
  const title = b.rank === undefined ? facts.title : `${b.rank}. ${facts.title}`;
  const parts = [`<h2 style="${H2}">${e(title)}</h2>`];
  if (facts.poster) {
    parts.push(
      `<img src="${e(facts.poster)}" alt="${e(`Affiche du film ${facts.title}`)}" width="120" height="178" style="display:block;width:120px;height:auto;max-height:178px;border:0;margin:0 0 16px;font-family:${FONT};font-size:16px;color:${TEXT};">`,
    );
  }
  if (facts.reason) parts.push(`<p style="${P}"><strong>Pourquoi ce film ?</strong> ${e(facts.reason)}</p>`);
  if (facts.screenings.length > 0) {
    parts.push(`<h3 style="${H3}">${facts.screenings.length === 1 ? 'La séance' : 'Les séances'}</h3>`);
    const items = facts.screenings.map((s) => {
      const links = s.links.map((l) => link(l, `${l.label} : ${facts.title}, ${s.line}`)).join('<br>');
      return `<li style="margin:0 0 18px;${BODY}">${e(s.line)}${links ? `<br>${links}` : ''}</li>`;
    });
    parts.push(`<ul style="margin:0 0 18px;padding:0 0 0 24px;">\n${items.join('\n')}\n</ul>`);
  }
  return parts.join('\n');
}

function footer(f: MailDocument['footer']): string {
  const address = addressLines(f.cinemaAddress).map(e).join('<br>');
  const links = f.links.map((l) => `<p style="${P}">${link(l)}</p>`).join('\n');
  return `<hr style="border:0;border-top:2px solid #6b6b6b;margin:36px 0 24px;">
<p style="${P}"><strong>${e(f.cinemaName)}</strong><br>${address}</p>
<p style="${P}">${e(f.why)}</p>
${links}`;
}
