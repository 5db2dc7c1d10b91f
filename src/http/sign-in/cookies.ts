import type { IncomingMessage } from 'node:http';

/**
 * The session cookie's name. `__Host-` (RFC 6265bis §4.1.3.2) makes browsers accept it only with
 * Secure, Path=/ and no Domain, so neither a sibling subdomain nor a plain-HTTP page can plant one.
 */
export const SESSION_COOKIE = '__Host-facet_session';

// OWASP Session Management Cheat Sheet and draft-ietf-oauth-browser-based-apps: these attributes, no Domain.
const ATTRIBUTES = 'Path=/; Secure; HttpOnly; SameSite=Strict';

/**
 * The session id a request carries: the value of exactly one cookie named SESSION_COOKIE. None,
 * or more than one (a cookie tossed in beside the real one), is no session.
 */
export function sessionIdOf(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (header === undefined || !header.includes(SESSION_COOKIE)) return null;
  let found: string | null = null;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    if (found !== null) return null;
    found = pair.slice(eq + 1).trim();
  }
  return found;
}

/** The Set-Cookie of a new session, kept by the browser until the session's absolute end. */
export function sessionCookie(id: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${id}; Max-Age=${maxAgeSeconds}; ${ATTRIBUTES}`;
}

/** The Set-Cookie that removes the session cookie (same name and attributes, Max-Age=0). */
export const CLEARED_SESSION_COOKIE = `${SESSION_COOKIE}=; Max-Age=0; ${ATTRIBUTES}`;
