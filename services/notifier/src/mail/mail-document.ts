import type { MatchedFilm } from '@cine/common';

/**
 * An email as a few plain blocks, written once in `mail.compose.ts` and rendered twice (text and
 * HTML), so the two parts always say the same thing and the wording lives in one place.
 */

export interface MailLink {
  label: string;
  url: string;
}

export type MailBlock =
  | { type: 'paragraph'; text: string; strong?: boolean }
  /** The one action of the email (the confirmation), drawn as a large button-link. */
  | { type: 'button'; link: MailLink }
  | { type: 'film'; film: MatchedFilm; rank?: number };

export interface MailDocument {
  subject: string;
  /** The email's one `<h1>`. */
  heading: string;
  blocks: MailBlock[];
  footer: {
    cinemaName: string;
    cinemaAddress: string;
    /** Why this person receives this email. */
    why: string;
    links: MailLink[];
  };
}

/** What the renderers need beyond the document: where posters live and the cinema's clock. */
export interface RenderContext {
  publicBaseUrl: string;
  timeZone: string;
}
