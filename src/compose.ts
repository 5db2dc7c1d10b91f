import fs from 'node:fs';
import path from 'node:path';
import type { ShapeContext } from '../representations/context';
import type { Registry } from '../representations/registry';
import type { Config } from './config';
import { composeSignIn } from './compose-sign-in';
import { DEFAULT_RATE_LIMITS } from './config';
import type { KeyUsage } from './domain/key-usage';
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
import type { Authenticator } from './http/sign-in/authenticate';
import { createCors } from './http/guards/cors';
import type { Cors } from './http/guards/cors';
import { answerVary } from './http/answer/respond';
import type { AnswerOptions } from './http/answer/respond';
import { createSparseAnswers } from './http/answer/sparse';
import type { SparseAnswers } from './http/answer/sparse';
import { createFailureAnswer } from './http/answer/error-handler';
import type { AnswerFailure } from './http/answer/error-handler';
import { compileRoute } from './http/pipeline/route';
import { createHtmlViews } from './http/answer/html/view';
import { createLifecycle } from './http/answer/negotiation/lifecycle';
import { createKeptAnswers } from './http/answer/kept-answers';
import type { Lifecycle } from './http/answer/negotiation/lifecycle';
import { CONTRACTS_PATH } from './http/routes/contracts';
import { markDeprecations } from './http/routes/openapi-lifecycle';
import type { CompiledRoute, RouteRecord } from './http/pipeline/route';
import { accountRoutes } from './http/routes/account';
import { linksRoutes } from './http/routes/links';
import { statsRoutes } from './http/routes/stats';
import { oauthRoutes } from './http/sign-in/oauth';
import { signInRoutes } from './http/sign-in/routes';
import { createLinkCards } from './http/answer/link-card';
import type { LinkCards } from './http/answer/link-card';
import { createRateLimiter } from './http/guards/rate-limit';
import type { RateLimiter, RateLimitOptions } from './http/guards/rate-limit';
import { createRequestObserver } from './http/pipeline/request-log';
import { countKeyAnswers } from './http/sign-in/authenticate';
import type { RequestObserver } from './http/pipeline/request-log';
import { cardRoute } from './http/routes/card';
import { createDashboardAnswers, dashboardRoute } from './http/routes/dashboard';
import { projectRoot } from './http/routes/meta';
import { createFollow, redirectRoute } from './http/routes/redirect';

/** The internal services of the BFF; tests may replace any of them. */
export interface Services {
  links: LinkService;
  users: UserService;
  analytics: AnalyticsService;
}

/** Everything the app is built from; tests pass their own. */
export interface AppDeps {
  config: Pick<Config, 'publicBaseUrl' | 'representationCacheBytes' | 'publicMaxAgeSeconds' | 'countryHeader' | 'dashboardBudgetMs'>
    & Partial<Pick<Config, 'metricsToken' | 'corsOrigins' | 'compressMinBytes' | 'lifecycle'>>
    & { signIn?: Partial<Config['signIn']> };
  store: Store;
  registry: Registry;
  clicks: ClickRecorder;
  services?: Partial<Services>;
  /** Where API keys' last use is noted (flushed off the hot path); not recorded when not given. */
  keyUsage?: KeyUsage;
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
  /** The representations' deprecations and retirements (DEPRECATE, SUNSET). */
  lifecycle: Lifecycle;
  cors: Cors;
  /** Vary and compression threshold of the public card's prepared answers (the cookie is ignored there). */
  answerOptions: AnswerOptions;
  /** The same for every other /api answer, which the session cookie may sign in: it varies on Cookie too. */
  privateAnswerOptions: AnswerOptions;
  /** `Vary` of /api answers that are not prepared (errors): no Accept-Encoding, a problem is never compressed. */
  errorVary: string;
  /** The same on routes that read the session cookie: their errors (a 401, a 403) depend on it too. */
  sessionErrorVary: string;
  sparse: SparseAnswers;
  /** The hot routes, compiled: one object each, mounted on Express and dispatched to directly. */
  routes: { card: CompiledRoute; dashboard: CompiledRoute; redirect: CompiledRoute };
  /** Every API route, compiled, in the order Express mounts them (the hot card and dashboard among them). */
  api: CompiledRoute[];
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
  const cors = createCors(config.corsOrigins ?? []);
  const signIn = composeSignIn({
    settings: config.signIn, store, now, log, keyUsage: deps.keyUsage,
    ownOrigin: new URL(baseUrl).origin, corsOrigins: config.corsOrigins ?? [],
    sessionVary: answerVary(cors.enabled, false, true), countSessionWrite: limiter.countSessionWrite,
  });
  const { auth, tokens } = signIn;
  const answerOptions: AnswerOptions = { vary: answerVary(cors.enabled), compressMinBytes: config.compressMinBytes };
  const privateAnswerOptions: AnswerOptions = { vary: answerVary(cors.enabled, true, true), compressMinBytes: config.compressMinBytes };
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
  const kept = createKeptAnswers({ dataVersion, bytes: config.representationCacheBytes });
  const follow = createFollow({ clicks: deps.clicks, countryHeader: config.countryHeader, now });
  const lifecycle = createLifecycle(config.lifecycle ?? [], baseUrl + CONTRACTS_PATH);
  const stages = { session: auth.sessionStage, views: createHtmlViews({ baseUrl }), lifecycle, now: () => now().getTime() };
  const compile = (record: RouteRecord) => compileRoute(record, stages);
  const card = compile(cardRoute({ links: services.links, cards, registry, sparse }));
  const dashboardCompiled = compile(dashboardRoute(createDashboardAnswers({ dashboard, registry, ctx, dataVersion, answerOptions: privateAnswerOptions }), { registry, sparse }));
  const redirect = compile(redirectRoute({ links: services.links, follow, limiter, now }));
  const api = [
    ...signInRoutes({ ...signIn, users: services.users, registry, ctx, lifetimes: signIn.sessionLifetimes, answerOptions: privateAnswerOptions }).map(compile),
    ...oauthRoutes({ tokens }).map(compile),
    ...statsRoutes({ links: services.links, analytics: services.analytics, registry, ctx, sparse, kept, answerOptions: privateAnswerOptions }).map(compile),
    ...linksRoutes({ links: services.links, registry, cards, card: card.record, baseUrl, now, sparse, kept, answerOptions: privateAnswerOptions }).map((r) => (r === card.record ? card : compile(r))),
    ...accountRoutes({ users: services.users, registry, ctx, sparse, answerOptions: privateAnswerOptions }).map(compile),
    dashboardCompiled,
  ];
  return {
    deps,
    now,
    metrics,
    openapi: Buffer.from(markDeprecations(fs.readFileSync(path.join(projectRoot(), 'openapi.yaml'), 'utf8'), lifecycle.entries)),
    services,
    ctx,
    observer: createRequestObserver(logger, metrics, deps.keyUsage && countKeyAnswers(deps.keyUsage)),
    auth,
    limiter,
    cards,
    answerFailure: createFailureAnswer(log),
    lifecycle,
    cors,
    answerOptions,
    privateAnswerOptions,
    errorVary: answerVary(cors.enabled, false),
    sessionErrorVary: answerVary(cors.enabled, false, true),
    sparse,
    routes: { card, dashboard: dashboardCompiled, redirect },
    api,
  };
}
