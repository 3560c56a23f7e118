import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../schemas/api.schema';
import { CalendarSchema, IcsParamsSchema, ScreeningsQuerySchema, ScreeningsResponseSchema } from '../schemas/programme.schema';
import type { ProgrammeService } from './programme.service';

const CALENDAR_TYPE = 'text/calendar; charset=utf-8';

/** What customers read: the published programme, as JSON and as iCalendar. */
export const programmeRoutes: FastifyPluginAsyncTypebox<{ programme: ProgrammeService }> = async (app, { programme }) => {
  app.get(
    '/api/v1/screenings',
    {
      schema: {
        tags: ['programme'],
        summary: 'The séances of published weeks in a period',
        description:
          'Days in the cinema time zone, `to` included; default today to 14 days on. Séances started more than 15 minutes ago are left out; a cancelled séance stays, with status cancelled. In start order: grouping by film is left to the page.',
        querystring: ScreeningsQuerySchema,
        response: { 200: ScreeningsResponseSchema, ...errorResponses(400, 429, 500) },
      },
    },
    async (request) => programme.published(request.query),
  );

  app.get(
    '/api/v1/screenings/:id.ics',
    {
      schema: {
        tags: ['programme'],
        summary: 'One séance as an iCalendar file',
        params: IcsParamsSchema,
        produces: ['text/calendar'],
        response: { 200: { content: { 'text/calendar': { schema: CalendarSchema } } }, ...errorResponses(400, 404, 429, 500) },
      },
    },
    async (request, reply) =>
      reply
        .type(CALENDAR_TYPE)
        .header('content-disposition', `attachment; filename="seance-${request.params.id}.ics"`)
        .send(await programme.screeningCalendar(request.params.id)),
  );

  app.get(
    '/programme.ics',
    {
      schema: {
        tags: ['programme'],
        summary: 'The whole published programme as an iCalendar feed',
        produces: ['text/calendar'],
        response: { 200: { content: { 'text/calendar': { schema: CalendarSchema } } }, ...errorResponses(429, 500) },
      },
    },
    async (_request, reply) => reply.type(CALENDAR_TYPE).header('cache-control', 'public, max-age=300').send(await programme.programmeCalendar()),
  );
};
