import http from 'node:http';
import type { FacetApp } from '../../app';
import { trackInFlight } from './shutdown';

/**
 * A constructor of `base` whose instances are born with `proto` as their prototype. `proto` must
 * already inherit from `base.prototype` (Express's `app.request` inherits from IncomingMessage,
 * `app.response` from ServerResponse), so the instances are still true IncomingMessage /
 * ServerResponse objects; only the prototype they start with differs.
 */
function bornWith<C extends new (...args: never[]) => object>(base: C, proto: object): C {
  // node:http's constructors are plain functions (ServerResponse itself calls
  // OutgoingMessage.call(this)), so `this` can be initialised by calling them. Reflect.construct
  // with this function as new.target also works but measured slower than no trick at all.
  function Born(this: object, ...args: unknown[]) {
    (base as unknown as (...a: unknown[]) => void).apply(this, args);
  }
  Born.prototype = proto;
  return Born as unknown as C;
}

/** What a server holds slow or many clients to (src/config.ts reads them from the environment). */
export interface ServerOptions {
  /** Request headers must arrive within this many milliseconds (408 otherwise). */
  headersTimeoutMs?: number;
  /** The whole request must arrive within this many milliseconds (408 otherwise). */
  requestTimeoutMs?: number;
  /** Connections held at once; Node closes further ones on accept. */
  maxConnections?: number;
}

/**
 * Creates the node:http server for an Express app with request and response objects that already
 * have `app.request` / `app.response` as their prototypes. Express's `app.handle` re-parents every
 * req/res with `Object.setPrototypeOf`, which invalidates V8's inline caches and was the service's
 * dominant per-request cost; when the prototype is already the target it is a no-op
 * (expressjs/express#5998). `req.app`, `res.app` (on the prototypes) and `req.res`, `res.req`,
 * `res.locals` (set by `app.handle`) work as before.
 */
export function createServer(app: FacetApp, options: ServerOptions = {}): http.Server {
  // Node's defaults hold a trickling client for minutes (headers 60 s, request 300 s) and check
  // only every 30 s; the check runs often enough here that a timeout is kept to about a second.
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const server = http.createServer({
    IncomingMessage: bornWith<typeof http.IncomingMessage>(http.IncomingMessage, app.request),
    ServerResponse: bornWith<typeof http.ServerResponse>(http.ServerResponse, app.response),
    headersTimeout,
    requestTimeout,
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeout / 4))),
  }, app);
  if (options.maxConnections !== undefined) server.maxConnections = options.maxConnections;
  trackInFlight(server);
  return server;
}
