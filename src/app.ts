import express from 'express';
import type { Express } from 'express';
import type { Registry } from '../representations/registry';
import type { Config } from './config';
import type { ClickRecorder } from './domain/clicks';
import { createLinkService } from './domain/links';
import type { Store } from './store/repository';
import { createAuthenticator } from './http/auth';
import { createErrorHandler, notFoundHandler } from './http/error-handler';
import { createBodyCache } from './http/respond';
import { createLinksRouter } from './http/routes/links';
import { createMetaRouter } from './http/routes/meta';
import { createRedirectRouter } from './http/routes/redirect';

/** Everything the app is built from; tests pass their own. */
export interface AppDeps {
  config: Pick<Config, 'publicBaseUrl' | 'representationCacheBytes' | 'publicMaxAgeSeconds'>;
  store: Store;
  registry: Registry;
  clicks: ClickRecorder;
  now?: () => Date;
  log?: (message: string, err: unknown) => void;
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** Hosts a link may not point at: the public one, and every loopback name when it is local. */
function ownHosts(baseUrl: string): string[] {
  const host = new URL(baseUrl).hostname;
  return LOOPBACK.includes(host) ? LOOPBACK : [host];
}

/** Builds the Express app: middleware order, routers, error handler. Does not listen. */
export function createApp(deps: AppDeps): Express {
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? ((message, err) => console.error(message, err));
  const baseUrl = deps.config.publicBaseUrl;
  const links = createLinkService(deps.store.links, { now, ownHosts: () => ownHosts(baseUrl) });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // ETags come from (version, representation), never from hashing bodies
  app.set('query parser', 'simple');
  app.use(function securityHeaders(_req, res, next) {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  app.use(createMetaRouter({ registry: deps.registry, store: deps.store }));
  app.use(createAuthenticator(deps.store.keys));
  app.use(createLinksRouter({
    links,
    registry: deps.registry,
    cache: createBodyCache(deps.config.representationCacheBytes),
    baseUrl,
    publicMaxAge: deps.config.publicMaxAgeSeconds,
    now,
  }));
  app.use(createRedirectRouter({ links, clicks: deps.clicks, countryHeader: 'cf-ipcountry', now }));
  app.use(notFoundHandler);
  app.use(createErrorHandler(log));
  return app;
}
