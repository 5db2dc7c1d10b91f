import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { ParsedUrlQuery } from 'node:querystring';
import express, { Router } from 'express';
import type { RequestHandler } from 'express';
import type { FieldSelection } from '../../../representations/fields';
import type { VendorType } from '../../../representations/media-types';
import type { Principal, Scope } from '../../domain/types';
import { MAX_BODY_BYTES } from '../answer/body';
import type { HtmlViews } from '../answer/html/view';
import type { Lifecycle } from '../answer/negotiation/lifecycle';
import { createNegotiation } from '../answer/negotiation/negotiate-request';
import { HttpError } from '../answer/problems';
import { methodNotAllowed } from '../routes/method-not-allowed';
import { requestedFields } from '../answer/sparse';
import { andThen } from './maybe';
import type { MaybePromise } from './maybe';
import { principalRequired, scopeRequired, stateOf } from './state';

/** The request's path as sent, without its query (Express's `req.path`). */
export function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The request's query parameters, parsed as Express's "simple" query parser does (node:querystring: repeats become arrays). */
export function queryOf(req: IncomingMessage): ParsedUrlQuery {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  return query === -1 ? {} : parseQuery(url.slice(query + 1));
}

/** Who may call a route: anyone (a credential sent is still checked), any signed-in caller, or a person (not a partner key). */
export type CallerRule = 'anyone' | 'signed-in' | 'user';

/** What a route's handler is given: the path parameters and what the route's stages decided. */
export interface RouteContext {
  params: Record<string, string>;
  principal: Principal | null;
  /** The negotiated representation; set when the route declares `offers`. */
  type: VendorType;
  /** The `?fields=` selection; null: the whole representation (or the route takes none). */
  fields: FieldSelection | null;
}

/** What `fields` needs of a representation: the paths its schema allows (null: a frozen contract, none). */
interface Selectable {
  type: VendorType;
  fields: ReadonlySet<string> | null;
}

/**
 * A route as data: method, path template and the stages it takes, in the one order every route
 * runs them — the session cookie, the caller rule and scope, negotiation (before any data is
 * loaded), `?fields=`, the body — then `handle`. Express mounts it (mountRoutes) and the
 * dispatcher calls runRoute directly: one function decides the route on either path.
 */
export interface RouteRecord {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Express template (`/api/links/:code`); also the route label of logs and metrics. */
  path: string;
  caller: CallerRule;
  /** The caller may be signed in by the web session cookie (CSRF-guarded when unsafe). */
  session?: boolean;
  /** The credential must carry this scope (API keys may be limited). */
  scope?: Scope;
  /** The representations negotiated; the default from the caller and platform. */
  offers?: { offers: readonly VendorType[]; get?(type: VendorType): Selectable };
  /** Reads `?fields=` for the chosen representation (needs `offers` with `get`). */
  fields?: boolean;
  /** Buffers the request body (up to MAX_BODY_BYTES) for the handler. */
  body?: boolean;
  /** A check before anything else of the route (the sign-in origin check). */
  guard?: (req: IncomingMessage) => void;
  handle(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): MaybePromise<void>;
}

/** The stages of routes that read the session cookie: the authenticator's `withSession` and its Vary. */
export interface SessionStage {
  /** Marks the answer as depending on the cookie and resolves the caller (CSRF and write limits included). */
  run(req: IncomingMessage, res: ServerResponse, bearer: Principal | null): MaybePromise<Principal | null>;
}

const rawBody = express.raw({ type: () => true, limit: MAX_BODY_BYTES });
/** express.raw as a stage: resolves once the body is buffered on `req.body` (413 past the limit). */
function readRawBody(req: IncomingMessage, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    rawBody(req as express.Request, res as express.Response, (err?: unknown) => (err ? reject(err) : resolve()));
  });
}

/** The caller a rule admits, or its 401/403. */
function admit(rule: CallerRule, principal: Principal | null, scope: Scope | undefined): Principal | null {
  if (rule === 'anyone') return principal;
  const caller = principalRequired(principal);
  if (rule === 'user' && caller.kind !== 'user') {
    throw new HttpError('forbidden', 'This resource is for people (user keys, sessions, access tokens); partner keys read /api/links and /api/me.');
  }
  return scope ? scopeRequired(caller, scope) : caller;
}

/** A compiled route: its record and the negotiation it runs (built once). */
export interface CompiledRoute {
  record: RouteRecord;
  run(req: IncomingMessage, res: ServerResponse, params: Record<string, string>): MaybePromise<void>;
}

