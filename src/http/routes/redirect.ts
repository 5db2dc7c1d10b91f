import type { IncomingMessage, ServerResponse } from 'node:http';
import { Router } from 'express';
import { CODE_PATTERN } from '../../domain/codes';
import type { ClickRecorder } from '../../domain/clicks';
import { classifyDevice } from '../../domain/devices';
import type { LinkService } from '../../domain/links';
import type { Link } from '../../domain/types';
import { HttpError } from '../problems';

/** What following a link needs. */
export interface FollowDeps {
  clicks: ClickRecorder;
  /** Request header carrying the visitor's country, set by a trusted edge. */
  countryHeader: string;
  now: () => Date;
}

/** Follows a short link: the 302 and, for a GET, the recorded click. Shared with the fast path. */
export type Follow = (req: IncomingMessage, res: ServerResponse, link: Link, headers?: string[]) => void;

/** Host of the Referer header, or null when absent or unparseable. */
function referrerHost(req: IncomingMessage): string | null {
  const referer = req.headers.referer;
  if (!referer) return null;
  try {
    return new URL(referer).hostname || null;
  } catch {
    return null;
  }
}

/** The 302 to a link's URL, recording a click for a GET; `headers` are extra name/value pairs. */
export function createFollow(deps: FollowDeps): Follow {
  return function follow(req, res, link, headers = []) {
    // HEAD is a link checker or an unfurler peeking, not a visit.
    if (req.method === 'GET') {
      const country = String(req.headers[deps.countryHeader] ?? '').toUpperCase();
      deps.clicks.record({
        linkRowId: link.rowId,
        at: deps.now(),
        device: classifyDevice(req.headers['user-agent']),
        country: /^[A-Z]{2}$/.test(country) ? country : 'ZZ',
        referrer: referrerHost(req),
      });
    }
    // Every visit must reach us to be counted, so no cache may keep the redirect.
    res.writeHead(302, [
      'X-Content-Type-Options', 'nosniff',
      'Cache-Control', 'private, no-store',
      'Location', link.url,
      'Content-Length', '0',
      ...headers,
    ]).end();
  };
}

/** `GET /{code}`: 302 to the long URL and a recorded click; 404 unknown, 410 expired. */
export function createRedirectRouter(deps: { links: LinkService; follow: Follow }): Router {
  const router = Router();
  router.get('/:code', async function followLink(req, res) {
    const code = req.params.code;
    if (!CODE_PATTERN.test(code)) throw new HttpError('not-found', `No link with code ${code.slice(0, 80)}.`);
    deps.follow(req, res, await deps.links.resolve(code));
  });
  // Express would answer OPTIONS of this GET route itself (200, text/html "GET, HEAD"); outside
  // /api the contract has no OPTIONS, so it is the 404 every other unsupported method gets.
  router.options('/:code', function noOptions(req) {
    throw new HttpError('not-found', `No resource at ${req.path}.`);
  });
  return router;
}
