import http from 'node:http';
import type { FacetApp } from '../../app';
import { trackInFlight } from './shutdown';

/**
 * A subclass of `base` whose prototype inherits from `proto` (Express's `app.request`, itself
 * inheriting from IncomingMessage.prototype; `app.response` from ServerResponse.prototype), so its
 * instances are true IncomingMessage / ServerResponse objects with Express's methods. A class
 * rather than a function calling `base.apply(this)` with `proto` as its prototype: V8 sizes a
 * class's instances from its constructors (the fields node:http sets), where the function's
 * started with no room and grew each object field by field (about 3 µs a response, measured
 * against 0.5 µs for the class: bench/RESULTS.md, "Where the microseconds go").
 */
// TypeScript lets a class extend a type parameter only if its constructor takes `...args: any[]` (TS2545).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function bornClass<C extends new (...args: any[]) => object>(base: C, proto: object): C {
  const Born = class extends base {};
  Object.setPrototypeOf(Born.prototype, proto);
  return Born;
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
 * (expressjs/express#5998). So the server's classes' prototypes become the app's `request` and
 * `response` (inheriting all they had: a method added to app.response before still applies).
 * `req.app`, `res.app` (on the prototypes) and `req.res`, `res.req`, `res.locals` (set by
 * `app.handle`) work as before.
 */
export function createServer(app: FacetApp, options: ServerOptions = {}): http.Server {
  // Node's defaults hold a trickling client for minutes (headers 60 s, request 300 s) and check
  // only every 30 s; the check runs often enough here that a timeout is kept to about a second.
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const IncomingMessage = bornClass(http.IncomingMessage, app.request);
  const ServerResponse = bornClass(http.ServerResponse, app.response);
  app.request = IncomingMessage.prototype as typeof app.request;
  app.response = ServerResponse.prototype as typeof app.response;
  const server = http.createServer({
    IncomingMessage,
    ServerResponse,
    headersTimeout,
    requestTimeout,
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(headersTimeout / 4))),
  }, app);
  if (options.maxConnections !== undefined) server.maxConnections = options.maxConnections;
  trackInFlight(server);
  return server;
}
