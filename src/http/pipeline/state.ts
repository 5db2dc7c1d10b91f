import type { ServerResponse } from 'node:http';
import type { FieldSelection } from '../../../representations/fields';
import type { VendorType } from '../../../representations/media-types';
import type { SessionEntry } from '../../domain/sessions';
import type { Principal, Scope } from '../../domain/types';
import type { HtmlView } from '../answer/html/view';
import { HttpError } from '../answer/problems';

/** What the stages learn about a request, kept on its response, on the dispatcher's path and Express's alike. */
interface RequestState {
  principal: Principal | null;
  type: VendorType | null;
  /** The `?fields=` selection, read after negotiation; null: the whole representation. */
  fields: FieldSelection | null;
  /** The web session the cookie signed the caller in with, if it did. */
  session: SessionEntry | null;
  /** Set when negotiation chose the browsable view (rule 7): makes the page of the JSON answer. */
  view: HtmlView | null;
  /** Header name/value pairs every answer of the chosen representation carries (its Deprecation and Sunset). */
  notices: readonly string[];
  /** The route's representations retired by now (SUNSET): no answer lists them as alternates. */
  retired: readonly string[];
  /** Header name/value pairs every answer to this request carries unless it names its own (src/http/guards/common-headers.ts). */
  headers: readonly string[];
  /** The fields the head was written with, when given as one list (getHeader cannot read them). */
  sent: readonly string[];
}

const STATE = Symbol('facet.request-state');
const NO_NOTICES: readonly string[] = Object.freeze([]);

/** The request's state, created on first use. */
export function stateOf(res: ServerResponse): RequestState {
  const holder = res as ServerResponse & { [STATE]?: RequestState };
  holder[STATE] ??= { principal: null, type: null, fields: null, session: null, view: null, notices: NO_NOTICES, retired: NO_NOTICES, headers: NO_NOTICES, sent: NO_NOTICES };
  return holder[STATE];
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
