import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from '../answer/problems';

/** Cross-site request forgery defences of cookie-authenticated requests (OWASP CSRF Prevention Cheat Sheet). */
export interface CsrfGuard {
  /** Fetch Metadata, else Origin: throws csrf-rejected for a request another site made. Sign-in and sign-up get this alone. */
  checkOrigin(req: IncomingMessage): void;
  /** The origin check, then the synchronizer token: `X-CSRF-Token` must equal the session's. */
  checkUnsafe(req: IncomingMessage, csrfToken: string): void;
}

const rejected = (detail: string) => new HttpError('csrf-rejected', detail);

/** Methods that change state (RFC 9110 §9.2.1: everything but the safe ones). */
export function isUnsafe(method: string | undefined): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** Builds the guard for this service's own origin (PUBLIC_BASE_URL's) and the CORS_ORIGINS list. */
export function createCsrfGuard(ownOrigin: string, corsOrigins: readonly string[]): CsrfGuard {
  const listed = new Set(corsOrigins);
  function checkOrigin(req: IncomingMessage): void {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined) {
      // W3C Fetch Metadata: the browser says who made the request; it cannot be forged by a page.
      if (site === 'cross-site') throw rejected('A request from another site may not use the session cookie.');
      if (site === 'same-site' && (origin === undefined || !listed.has(origin))) throw rejected('A request from a sibling origin that is not in CORS_ORIGINS may not use the session cookie.');
      if (site !== 'same-site' && site !== 'same-origin' && site !== 'none') throw rejected('Sec-Fetch-Site has an unknown value.');
      return;
    }
    // Without Fetch Metadata (older browsers): an Origin, when sent, must be ours or listed; "null" never is.
    if (origin !== undefined && origin !== ownOrigin && !listed.has(origin)) throw rejected(`Requests from ${origin.slice(0, 100)} may not use the session cookie.`);
  }
  return {
    checkOrigin,
    checkUnsafe(req, csrfToken) {
      checkOrigin(req);
      const sent = req.headers['x-csrf-token'];
      const expected = Buffer.from(csrfToken);
      const given = typeof sent === 'string' ? Buffer.from(sent) : Buffer.alloc(0);
      // Constant time: how much of a guess matched must not show in the answer's timing.
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        throw rejected('A request authenticated by the session cookie needs the session\'s X-CSRF-Token.');
      }
    },
  };
}
