import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../http/http-errors';
import { errorResponses } from '../schemas/api.schema';
import { UnsubscribedSchema, UnsubscribeParamsSchema } from '../schemas/notifications.schema';
import type { NotificationService } from './notification.service';
import { staleLinkPage, unavailablePage, unsubscribeAskPage, unsubscribedPage } from './unsubscribe-page';

export interface UnsubscribeRouteOptions {
  notifications: NotificationService;
  cinemaName: string;
}

const tags = ['notifications'];
const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = 'multipart/form-data';
export const UNSUBSCRIBED_MESSAGE = 'Vous êtes désabonné : vous ne recevrez plus d’e-mails du cinéma.';

/**
 * RFC 8058's body, as a form (`List-Unsubscribe=One-Click`) or as multipart/form-data (the RFC
 * allows both; some providers send the latter). Anything else is not a one-click request.
 */
function isOneClick(body: unknown, contentType: string): boolean {
  if (typeof body !== 'string') return false;
  if (contentType.startsWith(MULTIPART)) return /name="?List-Unsubscribe"?\r?\n(?:[^\r\n]+\r?\n)*\r?\nOne-Click\r?\n/i.test(body);
  return new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click';
}

/** The token's page: never cached, never sent on as a Referer, never indexed. */
function tokenPage(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex');
}

const wantsHtml = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');

/**
 * `/u/{token}`, every email's List-Unsubscribe URL. The POST unsubscribes at once, with no login,
 * no confirmation and no CSRF token (a mail provider's server sends it; the token is the right);
 * the GET (a person, or a scanner following links) only shows a button that sends that POST.
 */
export const unsubscribeRoutes: FastifyPluginAsyncTypebox<UnsubscribeRouteOptions> = async (app, { notifications, cinemaName }) => {
  // Kept as text; isOneClick reads it. Scoped to this plugin: no other route takes forms.
  app.addContentTypeParser([FORM, MULTIPART], { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.get(
    '/u/:token',
    {
      schema: {
        tags,
        summary: 'The unsubscribe link opened in a browser: a page with one button; changes nothing',
        params: UnsubscribeParamsSchema,
        response: { 200: { description: 'A French HTML page', content: { 'text/html': { schema: { type: 'string' } } } }, ...errorResponses(400, 429, 500) },
      },
    },
    async (_request, reply) => tokenPage(reply).type('text/html; charset=utf-8').send(unsubscribeAskPage(cinemaName)),
  );

  app.post(
    '/u/:token',
    {
      schema: {
        tags,
        summary: 'One-click unsubscribe (RFC 8058): body List-Unsubscribe=One-Click',
        description:
          'What a mail provider sends for the List-Unsubscribe-Post header, and what the GET page\'s button sends. No login, no confirmation. Idempotent: a second POST answers the same. A browser (Accept: text/html) gets a French page, any other client JSON.',
        params: UnsubscribeParamsSchema,
        consumes: [FORM, MULTIPART],
        body: { type: 'string', description: 'List-Unsubscribe=One-Click' },
        response: {
          200: { description: 'Unsubscribed', content: { 'application/json': { schema: UnsubscribedSchema }, 'text/html': { schema: { type: 'string' } } } },
          ...errorResponses(400, 404, 410, 413, 415, 429, 500, 503),
        },
      },
    },
    async (request, reply) => {
      tokenPage(reply);
      const html = wantsHtml(request);
      if (!isOneClick(request.body, request.headers['content-type'] ?? '')) {
        throw new HttpError(400, 'Le corps de la requête doit être List-Unsubscribe=One-Click (RFC 8058).');
      }
      try {
        await notifications.unsubscribe(request.params.token, request.id);
      } catch (error) {
        if (!html || !(error instanceof HttpError)) throw error;
        const stale = error.statusCode === 404 || error.statusCode === 410;
        return (reply as FastifyReply)
          .code(stale ? error.statusCode : 503)
          .type('text/html; charset=utf-8')
          .send(stale ? staleLinkPage(cinemaName) : unavailablePage(cinemaName));
      }
      if (html) return reply.type('text/html; charset=utf-8').send(unsubscribedPage(cinemaName));
      return reply.type('application/json; charset=utf-8').send({ status: 'unsubscribed', message: UNSUBSCRIBED_MESSAGE });
    },
  );
};
