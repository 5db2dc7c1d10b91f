import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request headers a browser app may send to the API (Fetch: Access-Control-Allow-Headers). */
export const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, If-Match, If-None-Match, Accept, X-Client-Platform, X-CSRF-Token';
/** Response headers a browser app may read besides the CORS-safelisted ones. */
export const CORS_EXPOSED_HEADERS = 'Deprecation, ETag, Link, Location, RateLimit, RateLimit-Policy, Retry-After, Sunset';
/** Methods of the API; a preflight names them all (the actual request still answers 405 where one does not apply). */
export const CORS_METHODS = 'GET, HEAD, POST, PATCH, DELETE';
/** Seconds a browser keeps a preflight's answer (Chromium caps it at 7200). */
export const CORS_MAX_AGE_SECONDS = 3600;

/** Cross-origin access to /api for the origins an operator lists (CORS_ORIGINS). */
export interface Cors {
  /** Whether any origin is listed: then every /api answer depends on, and varies on, Origin. */
  enabled: boolean;
  /**
   * Answers a preflight to /api (OPTIONS with Origin and Access-Control-Request-Method) and
   * returns true; for any other /api request from a listed origin sets its grant and returns false.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

// Express routes paths case-insensitively, so `/API/me` reaches the API too.
const isApi = (url: string | undefined) => url !== undefined && /^\/api(?:[/?]|$)/i.test(url);

/**
 * Builds the CORS rule from exact origins (validated by loadConfig). Hand-written rather than the
 * `cors` package: that is Express middleware, and the fast path answers without Express; the
 * grant here is two setHeader calls that survive the prepared answers' writeHead.
 */
export function createCors(origins: readonly string[]): Cors {
  const allowed = new Set(origins);
  if (allowed.size === 0) return { enabled: false, handle: () => false };
  return {
    enabled: true,
    handle(req, res) {
      if (!isApi(req.url)) return false;
      const origin = req.headers.origin;
      const granted = origin !== undefined && allowed.has(origin);
      if (req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined) {
        // Fetch §3.2.3: a preflight is answered 2xx; without the grant the browser refuses the request.
        const headers = ['Vary', 'Origin', 'Content-Length', '0'];
        if (granted) {
          headers.push(
            'Access-Control-Allow-Origin', origin,
            'Access-Control-Allow-Credentials', 'true',
            'Access-Control-Allow-Methods', CORS_METHODS,
            'Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS,
            'Access-Control-Max-Age', String(CORS_MAX_AGE_SECONDS),
          );
        }
        res.writeHead(204, headers).end();
        return true;
      }
      if (granted) {
        // Fetch §3.2.5: with credentials the grant names the exact origin (never *) and says so.
        res.setHeader('Access-Control-Allow-Origin', origin);
        res.setHeader('Access-Control-Allow-Credentials', 'true');
        res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
      }
      return false;
    },
  };
}
