import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { Express } from 'express';
import { composeParts } from './compose';
import type { AppDeps } from './compose';
import { installCommonHeaders } from './http/guards/common-headers';
import { createErrorHandler, notFoundHandler } from './http/answer/error-handler';
import { createFastPath } from './http/pipeline/dispatcher';
import { HttpError } from './http/answer/problems';
import { bundleOpenApi } from './http/routes/openapi-bundle';
import { pipelineOf, stagesOf } from './http/pipeline/pipeline';
import { mountRoutes } from './http/pipeline/route';
import { asMiddleware } from './http/pipeline/stage';
import { createDocsRouter } from './http/routes/docs';
import { createMetaRouter } from './http/routes/meta';
import { createContractsRouter } from './http/routes/contracts';

export type { AppDeps, Services } from './compose';

/** How many Host fields a request carries (Node keeps only the first in `headers`). */
function hostFields(req: IncomingMessage): number {
  const raw = req.rawHeaders;
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'host') n += 1;
  return n;
}

/** The route label logs and metrics give a CORS preflight. */
const PREFLIGHT_ROUTE = 'preflight';

/**
 * The service's request listener: the dispatcher (src/http/pipeline/dispatcher.ts) for the hottest reads,
 * Express for everything else. It carries Express's `request` / `response` prototypes, which
 * createServer gives every request and response from birth.
 */
export type FacetApp = ((req: IncomingMessage, res: ServerResponse) => void) & Pick<Express, 'request' | 'response'>;

/** Builds the app: the pipeline (src/http/pipeline/pipeline.ts) on Express and the dispatcher. Does not listen. */
export function createApp(deps: AppDeps): FacetApp {
  const parts = composeParts(deps);
  const { registry, store, config } = deps;
  const { compressMinBytes } = config;

  const steps = pipelineOf({
    service: [
      // A store readiness sees answering again gets the clicks held during its outage at once.
      createMetaRouter({ registry, store, openapi: parts.openapi, metrics: parts.metrics, metricsToken: config.metricsToken, compressMinBytes, onReady: () => deps.clicks.storeAnswered() }),
      createDocsRouter(bundleOpenApi(parts.openapi.toString(), registry.schemas), { compressMinBytes }),
      createContractsRouter(parts.lifecycle, { now: parts.now, compressMinBytes }),
    ],
    vary: parts.errorVary,
    authentication: parts.auth.stage,
    writeLimits: parts.limiter.stage,
    readQuota: parts.limiter.readStage,
    api: mountRoutes(parts.api),
    redirect: mountRoutes([parts.routes.redirect], 'not-found'),
  });

  const app = express();
  installCommonHeaders(app.response);
  app.disable('x-powered-by');
  app.set('etag', false); // ETags come from (version, representation), never from Express hashing bodies
  app.set('query parser', 'simple');
  app.use(parts.observer.middleware);
  for (const step of steps) app.use('stage' in step ? asMiddleware(step.stage) : step.routes);
  app.use(notFoundHandler);
  app.use(createErrorHandler(parts.answerFailure));

  const fastPath = deps.fastPath === false ? () => false : createFastPath({ ...parts.routes, stages: stagesOf(steps), observer: parts.observer, answerFailure: parts.answerFailure });
  const facet = function facet(req: IncomingMessage, res: ServerResponse) {
    // Nothing a request does escapes the listener: a synchronous throw is answered like a rejection.
    try {
      // Every answer carries the security headers, a preflight's included, as its head is written by
      // app.response's writeHead (installCommonHeaders); a response made by another server (a test's)
      // is given that prototype here, as Express would give it. CORS next, whichever way the request
      // is answered: a preflight is answered here, an allowed origin's grant is set before the
      // answer's own headers.
      if (Object.getPrototypeOf(res) !== app.response) Object.setPrototypeOf(res, app.response);
      // RFC 9112 §3.2: a request with more than one Host field is answered 400.
      if (hostFields(req) > 1) throw new HttpError('bad-request', 'The request has more than one Host header field.');
      const started = performance.now();
      if (parts.cors.handle(req, res)) {
        parts.observer.answeredFirst(req, res, PREFLIGHT_ROUTE, started);
        return;
      }
      if (!fastPath(req, res)) app(req, res);
    } catch (err) {
      parts.answerFailure(req, res, err, (req.url ?? '/').split('?')[0]!);
    }
  };
  // Express's own prototypes, read and replaced through the listener (src/http/pipeline/server.ts
  // gives them the classes its server makes requests and responses with).
  return Object.defineProperties(facet, {
    request: { get: () => app.request, set: (proto: Express['request']) => { app.request = proto; } },
    response: { get: () => app.response, set: (proto: Express['response']) => { app.response = proto; } },
  }) as FacetApp;
}
