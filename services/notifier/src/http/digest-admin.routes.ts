import { assertSame, type DigestPreview, type DigestRunAccepted, type DigestRunRequest, JobName, type NotifyProducer, type ReasonPart, type Same } from '@cine/common';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { ProgrammeJobs } from '../jobs/programme.jobs';
import { RecommenderUnavailable } from '../matching/http-batch-scorer';
import { NotifierHttpError } from '../subscription/subscription.errors';
import { ErrorBodySchema } from './subscription.schema';

/** A string enum whose static type is the union of its values. */
const StringEnum = <const T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
const Bilingual = Type.Object({ fr: Type.String(), en: Type.String() });
const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) => Type.Union([t, Type.Null()]);

const ReasonPartSchema = Type.Object({
  kind: StringEnum(['director', 'writer', 'cast', 'collection', 'genres', 'decade', 'country', 'language', 'popular', 'similar', 'colike']),
  values: Type.Array(Type.String()),
  because: Type.Optional(Type.Array(Type.String())),
});

const MatchedFilmSchema = Type.Object({
  tconst: Type.String(),
  title: Type.String(),
  year: Nullable(Type.Integer()),
  score: Type.Number(),
  reason: Bilingual,
  reasons: Type.Array(ReasonPartSchema),
  posterUrl: Nullable(Type.String()),
  screenings: Type.Array(
    Type.Object({
      id: Type.String(),
      startsAt: Type.String(),
      room: Type.String(),
      version: StringEnum(['VF', 'VOST', 'VO']),
      accessibility: Type.Object({ sme: Type.Boolean(), ad: Type.Boolean() }),
      icsUrl: Type.String(),
      bookingUrl: Nullable(Type.String()),
    }),
  ),
});

export const DigestPreviewSchema = Type.Object({ week: Type.String(), films: Type.Array(MatchedFilmSchema), subject: Type.String(), text: Type.String(), html: Type.String() });
export const DigestRunRequestSchema = Type.Object({ dryRun: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const DigestRunAcceptedSchema = Type.Object({ week: Type.String(), dryRun: Type.Boolean(), subscribers: Type.Integer() });
export const PreviewQuerySchema = Type.Object(
  {
    subscriber: Type.Optional(Type.String({ maxLength: 254 })),
    liked: Type.Optional(Type.String({ maxLength: 50 * 12 })),
  },
  { additionalProperties: false },
);

assertSame<Same<Static<typeof ReasonPartSchema>, ReasonPart>>();
assertSame<Same<Static<typeof DigestPreviewSchema>, DigestPreview>>();
assertSame<Same<Static<typeof DigestRunRequestSchema>, DigestRunRequest>>();
assertSame<Same<Static<typeof DigestRunAcceptedSchema>, DigestRunAccepted>>();

const NOT_WIRED = 'L’aperçu et l’envoi des sélections ne sont pas disponibles sur cette installation.';
const RECOMMENDER_AWAY = 'Le moteur de recommandation ne répond pas pour le moment. Réessayez dans quelques minutes.';

/**
 * The owner's digest (the gateway checks the owner before forwarding): this week's digest as it
 * would go out, and a run now. A preview sends nothing, writes no ledger row and issues no link.
 * `subscriber` may be an address: the notifier logs routes by their pattern, never a query string.
 */
export const digestAdminRoutes: FastifyPluginAsync<{ programme: ProgrammeJobs | null; queue: NotifyProducer }> = async (app, { programme, queue }) => {
  const jobs = (): ProgrammeJobs => {
    if (!programme) throw new NotifierHttpError(503, NOT_WIRED);
    return programme;
  };
  const recommenderAway = (err: unknown): never => {
    if (err instanceof RecommenderUnavailable) throw new NotifierHttpError(503, RECOMMENDER_AWAY);
    throw err;
  };

  app.get<{ Querystring: Static<typeof PreviewQuerySchema> }>(
    '/v1/admin/preview',
    {
      schema: {
        tags: ['admin'],
        summary: "This week's digest for a subscriber (id or address), a sample taste (liked=tt…,tt…), or the catalogue's most-voted films",
        querystring: PreviewQuerySchema,
        response: { 200: DigestPreviewSchema, 400: ErrorBodySchema, 404: ErrorBodySchema, 503: ErrorBodySchema },
      },
    },
    async (request) => jobs().preview(request.query).catch(recommenderAway),
  );

  app.post<{ Body: Static<typeof DigestRunRequestSchema> }>(
    '/v1/admin/digest',
    {
      schema: {
        tags: ['admin'],
        summary: "This week's digest now: a dry run counts who would get one; otherwise the run is queued (once per subscriber and week whatever the runs)",
        body: DigestRunRequestSchema,
        response: { 202: DigestRunAcceptedSchema, 400: ErrorBodySchema, 503: ErrorBodySchema },
      },
    },
    async (request, reply) => {
      const dryRun = request.body?.dryRun === true;
      const answer = await jobs().digestRun(dryRun).catch(recommenderAway);
      if (!dryRun) await queue.enqueue(JobName.SendDigests, { week: answer.week });
      return reply.code(202).send(answer);
    },
  );
};
