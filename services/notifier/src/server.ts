import {
  type CheckResult,
  type Logger,
  type NotifyHandlers,
  type NotifyProducer,
  openNotifyQueue,
  InProcessNotifyQueue,
  type JobWorker,
  QueueUnavailableError,
  registerObservability,
  requestIdServerOptions,
  startNotifyWorker,
} from '@cine/common';
import type { DbHandle } from '@cine/db';
import Fastify, { type FastifyError, type FastifyInstance, LogController } from 'fastify';
import type { NotifierConfig } from './config';
import { adminRoutes } from './http/admin.routes';
import { digestAdminRoutes } from './http/digest-admin.routes';
import { subscriptionRoutes } from './http/subscription.routes';
import { isBadNotifyInput, PROGRAMME_HANDLERS_MISSING, type ProgrammeHandlers } from './jobs/notify.handlers';
import type { ProgrammeJobs } from './jobs/programme.jobs';
import { programmeHandlers, type ProgrammeWiring } from './jobs/programme.wiring';
import { composeMail } from './mail/mail.compose';
import type { MailIdentity, MailSender } from './mail/mail.contract';
import { createMailSender } from './mail/mail.sender';
import { createNotifierServices, type NotifierServices } from './notifier.services';
import { nextOccurrence } from './schedule/next-occurrence';
import { NotifierHttpError } from './subscription/subscription.errors';
import { SubscriptionService } from './subscription/subscription.service';

export interface NotifierAppOptions {
  services: NotifierServices;
  queue: NotifyProducer;
  log: Logger;
  /** Readiness of the queue (Redis answers; always ready in-process). */
  queueReady: () => Promise<CheckResult>;
  /** The owner's digest preview and run; null: those routes answer 503. */
  programme?: ProgrammeJobs | null;
  clock?: () => Date;
}

/** French reason phrases are the page's; these are the status's standard names. */
const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 503: 'Service Unavailable' };

