import type { IncomingMessage, ServerResponse } from 'node:http';
import { CODE_PATTERN, isReservedCode } from '../../domain/codes';
import type { ClickRecorder } from '../../domain/clicks';
import { classifyDevice } from '../../domain/devices';
import { followableLink } from '../../domain/links';
import type { LinkService } from '../../domain/links';
import type { Link } from '../../domain/types';
import { andThen } from '../pipeline/maybe';
import type { RouteRecord } from '../pipeline/route';
import { HttpError } from '../answer/problems';
import { answerHeader } from '../guards/common-headers';
import type { RateLimiter } from '../guards/rate-limit';

/** What following a link needs. */
export interface FollowDeps {
  clicks: ClickRecorder;
  /** Request header carrying the visitor's country, set by a trusted edge. */
  countryHeader: string;
  now: () => Date;
}

/** Follows a short link: the 302 and, for a GET, the recorded click. */
export type Follow = (req: IncomingMessage, res: ServerResponse, link: Link) => void;

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

/** The 302 to a link's URL, recording a click for a GET. */
export function createFollow(deps: FollowDeps): Follow {
  return function follow(req, res, link) {
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
      'Cache-Control', 'private, no-store',
      'Location', link.url,
      'Content-Length', '0',
    ]).end();
  };
}

/**
 * `GET /{code}`: code syntax (reserved words are no codes), then the visit limit of the client's
 * address — before the store is read, so a limited address cannot make it read — then the link,
 * 404 unknown, 410 expired, else the 302 and a click. Whatever spelling reached the route
 * (`/c0de/`, `/c%30de`) is counted alike.
 */
export function redirectRoute(deps: { links: LinkService; follow: Follow; limiter: RateLimiter; now: () => Date }): RouteRecord {
  const { links, follow, limiter } = deps;
  return {
    method: 'GET', path: '/:code', caller: 'anyone',
    handle(req, res, { params }) {
      const code = params.code!;
      if (!CODE_PATTERN.test(code) || isReservedCode(code)) throw new HttpError('not-found', `No link with code ${code.slice(0, 80)}.`);
      return andThen(limiter.countVisit(req), (fields) => {
        for (let i = 0; i < fields.length; i += 2) answerHeader(res, fields[i]!, fields[i + 1]!);
        const hit = links.peek?.(code);
        if (hit !== undefined) return follow(req, res, followableLink(hit, code, deps.now()));
        return links.resolve(code).then((link) => follow(req, res, link));
      });
    },
  };
}
