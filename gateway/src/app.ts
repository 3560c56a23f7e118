import { DEFAULT_WEB_ROOT } from './web.paths';
import { type Logger, REQUEST_ID_HEADER, registerObservability } from '@cine/common';
import { type DbHandle, KpiRepository, TasteStoreRepository, VisitLedger } from '@cine/db';
import type { ImportQueue, NotifyProducer } from '@cine/common';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import helmet from 'helmet';
import { adminRoutes } from './admin/admin.routes';
import { AdminService } from './admin/admin.service';
import { ImportTracker } from './admin/import-tracker';
import { audienceRoutes } from './audience/audience.routes';
import { SubscriberAudienceSource } from './audience/audience-source';
import { SubscriberAudienceRepository } from './audience/subscriber-audience.repository';
import { AudienceService } from './audience/audience.service';
import { authRoutes } from './auth/auth.routes';
import { OwnerAuthService } from './auth/owner-auth.service';
import { OWNER_OR_KEY_SECURITY, OWNER_SESSION_SCHEME, ownerOrKey } from './auth/owner-guard';
import { OwnerRepository } from './auth/owner.repository';
import { catalogueRoutes } from './catalogue/catalogue.routes';
import { CatalogueStatusRepository } from './catalogue/catalogue-status.repository';
import { CatalogueStatusService } from './catalogue/catalogue-status.service';
import { describePostImport } from './catalogue/public-status';
import type { GatewayConfig } from './config';
import { FilmRepository } from './films/film.repository';
import { filmRoutes } from './films/film.routes';
import { FilmService } from './films/film.service';
import { SearchRepository } from './films/search.repository';
import { sendError } from './http/api-error';
import { badRequest, HttpError } from './http/http-errors';
import type { MetricsServer } from './http/metrics.server';
import { RouteTable } from './http/route-table';
import { routerErrorAnswer } from './http/router-errors';
import { gatewayServerOptions } from './http/server-options';
import { unencodableField } from './http/text-encoding';
import { strictValidatorCompiler } from './http/validation';
import { readWebPage } from './http/web-page.repository';
import { kpiRoutes } from './kpis/kpi.routes';
import { NotificationService } from './notifications/notification.service';
import { notificationsAdminRoutes } from './notifications/notifications-admin.routes';
import { HttpNotifierClient, NoNotifier } from './notifications/notifier.repository';
import { MANAGE_TOKEN_SCHEME, subscriptionRoutes } from './notifications/subscription.routes';
import { redactedRequest } from './notifications/token-redaction';
import { unsubscribeRoutes } from './notifications/unsubscribe.routes';
import { filmIndexAdminRoutes } from './programme/film-index-admin.routes';
import { FilmIndexRepository } from './programme/film-index.repository';
import { FilmIndexService } from './programme/film-index.service';
import { programmeAdminRoutes } from './programme/programme-admin.routes';
import { NotifyProgrammeEvents } from './programme/programme-events';
import { ProgrammeRepository } from './programme/programme.repository';
import { programmeMatchRoutes } from './programme/programme-match.routes';
import { programmePageRoutes } from './programme/programme-page.routes';
import { ProgrammePageService } from './programme/programme-page.service';
import { ProgrammeMatchService } from './programme/programme-match.service';
import { programmeRoutes } from './programme/programme.routes';
import { ProgrammeService } from './programme/programme.service';
import { PosterDiskCache } from './posters/poster-cache.repository';
import { posterRoutes } from './posters/poster.routes';
import { PosterRepository } from './posters/poster.repository';
import { PosterService } from './posters/poster.service';
import { TmdbImageRepository } from './posters/tmdb-image.repository';
import { KpiService } from './kpis/kpi.service';
import { RecommendationCache } from './recommendations/recommendation.cache';
import { recommendationRoutes } from './recommendations/recommendation.routes';
import { RecommendationService } from './recommendations/recommendation.service';
import type { RecommenderClient } from './recommendations/recommender.repository';
import { TasteLearningService } from './taste/taste-learning.service';
import { tasteStoreRoutes } from './taste/taste-store.routes';

export interface GatewayDeps {
  config: GatewayConfig;
  handle: DbHandle;
  /** BullMQ in production (REDIS_URL), the in-process queue in the all-in-one `npm start`. */
  queue: ImportQueue;
  recommender: RecommenderClient;
  log: Logger;
  /** The built customer page; default `gateway/web/dist` when it exists. */
  webRoot?: string;
  /** Shared with `npm start`, which tracks the first import so the page can show its progress. */
  imports?: ImportTracker;
  /**
   * Serves the gateway's metrics on METRICS_PORT; the caller listens and closes it. Without it
   * (the benchmark) they are recorded and served nowhere: never on the public port.
   */
  metrics?: MetricsServer;
  /** The clock of the owner's sessions and lock-outs; tests move it instead of sleeping. */
  now?: () => Date;
  /** How long each readiness check may take before it counts as failed (default 2 s; tests on a loaded machine scale it). */
  readinessCheckTimeoutMs?: number;
  /**
   * The notifier's queue: changes to published weeks become `match-programme` and
   * `screening-cancelled` jobs. Absent, nothing is enqueued. The caller closes it.
   */
  notify?: NotifyProducer;
}