/** What routes are compiled with: the cookie stage, the browsable pages of GET routes, the retirements. */
export interface RouteStages {
  session: SessionStage;
  views?: HtmlViews;
  lifecycle?: Lifecycle;
  now?: () => number;
}

/** Compiles a record into the one function both paths call. */
export function compileRoute(record: RouteRecord, stages: RouteStages): CompiledRoute {
  const { session, views, lifecycle, now = Date.now } = stages;
  const view = views && record.offers && record.method === 'GET' ? views.forRoute(record.offers.offers, record.caller !== 'anyone') : null;
  const negotiate = record.offers ? createNegotiation(record.offers.offers, { html: view !== null, lifecycle, now }) : null;
  // Deprecation notices (RFC 9745, RFC 8594) only where something is deprecated: none costs nothing.
  const notices = lifecycle && lifecycle.entries.length > 0 ? lifecycle : null;
  // The route's retired representations per set of live offers (live() keeps each set's array).
  const retiredSets = new WeakMap<readonly VendorType[], readonly VendorType[]>();
  const retiredOf = (live: readonly VendorType[]) => {
    let retired = retiredSets.get(live);
    if (retired === undefined) retiredSets.set(live, (retired = record.offers!.offers.filter((t) => !live.includes(t))));
    return retired;
  };
  const selectable = record.offers?.get;
  function afterCaller(req: IncomingMessage, res: ServerResponse, params: Record<string, string>, principal: Principal | null): MaybePromise<void> {
    const state = stateOf(res);
    const caller = admit(record.caller, principal, record.scope);
    state.principal = caller;
    // Negotiation and the field selection come before any data is loaded: a 406 or a bad selection costs no store work.
    const chosen = negotiate ? negotiate(req, caller) : null;
    const type = chosen ? chosen.type : (null as unknown as VendorType);
    state.type = chosen ? type : null;
    if (chosen?.html) state.view = view;
    if (chosen && notices) {
      const at = now();
      state.notices = notices.headers(type, pathOf(req), at);
      state.retired = retiredOf(notices.live(record.offers!.offers, at));
    }
    const fields = record.fields && selectable ? requestedFields(req, selectable(type)) : null;
    state.fields = fields;
    const ctx: RouteContext = { params, principal: caller, type, fields };
    if (!record.body) return record.handle(req, res, ctx);
    return readRawBody(req, res).then(() => record.handle(req, res, ctx));
  }
  return {
    record,
    run(req, res, params) {
      record.guard?.(req);
      const bearer = stateOf(res).principal;
      const principal = record.session ? session.run(req, res, bearer) : bearer;
      return andThen(principal, (found) => afterCaller(req, res, params, found));
    },
  };
}

/** What other methods of a path get: the 405 with Allow (OPTIONS: 204), or the 404 of any unknown resource. */
export type OtherMethods = 'method-not-allowed' | 'not-found';

/** The Allow value of a path's records: each method once, GET with HEAD, in declaration order. */
export function allowOf(records: readonly RouteRecord[]): string {
  const methods = records.flatMap((r) => (r.method === 'GET' ? ['GET', 'HEAD'] : [r.method]));
  return [...new Set(methods)].join(', ');
}

/**
 * Mounts compiled routes on an Express router, grouped by path in declaration order, each path's
 * other methods answered as `others` says. Express only routes here: every rule is in `run`.
 */
export function mountRoutes(routes: readonly CompiledRoute[], others: OtherMethods = 'method-not-allowed'): Router {
  const router = Router();
  const paths = [...new Set(routes.map((r) => r.record.path))];
  for (const path of paths) {
    const onPath = routes.filter((r) => r.record.path === path);
    const route = router.route(path);
    for (const compiled of onPath) {
      const handler: RequestHandler = function answerRoute(req, res) {
        return compiled.run(req, res, req.params as Record<string, string>);
      };
      route[compiled.record.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](handler);
    }
    if (others === 'method-not-allowed') {
      route.all(methodNotAllowed(allowOf(onPath.map((r) => r.record))));
    } else {
      // Express would answer OPTIONS of a GET route itself (200, text/html); outside /api the
      // contract has no OPTIONS, so it is the 404 every other unsupported method gets.
      route.options(function noOptions(req) {
        throw new HttpError('not-found', `No resource at ${req.path}.`);
      });
    }
  }
  return router;
}
