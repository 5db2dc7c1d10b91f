import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { PROBLEM, SHORT_NAME } from '../../../representations/media-types';
import type { VendorType } from '../../../representations/media-types';
import type { Logger } from '../../observability/logger';
import type { Metrics } from '../../observability/metrics';
import { isOverLimit, parseAccept } from '../answer/negotiation/accept-ranges';
import { sentHeader } from '../guards/common-headers';

/** Types a 406 is counted under; anything else is `other`, so the label set stays bounded. */
const KNOWN_REQUESTED = new Set([...Object.keys(SHORT_NAME), '*/*', 'application/json', 'application/xml', 'text/html', 'text/plain', 'application/vnd.example.partner.v2+json']);

/** Route label of an answer given before any route was reached (an authentication failure, a limit). */
export const NO_ROUTE = 'other';

/** The route template (`/api/links/:code`), never the raw path, so labels and logs stay bounded. */
function routeOf(req: Request, res: Response): string {
  if (req.route) return `${req.baseUrl}${String(req.route.path)}`;
  return res.statusCode === 404 ? 'unmatched' : req.baseUrl || NO_ROUTE;
}

function representationOf(res: ServerResponse): string {
  const type = sentHeader(res, 'content-type');
  if (type === PROBLEM) return 'problem';
  return typeof type === 'string' && type in SHORT_NAME ? SHORT_NAME[type as VendorType] : '-';
}

/** Logs and counts answered requests: one log line and one set of metrics each. */
export interface RequestObserver {
  /** Express middleware: records every response it passes on at its `finish`. */
  middleware: RequestHandler;
  /**
   * Records a request the dispatcher answered, outside Express, once its response is written;
   * `route` is its template and `started` is `performance.now()` at arrival.
   */
  answered(req: IncomingMessage, res: ServerResponse, route: string, started: number): void;
  /** Records a request answered before any route (a CORS preflight), once its response is written. */
  answeredFirst(req: IncomingMessage, res: ServerResponse, route: string, started: number): void;
}

/**
 * One log line and one set of metrics per answered request: method, route, status, representation,
 * bytes, duration; `onRecorded` is told of each answer too (the keys' usage counts).
 */
export function createRequestObserver(logger: Logger, metrics: Metrics, onRecorded?: (res: ServerResponse) => void): RequestObserver {
  // Both paths record through here, reading what was written: status, Content-Type, Content-Length.
  function record(req: IncomingMessage, res: ServerResponse, route: string, started: number): void {
    const ms = performance.now() - started;
    const status = res.statusCode;
    const representation = representationOf(res);
    const bytes = Number(sentHeader(res, 'content-length') ?? 0);
    const method = req.method!;
    metrics.observeRequest({ method, route, status, representation }, bytes, ms / 1000);
    onRecorded?.(res);
    if (status === 406) {
      const parsed = parseAccept(req.headers.accept);
      const first = (isOverLimit(parsed) ? undefined : parsed[0]?.type) ?? '*/*';
      metrics.observeNotAcceptable(KNOWN_REQUESTED.has(first) ? first : 'other');
    }
    if (logger.isLevelEnabled('info')) {
      logger.info({ method, route, status, representation, bytes, durationMs: Math.round(ms * 100) / 100 }, 'request');
    }
  }
  return {
    answered(req, res, route, started) {
      metrics.observeFastPath();
      record(req, res, route, started);
    },
    answeredFirst: record,
    middleware: function logRequest(req, res, next) {
      const started = performance.now();
      res.once('finish', () => record(req, res, routeOf(req, res), started));
      next();
    },
  };
}
