import type { Request, RequestHandler, Response } from 'express';
import { PROBLEM, SHORT_NAME } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { parseAccept } from './negotiation/accept-ranges';

/** Types a 406 is counted under; anything else is `other`, so the label set stays bounded. */
const KNOWN_REQUESTED = new Set([...Object.keys(SHORT_NAME), '*/*', 'application/json', 'application/xml', 'text/html', 'text/plain', 'application/vnd.example.partner.v2+json']);

/** The route template (`/api/links/:code`), never the raw path, so labels and logs stay bounded. */
function routeOf(req: Request, res: Response): string {
  if (req.route) return `${req.baseUrl}${String(req.route.path)}`;
  return res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'other';
}

function representationOf(res: Response): string {
  const type = res.getHeader('content-type');
  if (type === PROBLEM) return 'problem';
  return typeof type === 'string' && type in SHORT_NAME ? SHORT_NAME[type as VendorType] : '-';
}

/** One log line and one set of metrics per answered request: method, route, status, representation, bytes, duration. */
export function requestLogger(logger: Logger, metrics: Metrics): RequestHandler {
  return function logRequest(req, res, next) {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const labels = { method: req.method, route: routeOf(req, res), status: res.statusCode, representation: representationOf(res) };
      const bytes = Number(res.getHeader('content-length') ?? 0);
      metrics.observeRequest(labels, bytes, seconds);
      if (res.statusCode === 406) {
        const first = parseAccept(req.headers.accept)[0]?.type ?? '*/*';
        metrics.observeNotAcceptable(KNOWN_REQUESTED.has(first) ? first : 'other');
      }
      logger.info({ ...labels, bytes, durationMs: Math.round(seconds * 1e5) / 100 }, 'request');
    });
    next();
  };
}
