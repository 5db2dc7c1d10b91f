import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import express from 'express';
import type { Express } from 'express';
import type { ShapeContext } from '../representations/context';
import type { Registry } from '../representations/registry';
import type { Config } from './config';
import { DEFAULT_RATE_LIMITS } from './config';
import { createAnalyticsService } from './domain/analytics';
import type { AnalyticsService } from './domain/analytics';
import type { ClickRecorder } from './domain/clicks';
import { createDashboardService } from './domain/dashboard';
import { createLinkService } from './domain/links';
import type { LinkService } from './domain/links';
import { createUserService } from './domain/users';
import type { UserService } from './domain/users';
import type { Store } from './domain/repository';
import { createLogger } from './observability/logger';
import type { Logger } from './observability/logger';
import { createMetrics } from './observability/metrics';
import type { Metrics } from './observability/metrics';
import { createAuthenticator } from './http/auth';
import { bundleOpenApi } from './http/openapi-bundle';
import { createRequestObserver } from './http/request-log';
import { createFastPath } from './http/fast-path';
import { createLinkCards } from './http/link-card';
import { createCors } from './http/cors';
import { answerVary } from './http/respond';
import type { AnswerOptions } from './http/respond';
import { createSparseAnswers } from './http/sparse';
import { createDocsRouter } from './http/routes/docs';
import { createErrorHandler, notFoundHandler } from './http/error-handler';
import { limitRequestTarget } from './http/limits';
import { createRateLimiter } from './http/rate-limit';
import type { RateLimitOptions } from './http/rate-limit';
import { createAccountRouter } from './http/routes/account';
import { createDashboardAnswers, createDashboardRouter } from './http/routes/dashboard';
import { createLinksRouter } from './http/routes/links';
import { createMetaRouter, projectRoot } from './http/routes/meta';
import { createFollow, createRedirectRouter } from './http/routes/redirect';
import { createStatsRouter } from './http/routes/stats';

/** The internal services of the BFF; tests may replace any of them. */
export interface Services {
  links: LinkService;
  users: UserService;
  analytics: AnalyticsService;
}

/** Everything the app is built from; tests pass their own. */
export interface AppDeps {
  config: Pick<Config, 'publicBaseUrl' | 'representationCacheBytes' | 'publicMaxAgeSeconds' | 'countryHeader' | 'dashboardBudgetMs'>
    & Partial<Pick<Config, 'corsOrigins' | 'compressMinBytes'>>;
  store: Store;
  registry: Registry;
  clicks: ClickRecorder;
  services?: Partial<Services>;
  /** Rate limits of writes and redirects; DEFAULT_RATE_LIMITS when not given. */
  rateLimits?: RateLimitOptions;
  now?: () => Date;
  /** Structured logger; silent when not given. */
  logger?: Logger;
  metrics?: Metrics;
  /** False answers every request through Express alone (tests compare both paths); default true. */
  fastPath?: boolean;
  /** Overrides how errors and degradations are reported (tests listen here). */
  log?: (message: string, err: unknown) => void;
}

/**
 * The service's request listener: the fast path (src/http/fast-path.ts) for the hottest reads,
 * Express for everything else. It carries Express's `request` / `response` prototypes, which
 * createServer gives every request and response from birth.
 */
export type FacetApp = ((req: IncomingMessage, res: ServerResponse) => void) & Pick<Express, 'request' | 'response'>;

