import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { withJsonLd } from '../http/page-json-ld';
import type { ProgrammePageService } from './programme-page.service';

export const PROGRAMME_JSON_LD_ID = 'programme-json-ld';

export interface ProgrammePageRoutesOptions {
  /** The built customer page's HTML. */
  page: string;
  sendPage: (reply: FastifyReply, html: string) => FastifyReply;
  pages: ProgrammePageService;
  /** PUBLIC_URL: the address in the JSON-LD; without it, the address the request came to. */
  publicUrl?: string;
}

/**
 * `GET /programme`: the customer page, with the schema.org JSON-LD of the séances it lists in
 * its head, so that a search engine reads them without running the page's script. The page
 * still answers, without the block, when the programme cannot be read.
 */
export const programmePageRoutes: FastifyPluginAsync<ProgrammePageRoutesOptions> = async (app, { page, sendPage, pages, publicUrl }) => {
  app.get('/programme', { schema: { hide: true } }, async (request, reply) => {
    let html = page;
    try {
      const pageUrl = new URL('/programme', publicUrl ?? `${request.protocol}://${request.host}`).toString();
      html = withJsonLd(page, PROGRAMME_JSON_LD_ID, await pages.jsonLd(pageUrl));
    } catch (err) {
      request.log.warn({ reason: (err as Error).message }, 'programme page served without its JSON-LD');
    }
    return sendPage(reply, html);
  });
};
