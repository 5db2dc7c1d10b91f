import fs from 'node:fs';
import path from 'node:path';
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
import { createCors } from './http/cors';
import type { Cors } from './http/cors';
import { answerVary } from './http/respond';
import type { AnswerOptions } from './http/respond';
import { createSparseAnswers } from './http/sparse';
import type { SparseAnswers } from './http/sparse';
import type { Authenticator } from './http/auth';
import { createFailureAnswer } from './http/error-handler';
import type { AnswerFailure } from './http/error-handler';
import type { HotRoute } from './http/hot-route';
import { createLinkCards } from './http/link-card';
import type { LinkCards } from './http/link-card';
import { createRateLimiter } from './http/rate-limit';
import type { RateLimiter, RateLimitOptions } from './http/rate-limit';
import { createRequestObserver } from './http/request-log';
import type { RequestObserver } from './http/request-log';
import { createCardRoute } from './http/routes/card';
import { createDashboardAnswers, createDashboardRoute } from './http/routes/dashboard';
import { projectRoot } from './http/routes/meta';
import { createFollow, createRedirectRoute } from './http/routes/redirect';

/** The internal services of the BFF; tests may replace any of them. */
export interface Services {
  links: LinkService;
  users: UserService;
  analytics: AnalyticsService;
}

/** Everything the app is built from; tests pass their own. */
export interface AppDeps {
  config: Pick<Config, 'publicBaseUrl' | 'representationCacheBytes' | 'publicMaxAgeSeconds' | 'countryHeader' | 'dashboardBudgetMs'>
    & Partial<Pick<Config, 'metricsToken' | 'corsOrigins' | 'compressMinBytes'>>;
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

/** The objects the app answers with, built once; Express and the dispatcher share every one. */
export interface Parts {
  deps: AppDeps;
  now: () => Date;
  metrics: Metrics;
  openapi: Buffer;
  services: Services;
  ctx: () => ShapeContext;
  observer: RequestObserver;
  auth: Authenticator;
  limiter: RateLimiter;
  cards: LinkCards;
  answerFailure: AnswerFailure;
  cors: Cors;
  /** Vary and compression threshold of every prepared answer. */
  answerOptions: AnswerOptions;
  /** `Vary` of /api answers that are not prepared (errors): no Accept-Encoding, a problem is never compressed. */
  errorVary: string;
  sparse: SparseAnswers;
  /** The hot routes: one object each, registered with Express and dispatched to directly. */
  routes: { card: HotRoute; dashboard: HotRoute; redirect: HotRoute };
}

/** Builds the services and the shared HTTP objects of an app from its dependencies. */
export function composeParts(deps: AppDeps): Parts {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger ?? createLogger({ level: 'silent' });
  const metrics = deps.metrics ?? createMetrics();
  const log = deps.log ?? ((message, err) => logger.error({ err }, message));
  const { config, registry, store } = deps;
  const baseUrl = config.publicBaseUrl;
  const services: Services = {
    links: deps.services?.links ?? createLinkService(store.links, { now, ownHosts: () => [new URL(baseUrl).hostname] }),
    users: deps.services?.users ?? createUserService(store.users),
    analytics: deps.services?.analytics ?? createAnalyticsService(store.clicks, now),
  };
  const dashboard = createDashboardService(services, { budgetMs: config.dashboardBudgetMs, log });
  const ctx = (): ShapeContext => ({ baseUrl, now: now() });
  // Counts shared through the store, when it shares them: N instances never mean N quotas.
  const limiter = createRateLimiter({ ...(deps.rateLimits ?? DEFAULT_RATE_LIMITS), shared: store.rateLimits, log });
  const auth = createAuthenticator(store.keys);
  // A key revoked on any instance (announced by a shared store) stops working here at once.
  store.subscribe?.((change) => { if (change.kind === 'accounts' || change.kind === 'unknown') auth.forget(); });
  const cors = createCors(config.corsOrigins ?? []);
  const answerOptions: AnswerOptions = { vary: answerVary(cors.enabled), compressMinBytes: config.compressMinBytes };
  const sparse = createSparseAnswers({ cacheBytes: config.representationCacheBytes });
  const cards = createLinkCards({
    answerOptions,
    registry,
    baseUrl,
    publicMaxAge: config.publicMaxAgeSeconds,
    now,
    cacheBytes: config.representationCacheBytes,
    observeCacheLookup: (hit) => metrics.observeCacheLookup(hit),
  });
  // A prepared dashboard is reused only while the store vouches for what it was built from; with
  // replaced services (tests) the store does not know their data, so nothing is reused.
  const storeBacked = !deps.services?.links && !deps.services?.users && !deps.services?.analytics;
  const dataVersion = storeBacked && store.dataVersion ? () => store.dataVersion!() : undefined;
  const follow = createFollow({ clicks: deps.clicks, countryHeader: config.countryHeader, now });
  return {
    deps,
    now,
    metrics,
    openapi: fs.readFileSync(path.join(projectRoot(), 'openapi.yaml')),
    services,
    ctx,
    observer: createRequestObserver(logger, metrics),
    auth,
    limiter,
    cards,
    answerFailure: createFailureAnswer(log),
    cors,
    answerOptions,
    errorVary: answerVary(cors.enabled, false),
    sparse,
    routes: {
      card: createCardRoute({ links: services.links, cards, registry, sparse }),
      dashboard: createDashboardRoute(createDashboardAnswers({ dashboard, registry, ctx, dataVersion, answerOptions }), { registry, sparse }),
      redirect: createRedirectRoute({ links: services.links, follow, limiter, now }),
    },
  };
}