/** Builds the app: fast path, Express middleware order, routers, error handler. Does not listen. */
export function createApp(deps: AppDeps): FacetApp {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? createLogger({ level: 'silent' });
  const metrics = deps.metrics ?? createMetrics();
  const log = deps.log ?? ((message, err) => logger.error({ err }, message));
  const openapi = fs.readFileSync(path.join(projectRoot(), 'openapi.yaml'));
  const { config, registry, store } = deps;
  const baseUrl = config.publicBaseUrl;
  const services: Services = {
    links: deps.services?.links ?? createLinkService(store.links, { now, ownHosts: () => [new URL(baseUrl).hostname] }),
    users: deps.services?.users ?? createUserService(store.users),
    analytics: deps.services?.analytics ?? createAnalyticsService(store.clicks, now),
  };
  const dashboard = createDashboardService(services, { budgetMs: config.dashboardBudgetMs, log });
  const ctx = (): ShapeContext => ({ baseUrl, now: now() });
  // The objects both the Express routes and the fast path answer with.
  const observer = createRequestObserver(logger, metrics);
  const auth = createAuthenticator(store.keys);
  // A key revoked on any instance (announced by a shared store) stops working here at once.
  store.subscribe?.((change) => { if (change.kind === 'accounts' || change.kind === 'unknown') auth.forget(); });
  const cors = createCors(config.corsOrigins ?? []);
  const answerOptions: AnswerOptions = { vary: answerVary(cors.enabled), compressMinBytes: config.compressMinBytes };
  const sparse = createSparseAnswers({ cacheBytes: config.representationCacheBytes });
  const limiter = createRateLimiter({ ...(deps.rateLimits ?? DEFAULT_RATE_LIMITS), shared: store.rateLimits, log });
  const cards = createLinkCards({
    registry,
    baseUrl,
    publicMaxAge: config.publicMaxAgeSeconds,
    now,
    cacheBytes: config.representationCacheBytes,
    observeCacheLookup: (hit) => metrics.observeCacheLookup(hit),
    answerOptions,
  });
  // A prepared dashboard is reused only while the store vouches for what it was built from; with
  // replaced services (tests) the store does not know their data, so nothing is reused.
  const storeBacked = !deps.services?.links && !deps.services?.users && !deps.services?.analytics;
  const dataVersion = storeBacked && store.dataVersion ? () => store.dataVersion!() : undefined;
  const dashboards = createDashboardAnswers({ dashboard, registry, ctx, dataVersion, answerOptions });
  const follow = createFollow({ clicks: deps.clicks, countryHeader: config.countryHeader, now });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // ETags come from (version, representation), never from Express hashing bodies
  app.set('query parser', 'simple');
  app.use(observer.middleware);
  app.use(function securityHeaders(_req, res, next) {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use(limitRequestTarget);
  app.use(createMetaRouter({ registry, store, openapi, metrics, compressMinBytes: config.compressMinBytes }));
  app.use(createDocsRouter(bundleOpenApi(openapi.toString(), registry.schemas), { compressMinBytes: config.compressMinBytes }));
  // Every /api resource is negotiated, so every answer there — a 401 before negotiation included —
  // tells caches what it depends on (Origin too when CORS grants depend on it).
  const errorVary = answerVary(cors.enabled, false);
  app.use('/api', function varyOnNegotiation(_req, res, next) {
    res.setHeader('Vary', errorVary);
    next();
  });
  // Only the API authenticates: a short link keeps working for a client holding a stale key.
  app.use('/api', auth.middleware);
  app.use(limiter.middleware);
  app.use(createStatsRouter({ links: services.links, analytics: services.analytics, registry, ctx, sparse, answerOptions }));
  app.use(createLinksRouter({ links: services.links, registry, cards, baseUrl, now, sparse, answerOptions }));
  app.use(createAccountRouter({ users: services.users, registry, ctx, sparse, answerOptions }));
  app.use(createDashboardRouter(dashboards, { registry, sparse }));
  app.use(createRedirectRouter({ links: services.links, follow }));
  app.use(notFoundHandler);
  app.use(createErrorHandler(log));

  // CORS comes first, whichever way a request is answered: a preflight is answered here, an
  // allowed origin's grant is set before the answer's own headers.
  if (deps.fastPath === false) {
    return facetApp(app, (req, res) => {
      if (!cors.handle(req, res)) app(req, res);
    });
  }
  const fastPath = createFastPath({ links: services.links, cards, dashboards, auth, limiter, follow, observer, now });
  const toExpress = (req: IncomingMessage, res: ServerResponse) => (answered: boolean) => {
    if (!answered) app(req, res);
  };
  return facetApp(app, function facet(req, res) {
    if (cors.handle(req, res)) return;
    const answered = fastPath(req, res);
    if (answered === true) return;
    if (answered === false) app(req, res);
    else void answered.then(toExpress(req, res), (err: unknown) => {
      log('fast path failed', err);
      if (!res.headersSent) app(req, res);
    });
  });
}

/** The request listener, carrying Express's request/response prototypes for createServer. */
function facetApp(app: Express, listener: (req: IncomingMessage, res: ServerResponse) => void): FacetApp {
  return Object.assign(listener, { request: app.request, response: app.response });
}