export { DEFAULT_WEB_ROOT };

/** Paths that are the API's, never the page's: they answer JSON even to a browser (a 404 for /metrics, served on its own port). */
const API_PATHS = /^\/(api|docs|health|metrics|u)(\/|$)/;

const NO_PAGE_HTML = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ciné Creuse</title></head>
<body style="font-family: sans-serif; font-size: 1.25rem; max-width: 40rem; margin: 2rem auto; padding: 0 1rem">
<h1>Ciné Creuse</h1>
<p>Le service fonctionne, mais la page du cinéma n'est pas encore installée sur ce serveur.</p>
<p>L'API est décrite sur <a href="/docs">/docs</a>.</p>
</body></html>`;

/**
 * The gateway: plugins (security, OpenAPI, metrics), then routes (route → service → repository),
 * then the page. Resources it is given (database, queue) belong to the caller, who closes them
 * after `app.close()`.
 */
export async function buildGateway(deps: GatewayDeps): Promise<FastifyInstance> {
  const { config, handle, queue, recommender, log } = deps;
  const imports = deps.imports ?? new ImportTracker();
  // Errors fastify's router raises before any hook (a bad URL, a parameter too long) come here:
  // bound below, once the security headers and the rate limit exist.
  let answerRouterError: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => void = () => undefined;
  const app = Fastify({
    // The request log names the path served: an unsubscribe link's token is masked in it.
    loggerInstance: log.child({}, { serializers: { req: redactedRequest } }),
    ...gatewayServerOptions({ bodyLimitBytes: config.bodyLimitBytes }),
    frameworkErrors: (error, request, reply) => answerRouterError(error, request, reply),
  });
  const routes = new RouteTable();
  app.addHook('onRoute', routes.onRoute);
  app.setValidatorCompiler(strictValidatorCompiler());
  // Before the schemas: text without a UTF-8 form never reaches a handler nor a database.
  app.addHook('preValidation', async (request) => {
    const problem = unencodableField(request);
    if (problem) throw badRequest(problem);
  });
  // Set before any plugin: encapsulated plugins copy the handler that exists when they register.
  app.setErrorHandler(async (error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
      if (error.statusCode >= 500) request.log.warn({ reason: error.message }, 'dependency unavailable');
      return sendError(reply, error.statusCode, error.message);
    }
    if ('validation' in error && error.validation) {
      return sendError(reply, 400, error.message);
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status < 500) {
      // fastify's own 4xx (bad JSON, body too large, rate limit): their messages are safe to show.
      return sendError(reply, status, error.message);
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 500, `something went wrong; request id ${request.id}`);
  });


  // Security headers, built once: @fastify/helmet rebuilt helmet's middleware (and parsed the CSP)
  // on every request, about a third of the gateway's CPU for an answer served from its cache.
  // The page is often served over plain HTTP on a local install: HSTS and the rewrite to https
  // only when the operator says customers come over https (PUBLIC_URL); a request header cannot
  // say so, the client being free to forge it.
  const https = config.publicUrl?.startsWith('https:') ?? false;
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        // Posters come from the gateway itself (/posters), never from TMDB's server.
        'img-src': ["'self'", 'data:'],
        ...(https ? {} : { 'upgrade-insecure-requests': null }),
      },
    },
    strictTransportSecurity: https,
  });
  // What every answer carries, the router's own errors included. helmet 8 throws on a bad option
  // when built (above), never per request.
  const stamp = (request: FastifyRequest, reply: FastifyReply, then: () => void) =>
    securityHeaders(request.raw, reply.raw, () => {
      reply.header(REQUEST_ID_HEADER, request.id);
      then();
    });
  app.addHook('onRequest', (request, reply, done) => stamp(request, reply, () => done()));
  await app.register(fastifyCors, {
    // No origin listed: no CORS headers at all, so only same-origin pages can call the API.
    origin: config.corsOrigins.length > 0 ? config.corsOrigins : false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Content-Type', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Retry-After'],
    maxAge: 600,
  });
  await app.register(fastifyRateLimit, {
    // Not per route (the plugin's default): one hook for every request, so unknown paths, the
    // page's deep links and wrong methods count too, and the router's own errors call it below.
    global: false,
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    // Probes come from the orchestrator, not from customers.
    allowList: (request) => /^\/health(\/|$)/.test(request.url),
  });
  const rateLimit = app.rateLimit();
  // The owner's session cookie (gateway/src/auth); registered at the root so every route reads it.
  await app.register(fastifyCookie);
  app.addHook('onRequest', rateLimit);
  answerRouterError = (error, request, reply) =>
    stamp(request, reply, () => {
      rateLimit.call(app, request, reply).then(
        () => {
          const { statusCode, message } = routerErrorAnswer(error, pathOf(request.url), routes);
          sendError(reply, statusCode, message);
        },
        (limited: FastifyError) => sendError(reply, limited.statusCode ?? 429, limited.message),
      );
    });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ciné Creuse API',
        version: '1.0.0',
        description:
          'Film search, details and recommendations for the Ciné Creuse website, catalogue KPIs, and the admin import routes. Errors are always `{statusCode, error, message}`.',
      },
      tags: [
        { name: 'films', description: 'Search and film details' },
        { name: 'recommendations', description: 'Films a customer will like' },
        { name: 'catalogue', description: 'Catalogue state' },
        { name: 'kpis', description: 'Catalogue KPIs (Grafana uses the same SQL)' },
        { name: 'posters', description: 'Film posters, kept by the gateway' },
        { name: 'auth', description: "The owner's session (cookie cine_owner)" },
        { name: 'programme', description: "The cinema's published séances, as JSON and iCalendar" },
        { name: 'programme-admin', description: "The owner's programme editor: rooms, séances, weeks" },
        { name: 'notifications', description: 'Email alerts and digests: subscribe (double opt-in), manage with the token of any email, one-click unsubscribe' },
        { name: 'notifications-admin', description: "The owner's figures and digest preview; header X-Api-Key, or the owner session with X-CSRF-Token" },
        { name: 'admin', description: 'Imports and the taste store; header X-Api-Key, or the owner session with X-CSRF-Token' },
        { name: 'health', description: 'Probes (Prometheus metrics are on METRICS_PORT, not here)' },
      ],
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' }, ownerSession: OWNER_SESSION_SCHEME, manageToken: MANAGE_TOKEN_SCHEME } },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const catalogueRepository = new CatalogueStatusRepository(handle);
  const catalogueStatus = new CatalogueStatusService(catalogueRepository, queue, imports, config.learning.fromVisits);
  const metrics = registerObservability(app, {
    service: 'gateway',
    tag: 'health',
    metricsRoute: false,
    ...(deps.readinessCheckTimeoutMs !== undefined ? { checkTimeoutMs: deps.readinessCheckTimeoutMs } : {}),
    readiness: {
      db: async () => {
        await catalogueRepository.ping();
        return { ok: true, detail: handle.backend };
      },
      // The queue has no ping: asking for a run that cannot exist makes one round trip to Redis.
      queue: async () => {
        await queue.status('readiness-probe');
        return { ok: true };
      },
      recommender: () => recommender.ready(),
      // Informative, never failing: after a failed post-import step the gateway still serves
      // (search, and suggestions from the previous embeddings); the operator should know.
      catalogue: async () => ({ ok: true, detail: describePostImport(await catalogueStatus.postImport()) }),
    },
  });
  deps.metrics?.serve(metrics);

  const filmRepository = new FilmRepository(handle);
  const films = new FilmService(new SearchRepository(handle), filmRepository);
  await app.register(filmRoutes, { films });
  const answers = new RecommendationCache({
    newestReady: () => catalogueRepository.newestEmbeddingVersion(),
    catalogueStamp: () => filmRepository.catalogueStamp(),
  });
  // The day's memory of visits lives in this process only (db/src/taste/visit-ledger.ts says why).
  const ledger = config.learning.fromVisits ? new VisitLedger(undefined, deps.now) : null;
  if (ledger) {
    ledger.start();
    app.addHook('onClose', async () => ledger.close());
  }
  const learning = new TasteLearningService(new TasteStoreRepository(handle), ledger, log);
  const recommendations = new RecommendationService(films, recommender, answers, learning);
  await app.register(recommendationRoutes, { recommendations });
  await app.register(kpiRoutes, { kpis: new KpiService(new KpiRepository(handle)) });
  await app.register(catalogueRoutes, { catalogue: catalogueStatus });
  const posterCache = new PosterDiskCache(config.posters.cacheDir, config.posters.cacheMaxBytes);
  await posterCache.load();
  const posters = new PosterService(new PosterRepository(handle), posterCache, new TmdbImageRepository(config.posters.fetchTimeoutMs), config.posters.imageBaseUrl);
  await app.register(posterRoutes, { posters });
  const ownerAuth = new OwnerAuthService(new OwnerRepository(handle), { ...config.owner, ...(deps.now ? { now: deps.now } : {}) });
  await app.register(authRoutes, { auth: ownerAuth, secureCookie: https, loginRateLimit: config.owner.loginRateLimit });
  // Every admin route's guard: the X-Api-Key or the owner's session (with its CSRF token for writes).
  const adminGuard = ownerOrKey(ownerAuth, config.adminApiKey);
  await app.register(adminRoutes, { admin: new AdminService(queue, imports, config.imports), guard: adminGuard });
  const cinemaClock = { timeZone: config.cinema.timeZone, cinemaName: config.cinema.name, ...(deps.now ? { now: deps.now } : {}) };
  const programme = new ProgrammeService(ProgrammeRepository.of(handle), { ...cinemaClock, ...(deps.notify ? { events: new NotifyProgrammeEvents(deps.notify, log) } : {}) });
  await app.register(programmeRoutes, { programme });
  await app.register(programmeAdminRoutes, { programme, adminGuard, security: OWNER_OR_KEY_SECURITY });
  await app.register(filmIndexAdminRoutes, { films: new FilmIndexService(new FilmIndexRepository(handle)), adminGuard, security: OWNER_OR_KEY_SECURITY });
  await app.register(tasteStoreRoutes, { learning, adminGuard, security: OWNER_OR_KEY_SECURITY });
  await app.register(programmeMatchRoutes, { matches: new ProgrammeMatchService(programme, recommendations, recommender) });
  // The alert subscribers' liked films (the notifier's table, read only) are the tastes counted.
  const audienceSource = new SubscriberAudienceSource(new SubscriberAudienceRepository(handle.db));
  await app.register(audienceRoutes, { audience: new AudienceService(audienceSource, recommender), adminGuard, security: OWNER_OR_KEY_SECURITY });
  // Subscriptions: the gateway resolves titles as the recommendations do, then forwards to the notifier.
  const notifier = config.notifier.url ? new HttpNotifierClient(config.notifier.url, config.notifier.timeoutMs) : new NoNotifier();
  const notifications = new NotificationService(notifier, recommendations, config.notifier.url !== undefined);
  await app.register(subscriptionRoutes, { notifications, subscribeRateLimit: config.notifier.subscribeRateLimit });
  await app.register(unsubscribeRoutes, { notifications, cinemaName: config.cinema.name });
  await app.register(notificationsAdminRoutes, { notifications, adminGuard, security: OWNER_OR_KEY_SECURITY });

  const webRoot = deps.webRoot ?? DEFAULT_WEB_ROOT;
  const page = readWebPage(webRoot);
  // Revalidated on every visit: it names the build's hashed assets, which change with each build.
  const sendPage = (reply: FastifyReply, html = page) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  if (page !== null) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => sendPage(reply));
    // The subscription's pages read a token from the URL fragment: whatever the browser would
    // send as a Referer from there, the answer asks it to send none.
    for (const path of ['/abonnement', '/abonnement/confirmer']) {
      app.get(path, { schema: { hide: true } }, async (_request, reply) => sendPage(reply.header('referrer-policy', 'no-referrer')));
    }
    // À l'affiche carries its séances as schema.org JSON-LD in the HTML itself.
    const pages = new ProgrammePageService(programme, cinemaClock);
    await app.register(programmePageRoutes, { page, sendPage, pages, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) });
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: '/',
      wildcard: false,
      // `/` is the route above, from memory.
      index: false,
      maxAge: '1h',
      // widget.js is included by the cinema's own site, another origin: helmet's default
      // Cross-Origin-Resource-Policy (same-origin) would make the browser refuse it.
      setHeaders: (reply, path) => {
        if (path.endsWith('/widget.js')) reply.header('cross-origin-resource-policy', 'cross-origin');
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(NO_PAGE_HTML));
  }

  app.setNotFoundHandler(async (request, reply) => {
    const path = pathOf(request.url);
    // The page routes on the client: a deep link (/film/tt0068646) gets the page, not a 404.
    if (page !== null && (request.method === 'GET' || request.method === 'HEAD') && !API_PATHS.test(path) && (request.headers.accept ?? '').includes('text/html')) {
      return sendPage(reply);
    }
    const allowed = routes.allowedMethods(path);
    if (allowed.length > 0) {
      return sendError(reply.header('allow', allowed.join(', ')), 405, `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`);
    }
    return sendError(reply, 404, `no route ${request.method} ${path}`);
  });

  return app;
}

function pathOf(url: string): string {
  return url.split('?')[0] || '/';
}
