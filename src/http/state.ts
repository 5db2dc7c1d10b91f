import type { RequestHandler, Response } from 'express';
import type { FieldSelection } from '../../representations/fields';
import type { VendorType } from '../../representations/media-types';
import type { Principal, Scope } from '../domain/types';
import { HttpError } from './problems';

/** What the middleware learns about a request, kept on `res.locals`. */
interface RequestState {
  principal: Principal | null;
  type: VendorType | null;
  /** The `?fields=` selection, read after negotiation; null: the whole representation. */
  fields: FieldSelection | null;
}

/** The request's state, created on first use. */
export function stateOf(res: Response): RequestState {
  const locals = res.locals as { facet?: RequestState };
  if (!locals.facet) locals.facet = { principal: null, type: null, fields: null };
  return locals.facet;
}

/** The authenticated caller, or a 401 with a Bearer challenge (RFC 6750 §3). */
export function requirePrincipal(res: Response): Principal {
  return principalRequired(stateOf(res).principal);
}

/** The caller when authenticated, else the 401 with a Bearer challenge (RFC 6750 §3). */
export function principalRequired(principal: Principal | null): Principal {
  if (!principal) {
    // RFC 6750 §3.1: no credential at all gets the challenge without an error code.
    throw new HttpError('unauthorized', 'This resource needs a credential: Authorization: Bearer <key or access token>, or a session cookie from POST /api/session.', {
      headers: { 'WWW-Authenticate': 'Bearer realm="facet"' },
    });
  }
  return principal;
}

/** The caller when its credential carries `scope` (keys may be limited to some); else the 403 naming it (RFC 6750 §3.1). */
export function scopeRequired(principal: Principal, scope: Scope): Principal {
  if (principal.scopes !== null && !principal.scopes.includes(scope)) {
    throw new HttpError('insufficient-scope', `This key lacks the scope ${scope}.`, {
      headers: { 'WWW-Authenticate': `Bearer realm="facet", error="insufficient_scope", scope="${scope}"` },
    });
  }
  return principal;
}

/** The representation chosen by negotiation; only valid after the negotiation middleware. */
export function chosenType(res: Response): VendorType {
  const type = stateOf(res).type;
  if (!type) throw new Error('chosenType() called before negotiation');
  return type;
}

/** Middleware form of requirePrincipal: private routes answer 401 before anything else. */
export const requireKey: RequestHandler = function requireKey(_req, res, next) {
  requirePrincipal(res);
  next();
};

/** Middleware: a credential with `scope` (after requireKey). */
export function requireScope(scope: Scope): RequestHandler {
  return function requireKeyScope(_req, res, next) {
    scopeRequired(requirePrincipal(res), scope);
    next();
  };
}