/** `/liked/3` → `liked[3]`: the field as the page names it. */
function fieldOf(path: string, params: Record<string, unknown> | undefined): string {
  const extra = (params?.missingProperty ?? params?.additionalProperty) as string | undefined;
  const parts = path.split('/').filter(Boolean).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`));
  const field = `${parts.join('')}${extra ? `.${extra}` : ''}`.replace(/^\./, '');
  return field || 'requête';
}

/**
 * The notifier's HTTP app: observability, one error handler (French messages naming the field;
 * 5xx details hidden), the subscription and admin routes. Requests are logged by route pattern,
 * never by URL (`/v1/unsubscribe/:token` carries a token) nor body (an address, liked films).
 */
export async function buildNotifierApp(opts: NotifierAppOptions): Promise<FastifyInstance> {
  const { services, log } = opts;
  const app = Fastify({
    loggerInstance: log,
    ...requestIdServerOptions(),
    // fastify's own request lines carry the URL: ours (onResponse below) carry the route pattern.
    logController: new LogController({ requestIdLogLabel: 'requestId', disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    ajv: { customOptions: { removeAdditional: false, allErrors: false } },
  }) as unknown as FastifyInstance;
  app.addHook('onResponse', async (request, reply) => {
    request.log.info({ method: request.method, route: request.routeOptions.url ?? 'unmatched', statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request completed');
  });
  app.setErrorHandler((err: FastifyError | NotifierHttpError, request, reply) => {
    const send = (status: number, message: string) => reply.code(status).send({ statusCode: status, error: REASONS[status] ?? (status >= 500 ? 'Internal Server Error' : 'Client Error'), message });
    if (err instanceof NotifierHttpError) return send(err.statusCode, err.message);
    if (err instanceof QueueUnavailableError) {
      request.log.warn({ reason: err.message }, 'queue unavailable');
      reply.header('retry-after', '5');
      return send(503, 'Le service d’abonnement est momentanément indisponible. Réessayez dans quelques minutes.');
    }
    if ('validation' in err && err.validation) {
      const first = err.validation[0];
      return send(400, `${fieldOf(first?.instancePath ?? '', first?.params as Record<string, unknown>)} : valeur refusée.`);
    }
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) return send(status, 'Requête refusée.');
    request.log.error({ err }, 'request failed');
    return send(500, `Une erreur est survenue ; référence ${request.id}.`);
  });
  registerObservability(app, {
    service: 'notifier',
    tag: 'health',
    readiness: {
      db: async () => {
        await services.subscriptions.ping();
        return { ok: true };
      },
      queue: opts.queueReady,
    },
  });
  const subscriptions = new SubscriptionService(services.subscriptions, services.films, services.links, opts.queue, opts.clock);
  await app.register(subscriptionRoutes, { subscriptions });
  await app.register(adminRoutes, { stats: services.stats, subscriptions });
  await app.register(digestAdminRoutes, { programme: opts.programme ?? null, queue: opts.queue });
  return app;
}

export interface NotifierOptions {
  handle: DbHandle;
  log: Logger;
  config: Pick<
    NotifierConfig,
    'publicBaseUrl' | 'redisUrl' | 'jobs' | 'smtpUrl' | 'outboxDir' | 'mailFrom' | 'cinemaName' | 'cinemaAddress' | 'dkim' | 'ratePerMinute' | 'schedules'
  > & { host?: string; port?: number };
  /**
   * match-programme, screening-cancelled, send-digests: `programmeJobs({ recommenderUrl, maxPerWeek })`
   * (the jobs and the owner's digest routes), or handlers of a test's own. Until given, those jobs
   * fail saying they are not wired.
   */
  programme?: ProgrammeHandlers | ProgrammeWiring;
  /** Tests: a sender of their own choosing (the real one otherwise, SMTP or the outbox). */
  sender?: MailSender;
  clock?: () => Date;
}

export interface RunningNotifier {
  url: string;
  app: FastifyInstance;
  services: NotifierServices;
  /** The producer the other jobs enqueue on (the all-in-one gives it to the gateway). */
  queue: NotifyProducer;
  identity: MailIdentity;
  close(): Promise<void>;
}

/**
 * The notifier: its HTTP API, its sender, and its share of the notify queue. With Redis, a BullMQ
 * producer (the two schedules upserted) and consumer; without, the in-process queue with its own
 * timers. Closing stops the HTTP server, then the consumer (its running job goes back to the
 * queue), the producer and the sender; the database handle belongs to the caller.
 */
export async function startNotifier(opts: NotifierOptions): Promise<RunningNotifier> {
  const { config, log } = opts;
  const clock = opts.clock ?? (() => new Date());
  const services = createNotifierServices(opts.handle, { log, publicBaseUrl: config.publicBaseUrl, clock });
  const identity: MailIdentity = {
    cinemaName: config.cinemaName,
    cinemaAddress: config.cinemaAddress,
    from: config.mailFrom,
    publicBaseUrl: config.publicBaseUrl,
    timeZone: config.schedules.timezone,
  };
  const sender =
    opts.sender ??
    createMailSender(
      { identity, ratePerMinute: config.ratePerMinute, smtpUrl: config.smtpUrl ?? null, outboxDir: config.outboxDir, dkim: config.dkim },
      { suppression: services.suppression, logger: log.child({ component: 'mail' }) },
    );
  const mail = { identity, compose: composeMail, sender };
  const programme =
    typeof opts.programme === 'function'
      ? opts.programme({ handle: opts.handle, services, mail, log, clock, timeZone: config.schedules.timezone, publicBaseUrl: config.publicBaseUrl })
      : null;
  const given = typeof opts.programme === 'function' ? undefined : opts.programme;
  const handlers: NotifyHandlers = services.handlers(mail, programme ? programmeHandlers(programme) : (given ?? PROGRAMME_HANDLERS_MISSING));

  const closers: Array<() => Promise<void>> = [];
  let queue: NotifyProducer;
  let queueReady: () => Promise<CheckResult>;
  let worker: JobWorker | null = null;
  try {
    if (config.redisUrl) {
      const bull = openNotifyQueue(config.redisUrl, { attempts: config.jobs.attempts, backoffMs: config.jobs.backoffMs, prefix: config.jobs.prefix }, log);
      closers.push(() => bull.close());
      queue = bull;
      queueReady = async () => {
        await bull.ping();
        return { ok: true };
      };
      await waitReady(bull);
      await bull.upsertSchedules(config.schedules);
      worker = startNotifyWorker(
        handlers,
        { redisUrl: config.redisUrl, prefix: config.jobs.prefix, lockDurationMs: config.jobs.lockDurationMs, stalledIntervalMs: config.jobs.stalledIntervalMs, isBadInput: isBadNotifyInput },
        log.child({ component: 'notify-worker' }),
      );
      const running = worker;
      closers.unshift(() => running.stop('notifier stopping'));
      await worker.worker.waitUntilReady();
    } else {
      const local = new InProcessNotifyQueue(handlers, log.child({ component: 'notify-queue' }), {
        attempts: config.jobs.attempts,
        backoffMs: config.jobs.backoffMs,
        isBadInput: isBadNotifyInput,
      });
      local.startSchedules(config.schedules, nextOccurrence);
      closers.push(() => local.close());
      queue = local;
      queueReady = async () => ({ ok: true, detail: 'in-process' });
    }
  } catch (err) {
    for (const close of closers) await close().catch(() => {});
    if (!opts.sender) await sender.close().catch(() => {});
    throw err;
  }
  if (!opts.sender) closers.push(() => sender.close());

  const app = await buildNotifierApp({ services, queue, log, queueReady, programme, clock });
  app.addHook('onClose', async () => {
    for (const close of closers) await close();
  });
  try {
    await app.listen({ host: config.host ?? '127.0.0.1', port: config.port ?? 0 });
  } catch (err) {
    await app.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host && config.host !== '0.0.0.0' ? config.host : '127.0.0.1';
  return { url: `http://${host}:${port}`, app, services, queue, identity, close: () => app.close() };
}

/** The producer refuses calls until its connection is ready: at start, wait for it (bounded). */
async function waitReady(queue: { ping(): Promise<void> }, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      await queue.ping();
      return;
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
