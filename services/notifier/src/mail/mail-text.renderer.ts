import type { MailBlock, MailDocument, RenderContext } from './mail-document';
import { filmFacts } from './mail-format';

/**
 * The text part: what a reader without HTML (or a screen reader set to plain text) gets, with
 * the same words. Every link stands on its own line after what it does, so a client that makes
 * URLs clickable shows a clean target and a reader knows what it opens before opening it.
 */
export function renderText(document: MailDocument, context: RenderContext): string {
  const lines: string[] = [document.heading, '='.repeat(Math.min(document.heading.length, 60)), ''];
  for (const block of document.blocks) lines.push(...blockLines(block, context), '');
  const { footer } = document;
  lines.push('-- ', footer.cinemaName, ...addressLines(footer.cinemaAddress), '', footer.why);
  for (const link of footer.links) lines.push('', `${link.label} :`, link.url);
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function blockLines(block: MailBlock, context: RenderContext): string[] {
  switch (block.type) {
    case 'paragraph':
      return [block.text];
    case 'button':
      return [`${block.link.label} :`, block.link.url];
    case 'film': {
      const film = filmFacts(block.film, context);
      const title = block.rank === undefined ? film.title : `${block.rank}. ${film.title}`;
      const lines = [title, '-'.repeat(Math.min(title.length, 60))];
      if (film.reason) lines.push(`Pourquoi ce film ? ${film.reason}`);
      if (film.screenings.length > 0) {
        lines.push('', film.screenings.length === 1 ? 'La séance :' : 'Les séances :');
        for (const s of film.screenings) {
          lines.push('', `* ${s.line}`);
          for (const link of s.links) lines.push(`  ${link.label} : ${link.url}`);
        }
      }
      return lines;
    }
  }
}

export function addressLines(address: string): string[] {
  return address
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}
