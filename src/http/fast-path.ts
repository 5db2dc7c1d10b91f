import type { IncomingMessage, ServerResponse } from 'node:http';
import { SHORT_NAME } from '../../representations/media-types';
import type { VendorType } from '../../representations/media-types';
import { CODE_PATTERN, isReservedCode } from '../domain/codes';
import { isExpired } from '../domain/links';
import type { LinkService } from '../domain/links';
import type { Link, Principal } from '../domain/types';
import type { Authenticator } from './auth';
import type { LinkCards } from './link-card';
import { exceedsListMembers, MAX_ACCEPT_RANGES } from './limits';
import { defaultRepresentation } from './negotiation/default-representation';
import { createChooser } from './negotiation/middleware';
import type { Chooser } from './negotiation/middleware';
import type { RateLimiter } from './rate-limit';
import type { RequestObserver } from './request-log';
import { servePrepared } from './respond';
import type { PreparedAnswer } from './respond';
import type { DashboardAnswers } from './routes/dashboard';
import type { Follow } from './routes/redirect';

/** The parts of the app the fast path answers with: the same objects the Express routes use. */
export interface FastPathDeps {
  links: LinkService;
  cards: LinkCards;
  dashboards: DashboardAnswers;
  auth: Authenticator;
  limiter: RateLimiter;
  follow: Follow;
  observer: RequestObserver;
  now: () => Date;
}

/**
 * Answers a request and returns true, or returns false having written and counted nothing; a
 * promise of either when it first had to read the store.
 */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

const CARD_PREFIX = '/api/links/';
/** A failed read is Express's to answer (and report): it reads again and maps the error. */
const decline = () => false;
const DASHBOARD = '/api/dashboard';

/**
 * The three hottest reads answered without Express: the public link card, a user's dashboard and
 * the short-link redirect, when the request is well-formed and the caller's key (if any) is known.
 * The link or dashboard comes from memory (the hot-read cache, a prepared dashboard) or, when it
 * has expired there, from the store. Anything else — an error to report (404, 406, 410, 401, 403,
 * 429, a failing store), an unknown key, an unusual spelling of the path — is declined before a
 * byte is written, and Express answers it with the full middleware chain.
 *
 * Express's router costs tens of microseconds a request in matching ~20 layers and chaining
 * `next()`, more than everything these answers need. What makes the answers the same either way:
 * the body, ETag and headers come from the same prepared objects (LinkCards, DashboardAnswers,
 * Follow), negotiation runs the same chooser, rate limits and clicks the same limiter and recorder,
 * and the same observer logs and counts the request; test/http/fast-path.test.ts compares both paths.
 */
export function createFastPath(deps: FastPathDeps): FastPath {
  const { links, cards, dashboards, auth, limiter, follow, observer } = deps;
  const chooseCard = createChooser(cards.offers);
  const chooseDashboard = createChooser(dashboards.offers);

  /** The representation the request negotiates to, or null where the full path must answer (400, 406). */
  function negotiate(req: IncomingMessage, choose: Chooser, principal: Principal | null): VendorType | null {
    const accept = req.headers.accept;
    if (exceedsListMembers(accept, MAX_ACCEPT_RANGES)) return null;
    const platform = req.headers['x-client-platform'] as string | undefined;
    const outcome = choose(accept, defaultRepresentation({ keyKind: principal?.kind ?? null, platform }));
    return outcome.ok ? outcome.type : null;
  }

  function serve(req: IncomingMessage, res: ServerResponse, route: string, type: VendorType, answer: PreparedAnswer, started: number): true {
    const { status, bytes } = servePrepared(req, res, answer);
    // As the full path counts them: a 304 has no Content-Type, so no representation, and no body.
    const representation = status === 200 ? SHORT_NAME[type] : '-';
    observer.answered(req, { method: req.method!, route, status, representation }, bytes, started);
    return true;
  }

  function card(req: IncomingMessage, res: ServerResponse, code: string, started: number): boolean | Promise<boolean> {
    if (!CODE_PATTERN.test(code)) return false;
    const principal = auth.peek(req.headers.authorization);
    if (principal === undefined) return false;
    const type = negotiate(req, chooseCard, principal);
    if (type === null) return false;
    const answer = (link: Link) => serve(req, res, '/api/links/:code', type, cards.answer(link, type), started);
    const link = links.peek?.(code);
    if (link === null) return false;
    return link === undefined ? links.get(code).then(answer, decline) : answer(link);
  }

  function dashboard(req: IncomingMessage, res: ServerResponse, started: number): boolean | Promise<boolean> {
    const principal = auth.peek(req.headers.authorization);
    if (!principal || principal.kind !== 'user') return false;
    const type = negotiate(req, chooseDashboard, principal);
    if (type === null) return false;
    const answer = (prepared: PreparedAnswer) => serve(req, res, DASHBOARD, type, prepared, started);
    const prepared = dashboards.peek(principal.userId, type);
    return prepared === undefined ? dashboards.build(principal.userId, type).then(answer, decline) : answer(prepared);
  }

  function redirect(req: IncomingMessage, res: ServerResponse, code: string, started: number): boolean | Promise<boolean> {
    if (!CODE_PATTERN.test(code) || isReservedCode(code)) return false;
    const visit = (link: Link) => {
      const rateLimit = limiter.admitRedirect(req.socket.remoteAddress);
      if (rateLimit === null) return false;
      follow(req, res, link, rateLimit);
      observer.answered(req, { method: req.method!, route: '/:code', status: 302, representation: '-' }, 0, started);
      return true;
    };
    const link = links.peek?.(code);
    if (link === null || (link && isExpired(link, deps.now()))) return false;
    return link === undefined ? links.resolve(code).then(visit, decline) : visit(link);
  }

  return function fastPath(req, res) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const url = req.url ?? '';
    const started = performance.now();
    if (url.startsWith(CARD_PREFIX)) return card(req, res, url.slice(CARD_PREFIX.length), started);
    if (url === DASHBOARD) return dashboard(req, res, started);
    if (url.startsWith('/api/')) return false;
    return redirect(req, res, url.slice(1), started);
  };
}
