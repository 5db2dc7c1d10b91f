import { Router } from 'express';
import type { Request } from 'express';
import { CODE_PATTERN } from '../../domain/codes';
import type { ClickRecorder } from '../../domain/clicks';
import { classifyDevice } from '../../domain/devices';
import type { LinkService } from '../../domain/links';
import { HttpError } from '../problems';

/** What the redirector needs. */
export interface RedirectDeps {
  links: LinkService;
  clicks: ClickRecorder;
  /** Request header carrying the visitor's country, set by a trusted edge. */
  countryHeader: string;
  now: () => Date;
}

/** Host of the Referer header, or null when absent or unparseable. */
function referrerHost(req: Request): string | null {
  const referer = req.headers.referer;
  if (!referer) return null;
  try {
    return new URL(referer).hostname || null;
  } catch {
    return null;
  }
}

/** `GET /{code}`: 302 to the long URL and a recorded click; 404 unknown, 410 expired. */
export function createRedirectRouter(deps: RedirectDeps): Router {
  const router = Router();
  router.get('/:code', async function followLink(req, res) {
    const code = req.params.code;
    if (!CODE_PATTERN.test(code)) throw new HttpError('not-found', `No link with code ${code.slice(0, 80)}.`);
    const link = await deps.links.resolve(code);
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
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Location', link.url);
    res.setHeader('Content-Length', 0);
    res.statusCode = 302;
    res.end();
  });
  // Express would answer OPTIONS of this GET route itself (200, text/html "GET, HEAD"); outside
  // /api the contract has no OPTIONS, so it is the 404 every other unsupported method gets.
  router.options('/:code', function noOptions(req) {
    throw new HttpError('not-found', `No resource at ${req.path}.`);
  });
  return router;
}
