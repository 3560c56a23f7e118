import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ownerOf } from '../auth/owner-guard';
import { errorResponses } from '../schemas/api.schema';
import {
  AdminScreeningSchema,
  AdminWeekSchema,
  DuplicateBodySchema,
  DuplicateResultSchema,
  ImportResultSchema,
  PublishResultSchema,
  RoomInputSchema,
  RoomListSchema,
  RoomSchema,
  ScreeningInputSchema,
  ScreeningParamsSchema,
  ScreeningPatchSchema,
  WeekParamsSchema,
  WeekQuerySchema,
} from '../schemas/programme.schema';
import type { ProgrammeService } from './programme.service';

/**
 * Decides whether a request may edit the programme, throwing an HttpError otherwise (401, 403,
 * 503). Today the X-Api-Key check; the owner's session (or the key) when the login lands.
 */
export type AdminGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface ProgrammeAdminOptions {
  programme: ProgrammeService;
  adminGuard: AdminGuard;
  /** OpenAPI `security` of these routes. */
  security: Array<Record<string, string[]>>;
}

const tags = ['programme-admin'];

export const programmeAdminRoutes: FastifyPluginAsyncTypebox<ProgrammeAdminOptions> = async (app, { programme, adminGuard, security }) => {
  // Run at onRequest, before the body is parsed or validated: a caller without the right learns
  // nothing about the body's rules (the admin routes' rule).
  app.addHook('onRequest', adminGuard);
  // The spreadsheet export, as text; parsed by the service so that errors name line and column.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.get(
    '/api/v1/admin/rooms',
    { schema: { tags, summary: "The cinema's rooms", security, response: { 200: RoomListSchema, ...errorResponses(401, 403, 429, 500, 503) } } },
    async () => ({ items: await programme.rooms() }),
  );

  app.post(
    '/api/v1/admin/rooms',
    {
      schema: {
        tags,
        summary: 'Add a room',
        description: 'A name already taken (whatever its case) is a 409.',
        security,
        body: RoomInputSchema,
        response: { 201: RoomSchema, ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503) },
      },
    },
    async (request, reply) => reply.code(201).send(await programme.addRoom(request.body)),
  );

  app.get(
    '/api/v1/admin/screenings',
    {
      schema: {
        tags,
        summary: "A programme week's séances, drafts and cancelled ones included",
        security,
        querystring: WeekQuerySchema,
        response: { 200: AdminWeekSchema, ...errorResponses(400, 401, 403, 429, 500, 503) },
      },
    },
    async (request) => programme.week(request.query.week),
  );

  app.post(
    '/api/v1/admin/screenings',
    {
      schema: {
        tags,
        summary: 'Add a séance (a draft until its week is published)',
        description: 'An unknown room, or a tconst that is not a film (movie, tvMovie) of the imported IMDb files: 400 naming the field. The room taken at that start: 409.',
        security,
        body: ScreeningInputSchema,
        response: { 201: AdminScreeningSchema, ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503) },
      },
    },
    async (request, reply) => reply.code(201).send(await programme.create(request.body)),
  );

  app.patch(
    '/api/v1/admin/screenings/:id',
    {
      schema: {
        tags,
        summary: 'Change a séance',
        description: 'Only the fields sent change. A cancelled séance cannot be changed (409): add a new one.',
        security,
        params: ScreeningParamsSchema,
        body: ScreeningPatchSchema,
        response: { 200: AdminScreeningSchema, ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 500, 503) },
      },
    },
    async (request) => programme.update(request.params.id, request.body),
  );

  app.delete(
    '/api/v1/admin/screenings/:id',
    {
      schema: {
        tags,
        summary: 'Cancel a séance',
        description: 'The séance is kept with status cancelled: customers of a published week see it cancelled, and the slot is free again.',
        security,
        params: ScreeningParamsSchema,
        response: { 200: AdminScreeningSchema, ...errorResponses(400, 401, 403, 404, 429, 500, 503) },
      },
    },
    async (request) => programme.cancel(request.params.id),
  );

  app.post(
    '/api/v1/admin/screenings/import',
    {
      schema: {
        tags,
        summary: 'Import séances from a CSV file (text/csv)',
        description:
          'Columns date,time,tconst,room,version[,format,sme,ad,labels,price_note,booking_url] (docs/programme.md), separated by , or ;. All or nothing: the first bad line is a 400 naming its line and field, and nothing is saved.',
        security,
        body: { type: 'string', description: 'text/csv' },
        consumes: ['text/csv'],
        response: { 201: ImportResultSchema, ...errorResponses(400, 401, 403, 413, 415, 429, 500, 503) },
      },
    },
    async (request, reply) => reply.code(201).send(await programme.importCsv(request.body as string)),
  );

  app.post(
    '/api/v1/admin/weeks/:weekStart/publish',
    {
      schema: {
        tags,
        summary: 'Publish a programme week: customers see its séances',
        security,
        params: WeekParamsSchema,
        response: { 200: PublishResultSchema, ...errorResponses(400, 401, 403, 429, 500, 503) },
      },
    },
    // Who published: the owner's account, or null for a script with the X-Api-Key (no account behind it).
    async (request) => programme.publish(request.params.weekStart, ownerOf(request)?.ownerId ?? null),
  );

  app.post(
    '/api/v1/admin/weeks/:weekStart/duplicate',
    {
      schema: {
        tags,
        summary: "Copy a week's scheduled séances to another week, same local times",
        description: '20:30 stays 20:30 across a clock change. The copy is a draft. A slot already taken there: 409, nothing copied.',
        security,
        params: WeekParamsSchema,
        body: DuplicateBodySchema,
        response: { 201: DuplicateResultSchema, ...errorResponses(400, 401, 403, 409, 413, 415, 429, 500, 503) },
      },
    },
    async (request, reply) => reply.code(201).send(await programme.duplicate(request.params.weekStart, request.body.to)),
  );
};
