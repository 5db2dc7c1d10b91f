import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { PROBLEM, SHORT_NAME } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import type { Logger } from '../observability/logger';
import type { Metrics, RequestLabels } from '../observability/metrics';
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

/** Logs and counts answered requests: one log line and one set of metrics each. */
export interface RequestObserver {
  /** Express middleware: watches every response it passes on to its `finish`. */
  middleware: RequestHandler;
  /**
   * Records a request answered by the fast path, outside Express, whose route, status,
   * representation and body size the caller knows; `started` is `performance.now()` at arrival.
   */
  answered(req: IncomingMessage, labels: RequestLabels, bytes: number, started: number): void;
}

/** One log line and one set of metrics per answered request: method, route, status, representation, bytes, duration. */
export function createRequestObserver(logger: Logger, metrics: Metrics): RequestObserver {
  function record(req: IncomingMessage, labels: RequestLabels, bytes: number, started: number): void {
    const ms = performance.now() - started;
    metrics.observeRequest(labels, bytes, ms / 1000);
    if (labels.status === 406) {
      const first = parseAccept(req.headers.accept)[0]?.type ?? '*/*';
      metrics.observeNotAcceptable(KNOWN_REQUESTED.has(first) ? first : 'other');
    }
    if (logger.isLevelEnabled('info')) {
      const { method, route, status, representation } = labels;
      logger.info({ method, route, status, representation, bytes, durationMs: Math.round(ms * 100) / 100 }, 'request');
    }
  }
  return {
    answered(req, labels, bytes, started) {
      metrics.observeFastPath();
      record(req, labels, bytes, started);
    },
    middleware: function logRequest(req, res, next) {
      const started = performance.now();
      res.once('finish', () => {
        const labels = { method: req.method, route: routeOf(req, res), status: res.statusCode, representation: representationOf(res) };
        record(req, labels, Number(res.getHeader('content-length') ?? 0), started);
      });
      next();
    },
  };
}
