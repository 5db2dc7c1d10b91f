import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { Express } from 'express';
import { composeParts } from './compose';
import type { AppDeps } from './compose';
import { commonHeaders } from './http/common-headers';
import { createErrorHandler, notFoundHandler } from './http/error-handler';
import { createFastPath } from './http/fast-path';
import { limitRequestTarget } from './http/limits';
import { varyOnNegotiation } from './http/negotiation/middleware';
import { bundleOpenApi } from './http/openapi-bundle';
import { createAccountRouter } from './http/routes/account';
import { createDashboardRouter } from './http/routes/dashboard';
import { createDocsRouter } from './http/routes/docs';
import { createLinksRouter } from './http/routes/links';
import { createMetaRouter } from './http/routes/meta';
import { createRedirectRouter } from './http/routes/redirect';
import { createStatsRouter } from './http/routes/stats';
import { createOAuthRouter } from './http/sign-in/oauth';
import { createSignInRouter } from './http/sign-in/routes';

export type { AppDeps, Services } from './compose';

/** The route label logs and metrics give a CORS preflight. */
const PREFLIGHT_ROUTE = 'preflight';

/**
 * The service's request listener: the dispatcher (src/http/fast-path.ts) for the hottest reads,
 * Express for everything else. It carries Express's `request` / `response` prototypes, which
 * createServer gives every request and response from birth.
 */
export type FacetApp = ((req: IncomingMessage, res: ServerResponse) => void) & Pick<Express, 'request' | 'response'>;

/** Builds the app: the order of the middleware, then the listener in front of it. Does not listen. */
export function createApp(deps: AppDeps): FacetApp {
  const parts = composeParts(deps);
  const { registry, store } = deps;
  const { services, routes, ctx } = parts;

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // ETags come from (version, representation), never from Express hashing bodies
  app.set('query parser', 'simple');
  app.use(parts.observer.middleware);
  app.use(function securityHeaders(_req, res, next) {
    commonHeaders(res);
    next();
  });
  app.use(limitRequestTarget);
  const { compressMinBytes } = deps.config;
  app.use(createMetaRouter({ registry, store, openapi: parts.openapi, metrics: parts.metrics, metricsToken: deps.config.metricsToken, compressMinBytes }));
  app.use(createDocsRouter(bundleOpenApi(parts.openapi.toString(), registry.schemas), { compressMinBytes }));
  // Every /api resource is negotiated, so every answer there — a 401 before negotiation included —
  // tells caches what it depends on (Origin too, when CORS grants depend on it).
  app.use('/api', function varyOnApi(_req, res, next) {
    varyOnNegotiation(res, parts.errorVary);
    next();
  });
  // Only the API authenticates: a short link keeps working for a client holding a stale key.
  app.use('/api', parts.auth.middleware);
  app.use(parts.limiter.middleware); // writes; visits are counted by the redirect route itself
  const { sparse } = parts;
  const answerOptions = parts.privateAnswerOptions;
  const signedIn = parts.auth.sessionMiddleware;
  app.use(createSignInRouter({ ...parts, users: services.users, limits: parts.signInLimits, registry, ctx, lifetimes: parts.sessionLifetimes, answerOptions }));
  app.use(createOAuthRouter({ tokens: parts.tokens }));
  app.use(createStatsRouter({ links: services.links, analytics: services.analytics, registry, ctx, sparse, answerOptions, signedIn }));
  app.use(createLinksRouter({ links: services.links, registry, cards: parts.cards, card: routes.card, baseUrl: deps.config.publicBaseUrl, now: parts.now, sparse, answerOptions, signedIn }));
  app.use(createAccountRouter({ users: services.users, registry, ctx, sparse, answerOptions, signedIn }));
  app.use(createDashboardRouter(routes.dashboard, signedIn));
  app.use(createRedirectRouter(routes.redirect));
  app.use(notFoundHandler);
  app.use(createErrorHandler(parts.answerFailure));

  const fastPath = deps.fastPath === false ? () => false : createFastPath({ ...routes, auth: parts.auth, observer: parts.observer, answerFailure: parts.answerFailure, vary: parts.errorVary, sessionVary: parts.sessionErrorVary });
  return Object.assign(function facet(req: IncomingMessage, res: ServerResponse) {
    // Nothing a request does escapes the listener: a synchronous throw is answered like a rejection.
    try {
      // CORS first, whichever way the request is answered: a preflight is answered here, an
      // allowed origin's grant is set before the answer's own headers.
      const started = performance.now();
      if (parts.cors.handle(req, res)) {
        parts.observer.answeredFirst(req, res, PREFLIGHT_ROUTE, started);
        return;
      }
      if (!fastPath(req, res)) app(req, res);
    } catch (err) {
      parts.answerFailure(req, res, err, (req.url ?? '/').split('?')[0]!);
    }
  }, { request: app.request, response: app.response });
}
