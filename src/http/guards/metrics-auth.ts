import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from '../answer/problems';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Requires `Authorization: Bearer <token>` when a token is configured (RFC 6750 §3: 401 with a
 * challenge); passes everything when it is not. Digests are compared, so neither the token's
 * bytes nor its length leak through timing.
 */
export function requireMetricsToken(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return function metricsToken(req, _res, next) {
    if (expected === undefined) return next();
    const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
    if (match && timingSafeEqual(digest(match[1]!), expected)) return next();
    next(new HttpError('unauthorized', 'GET /metrics needs the operator\'s metrics token: Authorization: Bearer <METRICS_TOKEN>.', {
      headers: { 'WWW-Authenticate': match ? 'Bearer realm="metrics", error="invalid_token"' : 'Bearer realm="metrics"' },
    }));
  };
}
